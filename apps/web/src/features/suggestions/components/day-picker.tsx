/** Previous / next day, a date field, and a way back to today. The day lives in the URL (?day=). */
import { useNavigate } from '@tanstack/react-router';
import { useId } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { inputClass } from '../../../components/ui/field.tsx';
import { addDays, formatDay, isDay } from '../../../lib/dates.ts';

export function DayPicker({ groupId, day, today }: { groupId: string; day: string; today: string }) {
  const navigate = useNavigate();
  const id = useId();
  const go = (d: string) =>
    void navigate({ to: '/groups/$groupId', params: { groupId }, search: d === today ? {} : { day: d }, replace: true });
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
            className={`${inputClass} w-36 min-w-0 sm:w-auto`}
            value={day}
            max={addDays(today, 1)}
            onChange={(e) => {
              if (isDay(e.target.value)) go(e.target.value);
            }}
          />
        </div>
        <Button
          variant="secondary"
          onClick={() => go(addDays(day, 1))}
          disabled={day >= addDays(today, 1)}
          aria-label={`Next day (${formatDay(addDays(day, 1))})`}
        >
          <span className="sr-only sm:not-sr-only">Next</span>→
        </Button>
      </div>
      {day !== today && (
        <Button variant="ghost" onClick={() => go(today)}>
          Back to today
        </Button>
      )}
    </div>
  );
}
