/**
 * Reading the calendar feed: the feed row by the hash of its token, then the caller's groups and their
 * nights in a handful of set queries (not one per night). Memberships are read on every request, so a
 * group the user left is gone from the very next fetch.
 *
 * The nights come straight from the tables (nights, suggestions, rsvps): a date without a `nights` row
 * is a virtual night whose times follow from the group's defaults (lib/time.ts nightInstants).
 */
import { z } from '@hono/zod-openapi';
import { CalendarFeedSchema } from '@queuecrew/shared';
import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { addDays, dayInTimezone, nightInstants } from '../../lib/time.ts';

export { CalendarFeedSchema };

/** newToken(32): 32 random bytes, base64url without padding = 43 characters. */
export const TOKEN_BYTES = 32;
export const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** The path segment of a feed: `<token>.ics`. */
const FILE_RE = /^([A-Za-z0-9_-]{43})\.ics$/;

export const DAYS_BACK = 30;
export const DAYS_AHEAD = 60;

export const FeedParams = z.object({
  token: z
    .string()
    // Anything but 43 token characters and `.ics` is answered 404 without a lookup (tokenFromFile).
    .openapi({
      param: { name: 'token', in: 'path' },
      description: 'The secret token followed by `.ics` (anything else: 404)',
      example: '3Nq2V8cAkq0Yx7uWm1bRzT5eLh9JdF2oPs6gNv4CiQa.ics',
      maxLength: 47,
      pattern: '^[A-Za-z0-9_-]{43}\\.ics$',
    }),
});

/** The token in a `<token>.ics` path segment, or undefined when it cannot be one of ours (404, no lookup). */
export function tokenFromFile(file: string): string | undefined {
  return FILE_RE.exec(file)?.[1];
}

export const feedUrl = (appUrl: string, token: string) => `${appUrl}/api/calendar/${token}.ics`;

/** The user a token belongs to: looked up by its SHA-256 (the token itself is never stored). */
export async function findFeedOwner(db: Db | Tx, token: string): Promise<{ userId: string; username: string } | undefined> {
  return db
    .select({ userId: schema.calendarFeeds.userId, username: schema.users.username })
    .from(schema.calendarFeeds)
    .innerJoin(schema.users, eq(schema.users.id, schema.calendarFeeds.userId))
    .where(and(eq(schema.calendarFeeds.tokenHash, sha256(token)), sql`${schema.users.disabledAt} IS NULL`))
    .get();
}

export interface FeedGroup {
  id: string;
  name: string;
  timezone: string;
  startTime: string;
  closeBeforeMinutes: number;
}

export interface FeedNight {
  group: FeedGroup;
  day: string;
  startsAt: Date;
  closesAt: Date;
  status: 'open' | 'closed' | 'cancelled';
  /** Only ever set for a closed night: hidden results never name a leader before the close. */
  winner: { gameName: string; votes: number | null } | null;
  suggestions: number;
  myRsvp: 'in' | 'maybe' | null;
}

/**
 * The nights of `userId`'s groups from DAYS_BACK before to DAYS_AHEAD after today (each group's own
 * today) that have a suggestion or the user's RSVP in/maybe. Four queries whatever the number of nights.
 */
export async function listFeedNights(db: Db | Tx, userId: string, now: Date): Promise<FeedNight[]> {
  const groups: FeedGroup[] = await db
    .select({
      id: schema.groups.id,
      name: schema.groups.name,
      timezone: schema.groups.timezone,
      startTime: schema.groups.nightStartTime,
      closeBeforeMinutes: schema.groups.nightCloseBeforeMinutes,
    })
    .from(schema.memberships)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.memberships.groupId))
    .where(eq(schema.memberships.userId, userId));
  if (groups.length === 0) return [];

  // Each group's window in its own days; the queries take the union and the rows are filtered below.
  const windows = new Map(
    groups.map((g) => {
      const today = dayInTimezone(g.timezone, now);
      return [g.id, { from: addDays(today, -DAYS_BACK), to: addDays(today, DAYS_AHEAD) }] as const;
    }),
  );
  const from = [...windows.values()].map((w) => w.from).sort()[0]!;
  const to = [...windows.values()]
    .map((w) => w.to)
    .sort()
    .at(-1)!;
  const groupIds = groups.map((g) => g.id);

  const [counts, rsvps, rows] = await Promise.all([
    db
      .select({ groupId: schema.suggestions.groupId, day: schema.suggestions.day, n: sql<number>`count(*)` })
      .from(schema.suggestions)
      .where(and(inArray(schema.suggestions.groupId, groupIds), gte(schema.suggestions.day, from), lte(schema.suggestions.day, to)))
      .groupBy(schema.suggestions.groupId, schema.suggestions.day),
    db
      .select({ groupId: schema.rsvps.groupId, day: schema.rsvps.day, status: schema.rsvps.status })
      .from(schema.rsvps)
      .where(
        and(
          eq(schema.rsvps.userId, userId),
          inArray(schema.rsvps.groupId, groupIds),
          inArray(schema.rsvps.status, ['in', 'maybe']),
          gte(schema.rsvps.day, from),
          lte(schema.rsvps.day, to),
        ),
      ),
    db
      .select({
        groupId: schema.nights.groupId,
        day: schema.nights.day,
        startsAt: schema.nights.startsAt,
        closesAt: schema.nights.closesAt,
        status: schema.nights.status,
        winnerGameName: schema.nights.winnerGameName,
        winnerVotes: schema.nights.winnerVotes,
      })
      .from(schema.nights)
      .where(and(inArray(schema.nights.groupId, groupIds), gte(schema.nights.day, from), lte(schema.nights.day, to))),
  ]);

  const key = (groupId: string, day: string) => `${groupId}\u0000${day}`;
  const suggestionCount = new Map(counts.map((r) => [key(r.groupId, r.day), Number(r.n)]));
  const myRsvp = new Map(rsvps.map((r) => [key(r.groupId, r.day), r.status as 'in' | 'maybe']));
  const nightRow = new Map(rows.map((r) => [key(r.groupId, r.day), r]));
  const byId = new Map(groups.map((g) => [g.id, g]));

  const out: FeedNight[] = [];
  const seen = new Set<string>();
  for (const k of [...suggestionCount.keys(), ...myRsvp.keys()]) {
    if (seen.has(k)) continue;
    seen.add(k);
    const [groupId, day] = k.split('\u0000') as [string, string];
    const group = byId.get(groupId)!;
    const window = windows.get(groupId)!;
    if (day < window.from || day > window.to) continue;
    const row = nightRow.get(k);
    const times = row ?? nightInstants(group.timezone, day, group.startTime, group.closeBeforeMinutes);
    const status = row?.status ?? 'open';
    out.push({
      group,
      day,
      startsAt: times.startsAt,
      closesAt: times.closesAt,
      status,
      winner: status === 'closed' && row?.winnerGameName != null ? { gameName: row.winnerGameName, votes: row.winnerVotes ?? null } : null,
      suggestions: suggestionCount.get(k) ?? 0,
      myRsvp: myRsvp.get(k) ?? null,
    });
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.group.id.localeCompare(b.group.id));
}
