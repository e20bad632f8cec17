/**
 * The timezone picker of the create and settings forms: canonical IANA zones only (no legacy aliases
 * such as "US/Eastern" or "Etc/GMT+5"), each with its current UTC offset, sorted by offset, and a filter
 * box (city, region or offset like "+01") so nobody scrolls through 400 names.
 */
import { useId, useMemo, useState, type ChangeEvent, type ReactNode } from 'react';
import { Field, SelectField } from '../../../components/ui/field.tsx';
import { timezoneList } from '../../../lib/dates.ts';

/** Old names kept in the tz database for compatibility only: never offered, but kept when already chosen. */
const LEGACY = /^(US|Canada|Brazil|Mexico|Chile|Etc|SystemV|Antarctica\/South_Pole)\/|^[^/]+$/;

function offsetMinutes(zone: string, at: Date): number {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    // "GMT", "GMT+01:00", "GMT-03:30"
    if (!part || part.length < 6) return 0;
    const sign = part[3] === '-' ? -1 : 1;
    const [h, m] = part.slice(4).split(':');
    return sign * (Number(h) * 60 + Number(m ?? 0));
  } catch {
    return 0;
  }
}

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

interface Zone {
  id: string;
  label: string;
  search: string;
}

export function timezoneChoices(include: string, at = new Date()): Zone[] {
  const zones = timezoneList(include).filter((z) => z === include || z === 'UTC' || !LEGACY.test(z));
  return zones
    .map((id) => ({ id, minutes: offsetMinutes(id, at) }))
    .sort((a, b) => a.minutes - b.minutes || a.id.localeCompare(b.id))
    .map(({ id, minutes }) => {
      const label = `(${offsetLabel(minutes)}) ${id.replaceAll('_', ' ')}`;
      return { id, label, search: `${label} ${id} ${offsetLabel(minutes).replace('−', '-')}`.toLowerCase() };
    });
}

/** The <option>s of a timezone <select>, always including `include` (the current value). */
export function TimezoneOptions({ include, filter = '' }: { include: string; filter?: string }) {
  const zones = useMemo(() => timezoneChoices(include), [include]);
  const q = filter.trim().toLowerCase().replaceAll(' ', '_');
  const shown = q ? zones.filter((z) => z.id === include || z.search.includes(q) || z.search.includes(filter.trim().toLowerCase())) : zones;
  return shown.map((z) => (
    <option key={z.id} value={z.id}>
      {z.label}
    </option>
  ));
}

/** Filter box + select. `value` stays selectable whatever the filter says. */
export function TimezoneSelect({
  value,
  onChange,
  error,
  hint,
  name,
}: {
  value: string;
  onChange: (e: ChangeEvent<HTMLSelectElement>) => void;
  error?: string | undefined;
  hint?: ReactNode;
  name?: string;
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  return (
    <div className="space-y-2" id={id}>
      <Field
        label="Filter the list (city, region or UTC offset)"
        type="search"
        autoComplete="off"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <SelectField label="Timezone" name={name} value={value} onChange={onChange} error={error} hint={hint}>
        <TimezoneOptions include={value} filter={filter} />
      </SelectField>
    </div>
  );
}
