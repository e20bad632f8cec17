import { useMemo } from 'react';
import { timezoneList } from '../../../lib/dates.ts';

/** The <option>s of a timezone <select>: every IANA zone the browser knows, always including `include`. */
export function TimezoneOptions({ include }: { include: string }) {
  const zones = useMemo(() => timezoneList(include), [include]);
  return zones.map((z) => (
    <option key={z} value={z}>
      {z.replaceAll('_', ' ')}
    </option>
  ));
}
