/**
 * Modal dialogs on the native <dialog> element: the browser traps focus, closes on Escape, makes the
 * rest of the page inert and returns focus to the opener. Radix Dialog would inject a <style> element to
 * lock scrolling, which the strict CSP (style-src 'self') refuses; see docs/decisions/052-native-dialog.md.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from './button.tsx';
import { FormError } from './field.tsx';
import { errorMessage } from '../../lib/api-client.ts';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** alertdialog for confirmations that need an answer. */
  role?: 'dialog' | 'alertdialog';
}

export function Dialog({ open, onClose, title, description, children, role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        // showModal() makes the page inert but lets Tab leave for the browser UI; keep it cycling inside.
        if (e.key !== 'Tab' || !ref.current) return;
        const items = [
          ...ref.current.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])'),
        ].filter((el) => !el.hasAttribute('disabled'));
        const first = items[0];
        const last = items[items.length - 1];
        if (!first || !last) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-slate-300 bg-white p-0 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <div className="space-y-4 p-5">
          <h2 id={titleId} className="text-lg font-bold">
            {title}
          </h2>
          {description && (
            <div id={descId} className="text-sm text-slate-700 dark:text-slate-300">
              {description}
            </div>
          )}
          {children}
        </div>
      )}
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  /** Runs the action; the dialog stays open with the error if it fails. */
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
  /** Extra inputs (e.g. "type your username"); `canConfirm` gates the button. */
  children?: ReactNode;
  canConfirm?: boolean;
}

export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  onConfirm,
  danger,
  children,
  canConfirm = true,
}: ConfirmProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} title={title} description={description} role="alertdialog">
      <form onSubmit={(e) => void submit(e)} className="space-y-4">
        {children}
        <FormError message={error} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} pending={pending} disabled={!canConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
