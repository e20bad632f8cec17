/**
 * Previous / next day, a date field, and a way back to today. The day lives in the URL (?day=).
 * The field keeps what is being typed as a draft: it navigates only once the value is a complete, real
 * date within today … today + 60 (or on Enter / leaving the field), so typing "2026" into the year does
 * not jump through the years 2, 20 and 202 on the way.
 */
import { useNavigate } from '@tanstack/react-router';
import { useId, useState, type KeyboardEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { inputClass } from '../../../components/ui/field.tsx';
import { addDays, formatDay, isDay, PLAN_AHEAD_DAYS } from '../../../lib/dates.ts';

export function DayPicker({ groupId, day, today }: { groupId: string; day: string; today: string }) {
  const navigate = useNavigate();
  const id = useId();
  const errorId = `${id}-error`;
  const last = addDays(today, PLAN_AHEAD_DAYS);
  const [draft, setDraft] = useState(day);
  const [shownDay, setShownDay] = useState(day);
  const [error, setError] = useState<string>();
  // The URL moved (Prev/Next, a link, another tab): show that day in the field.
  if (shownDay !== day) {
    setShownDay(day);
    setDraft(day);
    setError(undefined);
  }
  const go = (d: string) =>
    void navigate({ to: '/groups/$groupId', params: { groupId }, search: d === today ? {} : { day: d }, replace: true });
  const inRange = (v: string) => isDay(v) && v >= today && v <= last;
  const commit = () => {
    if (draft === day) return setError(undefined);
    if (inRange(draft)) {
      setError(undefined);
      go(draft);
    } else if (draft !== '') {
      setError(`Pick a day from ${formatDay(today)} to ${formatDay(last)}.`);
    }
  };
  const atEnd = day >= last;
  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Choose a day">
      <div className="flex items-end gap-2">
        <Button variant="secondary" onClick={() => go(addDays(day, -1))} aria-label={`Previous day (${formatDay(addDays(day, -1))})`}>
          ←<span className="sr-only sm:not-sr-only">Previous</span>
        </Button>
        <div>
          <label htmlFor={id} className="block text-sm font-semibold">
            Day
          </label>
          <input
            id={id}
            type="date"
            className={`${inputClass} w-40 min-w-0 sm:w-auto`}
            value={draft}
            min={today}
            max={last}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => {
              const v = e.target.value;
              setDraft(v);
              if (error) setError(undefined);
              if (inRange(v) && v !== day) go(v);
            }}
            onBlur={commit}
            onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                commit();
              }
            }}
          />
        </div>
        <Button
          variant="secondary"
          onClick={() => {
            if (!atEnd) go(addDays(day, 1));
          }}
          // aria-disabled, not disabled: focus stays on the button when it reaches the last day.
          aria-disabled={atEnd || undefined}
          className="aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
          aria-label={
            atEnd ? `Next day (nights can be planned up to ${PLAN_AHEAD_DAYS} days ahead)` : `Next day (${formatDay(addDays(day, 1))})`
          }
        >
          <span className="sr-only sm:not-sr-only">Next</span>→
        </Button>
      </div>
      {day !== today && (
        <Button variant="ghost" onClick={() => go(today)}>
          Back to today
        </Button>
      )}
      {error && (
        <p id={errorId} className="w-full text-sm font-medium text-red-700 dark:text-red-300" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
