/**
 * Admins: the group's game-night defaults (docs/api.md "Game nights"): start time, how long before it voting
 * closes, tie-break, results visibility, the reminder, the voting method (approval or ranked choice) and
 * vetoes. Nights not edited by hand follow a change; a night keeps its method and vetoes from its first
 * suggestion, approval, ballot or veto on (docs/api.md "Fair picks").
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { Field, FormError, SelectField } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { GroupDetail, NightDefaults, NightMethod, ResultsVisibility, TieBreak } from '@queuecrew/shared';
import { DEFAULT_NIGHT, nightApi } from '../api.ts';

type Editable = Pick<
  NightDefaults,
  'startTime' | 'closeBeforeMinutes' | 'tieBreak' | 'resultsVisibility' | 'reminderBeforeMinutes' | 'method' | 'vetoes'
>;
type Errors = Partial<Record<keyof Editable | 'form', string>>;

function minutesError(v: string, what: string): string | undefined {
  const n = Number(v);
  return v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 720 ? `${what}: enter whole minutes from 0 to 720.` : undefined;
}

export function NightSettings({ group }: { group: GroupDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const d = group.nightDefaults ?? DEFAULT_NIGHT;
  const [startTime, setStartTime] = useState(d.startTime);
  const [closeBefore, setCloseBefore] = useState(String(d.closeBeforeMinutes));
  const [tieBreak, setTieBreak] = useState<TieBreak>(d.tieBreak);
  const [visibility, setVisibility] = useState<ResultsVisibility>(d.resultsVisibility);
  const [reminder, setReminder] = useState(String(d.reminderBeforeMinutes));
  const [method, setMethod] = useState<NightMethod>(d.method);
  const [vetoes, setVetoes] = useState<0 | 1>(d.vetoes === 1 ? 1 : 0);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {
      startTime: /^([01]\d|2[0-3]):[0-5]\d$/.test(startTime) ? undefined : 'Enter a start time as hours and minutes, e.g. 20:00.',
      closeBeforeMinutes: minutesError(closeBefore, 'Voting closes before the start'),
      reminderBeforeMinutes: minutesError(reminder, 'Reminder'),
    };
    if (Object.values(local).some(Boolean)) return setErrors({ ...local, form: 'Some settings need attention.' });
    setPending(true);
    setErrors({});
    try {
      await nightApi.updateDefaults(group.id, {
        startTime,
        closeBeforeMinutes: Number(closeBefore),
        tieBreak,
        resultsVisibility: visibility,
        reminderBeforeMinutes: Number(reminder),
        method,
        vetoes,
      });
      await qc.invalidateQueries({ queryKey: ['groups', group.id] });
      toast('Night settings saved.');
    } catch (err) {
      const f = isApiError(err) ? err.fieldErrors : {};
      const pick = (k: keyof Editable) => f[`nightDefaults.${k}`] ?? f[k];
      setErrors({
        form: errorMessage(err),
        startTime: pick('startTime'),
        closeBeforeMinutes: pick('closeBeforeMinutes'),
        tieBreak: pick('tieBreak'),
        resultsVisibility: pick('resultsVisibility'),
        reminderBeforeMinutes: pick('reminderBeforeMinutes'),
        method: pick('method'),
        vetoes: pick('vetoes'),
      });
    } finally {
      setPending(false);
    }
  };

  return (
    <Card id="night-settings" title="Game nights">
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Night settings">
        <p className="text-slate-700 dark:text-slate-300">
          Every day is a game night. These are the defaults; an admin can still move, close or cancel a single night on its page.
        </p>
        <FormError message={errors.form} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Night starts at"
            type="time"
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
            hint={`${group.timezone.replaceAll('_', ' ')} time`}
            error={errors.startTime}
          />
          <Field
            label="Voting closes (minutes before the start)"
            type="number"
            inputMode="numeric"
            min={0}
            max={720}
            value={closeBefore}
            onChange={(e) => setCloseBefore(e.target.value)}
            hint="0 to 720; 30 closes voting half an hour before."
            error={errors.closeBeforeMinutes}
          />
          <SelectField
            label="When games tie"
            value={tieBreak}
            onChange={(e) => setTieBreak(e.target.value as TieBreak)}
            error={errors.tieBreak}
          >
            <option value="random">Random pick anyone can check</option>
            <option value="least_recent">The game that won longest ago</option>
            <option value="admin">An admin picks</option>
          </SelectField>
          <SelectField
            label="Results"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as ResultsVisibility)}
            error={errors.resultsVisibility}
          >
            <option value="live">Shown live while voting</option>
            <option value="after_close">Hidden until voting closes</option>
          </SelectField>
          <Field
            label="Reminder (minutes before voting closes)"
            type="number"
            inputMode="numeric"
            min={0}
            max={720}
            value={reminder}
            onChange={(e) => setReminder(e.target.value)}
            hint="Reminds who hasn’t voted yet; 0 turns it off."
            error={errors.reminderBeforeMinutes}
          />
          <SelectField
            label="Voting method"
            value={method}
            onChange={(e) => setMethod(e.target.value as NightMethod)}
            hint="Ranked choice: everyone orders the games, decided by instant runoff."
            error={errors.method}
          >
            <option value="approval">Approval (approve as many as you like)</option>
            <option value="ranked">Ranked choice</option>
          </SelectField>
          <SelectField
            label="Vetoes"
            value={String(vetoes)}
            onChange={(e) => setVetoes(e.target.value === '1' ? 1 : 0)}
            hint="A vetoed game cannot win that night."
            error={errors.vetoes}
          >
            <option value="0">Off</option>
            <option value="1">One per member and night</option>
          </SelectField>
        </div>
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="night-method">
          A night keeps its method and vetoes once someone has suggested, voted or vetoed on it; a change here applies to the nights nobody
          has started yet.
        </p>
        <Button type="submit" pending={pending}>
          Save night settings
        </Button>
      </form>
    </Card>
  );
}
