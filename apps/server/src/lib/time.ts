/** Days are always computed in the group's timezone by these helpers. */

export function isValidTimezone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

function formatDay(timezone: string, instantMs: number): string {
  const parts = formatterFor(timezone).formatToParts(instantMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The last day computed per timezone, with the window it is valid for: a 15-minute slot of UTC time
 * whose first and last millisecond fall on that same day. Every request asks for "today" in its group's
 * timezone, and `formatToParts` costs 2–5 % of a request; a cached day is reused only inside
 * its slot, so midnight (and a DST change) is never missed: a slot that contains a day boundary is
 * never cached.
 */
const DAY_SLOT_MS = 15 * 60_000;
const lastDays = new Map<string, { slot: number; day: string }>();

/** The calendar day (YYYY-MM-DD) of `instant` in `timezone`. */
export function dayInTimezone(timezone: string, instant: Date = new Date()): string {
  const ms = instant.getTime();
  const slot = Math.floor(ms / DAY_SLOT_MS);
  const cached = lastDays.get(timezone);
  if (cached && cached.slot === slot) return cached.day;
  const day = formatDay(timezone, ms);
  const start = slot * DAY_SLOT_MS;
  if (formatDay(timezone, start) === day && formatDay(timezone, start + DAY_SLOT_MS - 1) === day) {
    if (lastDays.size >= 1000 && !lastDays.has(timezone)) lastDays.clear();
    lastDays.set(timezone, { slot, day });
  }
  return day;
}

const shiftedDays = new Map<string, string>();

/** `day` shifted by `delta` days (pure calendar arithmetic; answers remembered, at most 1,000). */
export function addDays(day: string, delta: number): string {
  const key = `${day}|${delta}`;
  const known = shiftedDays.get(key);
  if (known !== undefined) return known;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  const shifted = d.toISOString().slice(0, 10);
  if (shiftedDays.size >= 1000) shiftedDays.clear();
  shiftedDays.set(key, shifted);
  return shifted;
}

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a wall-clock time "HH:MM" (00:00–23:59). */
export function isValidTime(time: string): boolean {
  return TIME_RE.test(time);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** The offset of `timezone` from UTC at `instantMs`, in milliseconds (positive east of Greenwich). */
function offsetAt(timezone: string, instantMs: number): number {
  let f = offsetFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timezone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instantMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timezone` reads `time` on `day`. Across a DST change it
 * behaves like Temporal's "compatible" disambiguation: a time skipped by a spring-forward gap moves
 * forward by the gap (02:30 → 03:30), a time that occurs twice in a fall-back overlap is the earlier one.
 */
export function zonedInstant(timezone: string, day: string, time: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets a day and more either side of the wall time bracket any transition near it (the instant
  // lies within ±14 h of the wall time read as UTC; transitions are months apart).
  const before = offsetAt(timezone, wall - 30 * 3_600_000);
  const after = offsetAt(timezone, wall + 30 * 3_600_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsetAt(timezone, instant) === wall)
    .sort((a, b) => a - b);
  // Overlap: two candidates, take the earlier. Gap: none matches, shift forward by the gap.
  return new Date(candidates[0] ?? wall - before);
}

/** A night's start and voting deadline from the group's defaults ("HH:MM" start, minutes before). */
export function nightInstants(
  timezone: string,
  day: string,
  startTime: string,
  closeBeforeMinutes: number,
): { startsAt: Date; closesAt: Date } {
  const startsAt = zonedInstant(timezone, day, startTime);
  return { startsAt, closesAt: new Date(startsAt.getTime() - closeBeforeMinutes * 60_000) };
}
