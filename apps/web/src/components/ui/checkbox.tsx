/**
 * Checkboxes drawn to match the app. The real checkbox is transparent and covers the whole row
 * (`CHECKBOX_INPUT_CLASS`), so the touch target is the row (44 px+) and assistive technology sees a plain
 * checkbox; `CheckboxMark`, the drawn box beside the text, follows its state through `peer-*` classes and
 * so must come right after the input.
 */
import { useId } from 'react';
import { cn } from './cn.ts';

export const CHECKBOX_INPUT_CLASS = 'peer absolute inset-0 size-full cursor-pointer opacity-0';

export function CheckboxMark({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        className,
        'flex size-5 shrink-0 items-center justify-center rounded border-2 border-slate-600 bg-white text-white peer-checked:border-indigo-700 peer-checked:bg-indigo-700 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 peer-checked:[&>svg]:block dark:border-slate-300 dark:bg-slate-900 dark:text-slate-950 dark:peer-checked:border-indigo-400 dark:peer-checked:bg-indigo-400 dark:peer-focus-visible:outline-indigo-300',
      )}
    >
      <svg viewBox="0 0 16 16" className="hidden size-4" fill="none" stroke="currentColor" strokeWidth="2.5">
        <path d="M3 8.5l3.2 3L13 4.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </span>
  );
}

/** A setting that is on or off: the checkbox row with a bold label and a hint under it (the hint describes the box). */
export function Toggle({
  label,
  hint,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  hint: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <label htmlFor={id} className="relative flex min-h-11 cursor-pointer items-start gap-3 rounded-lg py-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
        className={CHECKBOX_INPUT_CLASS}
      />
      <CheckboxMark className="mt-0.5" />
      <span>
        <span className="block font-semibold">{label}</span>
        <span id={`${id}-hint`} className="block text-sm text-slate-700 dark:text-slate-300">
          {hint}
        </span>
      </span>
    </label>
  );
}
