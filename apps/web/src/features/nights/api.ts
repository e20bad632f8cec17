/** Game nights of a group (docs/api.md "Game nights"): the night query and its mutations. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiBody, NightDefaults, RsvpStatus } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

/**
 * A night lives under the group's day data (`['groups', id, 'day-data', …]`), so every invalidation of
 * the day's suggestions (a vote, a live event, a reconnection) refreshes the night's counts too.
 */
export const nightKeys = {
  all: (groupId: string) => ['groups', groupId, 'day-data', 'night'] as const,
  detail: (groupId: string, date: string) => ['groups', groupId, 'day-data', 'night', date] as const,
  /** The caller's own ranking (not under day-data: a live event must not overwrite a ballot being edited). */
  ballot: (groupId: string, date: string) => ['groups', groupId, 'ballot', date] as const,
};

export const nightQueries = {
  detail: (groupId: string, date: string) =>
    queryOptions({
      queryKey: nightKeys.detail(groupId, date),
      queryFn: () => call('GET /api/groups/{groupId}/nights/{date}', { params: { groupId, date } }),
    }),
  ballot: (groupId: string, date: string) =>
    queryOptions({
      queryKey: nightKeys.ballot(groupId, date),
      queryFn: () => call('GET /api/groups/{groupId}/nights/{date}/ballot', { params: { groupId, date } }),
    }),
};

export type NightPatch = ApiBody<'PATCH /api/groups/{groupId}/nights/{date}'>;

export const nightApi = {
  rsvp: (groupId: string, date: string, status: RsvpStatus) =>
    call('PUT /api/groups/{groupId}/nights/{date}/rsvp', { params: { groupId, date }, body: { status } }),
  close: (groupId: string, date: string) => call('POST /api/groups/{groupId}/nights/{date}/close', { params: { groupId, date } }),
  reopen: (groupId: string, date: string, closesAt: string) =>
    call('POST /api/groups/{groupId}/nights/{date}/reopen', { params: { groupId, date }, body: { closesAt } }),
  pick: (groupId: string, date: string, suggestionId: string) =>
    call('POST /api/groups/{groupId}/nights/{date}/pick', { params: { groupId, date }, body: { suggestionId } }),
  patch: (groupId: string, date: string, body: NightPatch) =>
    call('PATCH /api/groups/{groupId}/nights/{date}', { params: { groupId, date }, body }),
  saveBallot: (groupId: string, date: string, ranking: string[]) =>
    call('PUT /api/groups/{groupId}/nights/{date}/ballot', { params: { groupId, date }, body: { ranking } }),
  nudge: (groupId: string, date: string) => call('POST /api/groups/{groupId}/nights/{date}/nudge', { params: { groupId, date } }),
  updateDefaults: (groupId: string, nightDefaults: NonNullable<ApiBody<'PATCH /api/groups/{groupId}'>['nightDefaults']>) =>
    call('PATCH /api/groups/{groupId}', { params: { groupId }, body: { nightDefaults } }),
};

export const DEFAULT_NIGHT: NightDefaults = {
  startTime: '20:00',
  closeBeforeMinutes: 30,
  tieBreak: 'random',
  resultsVisibility: 'live',
  reminderBeforeMinutes: 60,
  method: 'approval',
  vetoes: 0,
};

/**
 * The random tie-break of docs/api.md, recomputed in the browser: candidates sorted by id, index = the first
 * 4 bytes of sha256(seed) read as a big-endian uint32, mod the number of candidates.
 */
export async function randomPick(seed: string, candidates: string[]): Promise<{ sorted: string[]; uint32: number; index: number }> {
  const sorted = [...candidates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed));
  const uint32 = new DataView(digest).getUint32(0, false);
  return { sorted, uint32, index: sorted.length === 0 ? -1 : uint32 % sorted.length };
}

/** "in 1 h 5 min", "in 42 s", for the deadline countdown. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'now';
  const total = Math.ceil(ms / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m >= 10) return `${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** A time of day in the group's timezone, e.g. "19:30". */
export function formatTimeIn(iso: string, timezone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString().slice(11, 16);
  }
}

/** `YYYY-MM-DDTHH:MM` of an instant in a timezone, for <input type="datetime-local">. */
export function toLocalInput(iso: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** The instant of a wall-clock `YYYY-MM-DDTHH:MM` in a timezone (two passes settle DST offsets). */
export function fromLocalInput(local: string, timezone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wanted = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const shown = toLocalInput(new Date(guess).toISOString(), timezone);
    const sm = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(shown);
    if (!sm) return null;
    const shownMs = Date.UTC(Number(sm[1]), Number(sm[2]) - 1, Number(sm[3]), Number(sm[4]), Number(sm[5]));
    guess += wanted - shownMs;
  }
  return new Date(guess).toISOString();
}

export const DECIDED_BY_LABEL: Record<string, string> = {
  votes: 'Most approvals',
  random: 'Random pick among the tied games',
  least_recent: 'Tie broken by the game that won longest ago',
  admin: 'Picked by an admin from the tied games',
};
