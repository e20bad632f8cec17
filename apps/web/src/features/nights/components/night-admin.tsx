/**
 * Admin controls of one night, behind a disclosure: close voting now, reopen with a new deadline, move
 * the start and close times, set its voting method and vetoes (until someone votes: `method_locked`),
 * cancel (or restore) the night. Each change that others notice asks first.
 * Times are entered in the group's timezone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError, SelectField } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { detailedErrorMessage, isApiError } from '../../../lib/api-client.ts';
import type { Night, NightMethod } from '@queuecrew/shared';
import { suggestionKeys } from '../../suggestions/api.ts';
import { formatTimeIn, fromLocalInput, nightApi, nightKeys, toLocalInput } from '../api.ts';

type Pending = 'close' | 'reopen' | 'cancel' | 'restore';

export function NightAdmin({ night, timezone }: { night: Night; timezone: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const tzLabel = timezone.replaceAll('_', ' ');
  const [confirm, setConfirm] = useState<Pending>();
  const [startsAt, setStartsAt] = useState(() => toLocalInput(night.startsAt, timezone));
  const [closesAt, setClosesAt] = useState(() => toLocalInput(night.closesAt, timezone));
  const [reopenAt, setReopenAt] = useState(() => toLocalInput(new Date(Date.now() + 30 * 60_000).toISOString(), timezone));
  const [timesError, setTimesError] = useState<{ form?: string; startsAt?: string; closesAt?: string }>({});
  const [reopenError, setReopenError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [method, setMethod] = useState<NightMethod>(night.method);
  const [vetoes, setVetoes] = useState<0 | 1>(night.vetoes === 1 ? 1 : 0);
  const [methodError, setMethodError] = useState<string>();
  const [savingMethod, setSavingMethod] = useState(false);
  const [seenMethod, setSeenMethod] = useState(`${night.method}|${night.vetoes}`);
  if (seenMethod !== `${night.method}|${night.vetoes}`) {
    setSeenMethod(`${night.method}|${night.vetoes}`);
    setMethod(night.method);
    setVetoes(night.vetoes === 1 ? 1 : 0);
  }
  // The night moved under us (another admin, a live event): show its new times.
  const [seen, setSeen] = useState(`${night.startsAt}|${night.closesAt}`);
  if (seen !== `${night.startsAt}|${night.closesAt}`) {
    setSeen(`${night.startsAt}|${night.closesAt}`);
    setStartsAt(toLocalInput(night.startsAt, timezone));
    setClosesAt(toLocalInput(night.closesAt, timezone));
  }

  // A dialog closes itself after its action; by then another may have been opened (the night changed
  // under the buttons), so each one only closes itself.
  const closeDialog = (which: Pending) => setConfirm((c) => (c === which ? undefined : c));

  const apply = async (n: Night) => {
    qc.setQueryData(nightKeys.detail(night.groupId, night.date), n);
    await qc.invalidateQueries({ queryKey: suggestionKeys.group(night.groupId) });
  };

  const saveTimes = async (e: FormEvent) => {
    e.preventDefault();
    const s = fromLocalInput(startsAt, timezone);
    const c = fromLocalInput(closesAt, timezone);
    if (!s || !c) return setTimesError({ form: 'Enter both times as a date and a time.' });
    if (c > s) return setTimesError({ closesAt: 'Voting must close at or before the start time.' });
    setSaving(true);
    setTimesError({});
    try {
      await apply(await nightApi.patch(night.groupId, night.date, { startsAt: s, closesAt: c }));
      toast(`Night moved: starts ${formatTimeIn(s, timezone)}, voting closes ${formatTimeIn(c, timezone)}.`);
    } catch (err) {
      const f = isApiError(err) ? err.fieldErrors : {};
      setTimesError({ form: detailedErrorMessage(err), startsAt: f.startsAt, closesAt: f.closesAt });
    } finally {
      setSaving(false);
    }
  };

  const saveMethod = async (e: FormEvent) => {
    e.preventDefault();
    setSavingMethod(true);
    setMethodError(undefined);
    try {
      await apply(await nightApi.patch(night.groupId, night.date, { method, vetoes }));
      toast(
        `This night: ${method === 'ranked' ? 'ranked choice' : 'approval voting'}, ${vetoes === 1 ? 'one veto per member' : 'no vetoes'}.`,
      );
    } catch (err) {
      setMethodError(
        isApiError(err) && err.code === 'method_locked'
          ? 'Someone has already voted, ranked or vetoed on this night, so its voting method and vetoes are fixed. Change the group’s defaults for the nights to come instead.'
          : detailedErrorMessage(err),
      );
    } finally {
      setSavingMethod(false);
    }
  };

  const canReopen = night.status === 'closed' && new Date(night.startsAt).getTime() > Date.now();
  return (
    <details className="rounded-lg border border-slate-300 p-3 dark:border-slate-700" data-testid="night-admin">
      <summary className="inline-flex min-h-11 cursor-pointer items-center font-semibold">Manage this night (admins)</summary>
      <div className="mt-3 space-y-4">
        <div className="flex flex-wrap gap-2">
          {night.status === 'open' && (
            <>
              <Button onClick={() => setConfirm('close')}>Close voting now…</Button>
              <Button variant="danger" onClick={() => setConfirm('cancel')}>
                Cancel the night…
              </Button>
            </>
          )}
          {night.status === 'cancelled' && (
            <Button variant="secondary" onClick={() => setConfirm('restore')}>
              Restore the night…
            </Button>
          )}
        </div>

        {night.status === 'closed' &&
          (canReopen ? (
            <form
              className="space-y-2"
              aria-label="Reopen voting"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (!fromLocalInput(reopenAt, timezone)) return setReopenError('Enter a date and a time.');
                setReopenError(undefined);
                setConfirm('reopen');
              }}
            >
              <Field
                label={`Reopen voting until (${tzLabel} time)`}
                type="datetime-local"
                value={reopenAt}
                onChange={(e) => setReopenAt(e.target.value)}
                error={reopenError}
              />
              <Button type="submit" variant="secondary">
                Reopen voting…
              </Button>
            </form>
          ) : (
            <p className="text-sm text-slate-700 dark:text-slate-300">The night has started, so voting cannot be reopened.</p>
          ))}

        {night.status === 'open' && (
          <form className="space-y-2" aria-label="Move this night" noValidate onSubmit={(e) => void saveTimes(e)}>
            <FormError message={timesError.form} />
            <div className="grid gap-2 sm:grid-cols-2">
              <Field
                label={`Starts (${tzLabel} time)`}
                type="datetime-local"
                value={startsAt}
                onChange={(e) => setStartsAt(e.target.value)}
                error={timesError.startsAt}
              />
              <Field
                label={`Voting closes (${tzLabel} time)`}
                type="datetime-local"
                value={closesAt}
                onChange={(e) => setClosesAt(e.target.value)}
                error={timesError.closesAt}
              />
            </div>
            <Button type="submit" variant="secondary" pending={saving}>
              Save times
            </Button>
          </form>
        )}

        {night.status === 'open' && (
          <form className="space-y-2" aria-label="This night’s voting method and vetoes" noValidate onSubmit={(e) => void saveMethod(e)}>
            <FormError message={methodError} />
            <div className="grid gap-2 sm:grid-cols-2">
              <SelectField label="Voting method of this night" value={method} onChange={(e) => setMethod(e.target.value as NightMethod)}>
                <option value="approval">Approval</option>
                <option value="ranked">Ranked choice</option>
              </SelectField>
              <SelectField label="Vetoes on this night" value={String(vetoes)} onChange={(e) => setVetoes(e.target.value === '1' ? 1 : 0)}>
                <option value="0">Off</option>
                <option value="1">One per member</option>
              </SelectField>
            </div>
            <Button type="submit" variant="secondary" pending={savingMethod}>
              Save voting method
            </Button>
          </form>
        )}
      </div>

      <ConfirmDialog
        open={confirm === 'close'}
        onClose={() => closeDialog('close')}
        title="Close voting now?"
        description="The winner is decided now and announced to everyone. You can reopen voting until the night starts."
        confirmLabel="Close voting"
        onConfirm={async () => apply(await nightApi.close(night.groupId, night.date))}
      />
      <ConfirmDialog
        open={confirm === 'cancel'}
        onClose={() => closeDialog('cancel')}
        title="Cancel this night?"
        description="Nobody can suggest, vote or answer for it until it is restored."
        confirmLabel="Cancel the night"
        danger
        onConfirm={async () => apply(await nightApi.patch(night.groupId, night.date, { status: 'cancelled' }))}
      />
      <ConfirmDialog
        open={confirm === 'restore'}
        onClose={() => closeDialog('restore')}
        title="Restore this night?"
        description="Voting opens again with the night’s times."
        confirmLabel="Restore the night"
        onConfirm={async () => apply(await nightApi.patch(night.groupId, night.date, { status: 'open' }))}
      />
      <ConfirmDialog
        open={confirm === 'reopen'}
        onClose={() => closeDialog('reopen')}
        title="Reopen voting?"
        description={`The winner is cleared and voting stays open until ${reopenAt.replace('T', ' ')} (${tzLabel} time).`}
        confirmLabel="Reopen voting"
        onConfirm={async () => {
          const at = fromLocalInput(reopenAt, timezone);
          if (at) await apply(await nightApi.reopen(night.groupId, night.date, at));
        }}
      />
    </details>
  );
}
