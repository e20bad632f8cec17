/** A group's statistics (docs/api.md "Fair picks": GET /api/groups/:groupId/stats ?from&to). */
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { addDays, formatShortDay, isDay } from '../../lib/dates.ts';

export const statsKeys = {
  // Not under day-data: every vote invalidates that, and the stats change only when a night closes.
  range: (groupId: string, from: string, to: string) => ['groups', groupId, 'stats', from, to] as const,
  /** The closed nights for streaks: also kept out of day-data, for the same reason. */
  history: (groupId: string, from: string, to: string) => ['groups', groupId, 'stats', 'history', from, to] as const,
};

export const statsQueries = {
  range: (groupId: string, from: string, to: string) =>
    queryOptions({
      queryKey: statsKeys.range(groupId, from, to),
      queryFn: () => call('GET /api/groups/{groupId}/stats', { params: { groupId }, query: { from, to } }),
    }),
  /** GET …/history (closed nights, newest first), for the streaks. */
  history: (groupId: string, from: string, to: string) =>
    queryOptions({
      queryKey: statsKeys.history(groupId, from, to),
      queryFn: () => call('GET /api/groups/{groupId}/history', { params: { groupId }, query: { from, to } }),
    }),
};

/** The server's limit on one range. */
export const MAX_RANGE_DAYS = 366;
/** What the page shows first: the last 90 days up to today (group time). */
export const DEFAULT_RANGE_DAYS = 90;

export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -(DEFAULT_RANGE_DAYS - 1)), to: today };
}

/** The same rules as the server: real days, from ≤ to, at most 366 days. */
export function rangeErrors(from: string, to: string): { from?: string; to?: string } {
  if (!isDay(from)) return { from: 'Enter a start date.' };
  if (!isDay(to)) return { to: 'Enter an end date.' };
  if (from > to) return { from: 'The start date must be on or before the end date.' };
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) return { to: `Pick at most ${MAX_RANGE_DAYS} days.` };
  return {};
}

/** One CSV field (RFC 4180 quoting), with formula-looking text defused for spreadsheets. */
function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** "queuecrew-friday-crew-games-2026-09-01-to-2026-11-29.csv" */
export function csvFilename(groupName: string, table: string, from: string, to: string): string {
  const slug =
    groupName
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'group';
  return `queuecrew-${slug}-${table}-${from}-to-${to}.csv`;
}

export function downloadCsv(filename: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "today", "yesterday", "3 days ago" between two days; a later day (a night closed early) by its date. */
export function daysAgo(day: string, today: string): string {
  const n = Math.round((Date.parse(`${today}T12:00:00Z`) - Date.parse(`${day}T12:00:00Z`)) / 86_400_000);
  if (n < 0) return `on ${formatShortDay(day)}`;
  if (n === 0) return 'today';
  if (n === 1) return 'yesterday';
  return `${n} days ago`;
}
