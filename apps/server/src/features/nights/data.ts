/**
 * Reading game nights and shaping them for the API (docs/api.md "Game nights"). A night is a row once
 * something changed it; until then it is "virtual": the same shape, computed from the group's defaults.
 * DTOs for any number of nights are built from three queries (members, RSVPs, voters of the range).
 */
import type { z } from '@hono/zod-openapi';
import { NightSchema, NightUserSchema, NightWinnerSchema, RSVP_STATUSES } from '@queuecrew/shared';
import { and, asc, between, eq, sql } from 'drizzle-orm';
import { preparedFor, schema, type Db, type Tx } from '../../db/client.ts';
import { nightInstants } from '../../lib/time.ts';

export { NightUserSchema, NightWinnerSchema, NightSchema };

export type NightRow = typeof schema.nights.$inferSelect;
export type GroupRow = typeof schema.groups.$inferSelect;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

export type NightUser = z.infer<typeof NightUserSchema>;

export type NightDto = z.infer<typeof NightSchema>;

export interface Schedule {
  startsAt: Date;
  closesAt: Date;
  remindAt: Date | null;
}

export function remindAtFor(closesAt: Date, reminderBeforeMinutes: number): Date | null {
  return reminderBeforeMinutes > 0 ? new Date(closesAt.getTime() - reminderBeforeMinutes * 60_000) : null;
}

/** Start, deadline and reminder of `day` from the group's defaults, in the group's timezone. */
export function scheduleFor(group: GroupRow, day: string): Schedule {
  const { startsAt, closesAt } = nightInstants(group.timezone, day, group.nightStartTime, group.nightCloseBeforeMinutes);
  return { startsAt, closesAt, remindAt: remindAtFor(closesAt, group.nightReminderBeforeMinutes) };
}

/**
 * The night nobody has changed yet. Its deadline may have passed: then it is closed, with no winner
 * (a night with a suggestion always has a row, so a virtual night has nothing to decide).
 */
export function virtualNight(group: GroupRow, day: string, now: Date): NightRow {
  const s = scheduleFor(group, day);
  const over = s.closesAt.getTime() <= now.getTime();
  return {
    groupId: group.id,
    day,
    startsAt: s.startsAt,
    closesAt: s.closesAt,
    remindAt: s.remindAt,
    timesEdited: false,
    status: over ? 'closed' : 'open',
    method: over ? group.nightMethod : null,
    vetoes: over ? group.nightVetoes : null,
    tieBreak: over ? group.nightTieBreak : null,
    resultsVisibility: over ? group.nightResultsVisibility : null,
    winnerSuggestionId: null,
    winnerGameName: null,
    winnerVotes: null,
    decidedBy: null,
    tied: '[]',
    tieBreakSeed: null,
    rounds: null,
    noWinnerReason: over ? 'no_suggestions' : null,
    closedAt: over ? s.closesAt : null,
    closeCount: over ? 1 : 0,
    reminderSentAt: null,
    lastNudgeAt: null,
    createdAt: now,
    updatedAt: null,
  };
}

const nightLookup = preparedFor((db) =>
  db
    .select()
    .from(schema.nights)
    .where(and(eq(schema.nights.groupId, sql.placeholder('groupId')), eq(schema.nights.day, sql.placeholder('day'))))
    .prepare(),
);

/**
 * The stored night. Prepared per handle: on the read handle once, in a write once per transaction,
 * which every vote of a grouped commit shares (building this select was a quarter of a vote's CPU).
 */
export async function findNight(db: Db | Tx, groupId: string, day: string): Promise<NightRow | undefined> {
  return nightLookup(db).get({ groupId, day });
}

/** The stored night, or the virtual one. */
export async function nightOrVirtual(db: Db | Tx, group: GroupRow, day: string, now: Date): Promise<NightRow> {
  return (await findNight(db, group.id, day)) ?? virtualNight(group, day, now);
}

/** Rows of [from, to], by date. */
export async function nightsBetween(db: Db, groupId: string, from: string, to: string): Promise<NightRow[]> {
  return db
    .select()
    .from(schema.nights)
    .where(and(eq(schema.nights.groupId, groupId), between(schema.nights.day, from, to)))
    .orderBy(asc(schema.nights.day));
}

/** Results are hidden while the night is not closed and the group keeps them until the close. */
export function resultsHidden(group: Pick<GroupRow, 'nightResultsVisibility'>, night: Pick<NightRow, 'status'>): boolean {
  return night.status !== 'closed' && group.nightResultsVisibility === 'after_close';
}

export interface MemberInfo extends NightUser {
  discordId: string | null;
}

export async function membersOf(db: Db | Tx, groupId: string): Promise<MemberInfo[]> {
  return db
    .select({ id: schema.users.id, username: schema.users.username, avatarUrl: schema.users.avatarUrl, discordId: schema.users.discordId })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(eq(schema.memberships.groupId, groupId))
    .orderBy(sql`${schema.users.username} COLLATE NOCASE`, asc(schema.users.id));
}

interface DayFacts {
  rsvps: Array<{ day: string; userId: string; status: RsvpStatus }>;
  voters: Array<{ day: string; userId: string }>;
}

async function factsBetween(db: Db | Tx, groupId: string, from: string, to: string): Promise<DayFacts> {
  const [rsvps, voters] = await Promise.all([
    db
      .select({ day: schema.rsvps.day, userId: schema.rsvps.userId, status: schema.rsvps.status })
      .from(schema.rsvps)
      .where(and(eq(schema.rsvps.groupId, groupId), between(schema.rsvps.day, from, to)))
      .orderBy(asc(schema.rsvps.updatedAt), asc(schema.rsvps.userId)),
    db
      .selectDistinct({ day: schema.suggestions.day, userId: schema.votes.userId })
      .from(schema.votes)
      .innerJoin(schema.suggestions, eq(schema.suggestions.id, schema.votes.suggestionId))
      .where(and(eq(schema.suggestions.groupId, groupId), between(schema.suggestions.day, from, to)))
      // A ranked ballot is a vote too.
      .union(
        db
          .selectDistinct({ day: schema.ballots.day, userId: schema.ballots.userId })
          .from(schema.ballots)
          .where(and(eq(schema.ballots.groupId, groupId), between(schema.ballots.day, from, to))),
      ),
  ]);
  return { rsvps, voters };
}

const toUser = (m: MemberInfo): NightUser => ({ id: m.id, username: m.username, avatarUrl: m.avatarUrl });

/** Who is in/maybe/out and who has not voted, per day: the parts of a night that are about people. */
export interface NightPeople {
  members: MemberInfo[];
  rsvps: Record<RsvpStatus, MemberInfo[]>;
  byUser: Map<string, RsvpStatus>;
  voters: number;
  notVoted: MemberInfo[];
}

function peopleOf(members: MemberInfo[], facts: DayFacts, day: string): NightPeople {
  const byId = new Map(members.map((m) => [m.id, m]));
  const rsvps: NightPeople['rsvps'] = { in: [], maybe: [], out: [] };
  const byUser = new Map<string, RsvpStatus>();
  for (const r of facts.rsvps) {
    if (r.day !== day) continue;
    const m = byId.get(r.userId);
    // Only current members: an answer of someone who left stays stored but is not shown or counted.
    if (!m) continue;
    rsvps[r.status].push(m);
    byUser.set(r.userId, r.status);
  }
  const voted = new Set(facts.voters.filter((v) => v.day === day).map((v) => v.userId));
  const notVoted = members.filter((m) => !voted.has(m.id) && byUser.get(m.id) !== 'out');
  return { members, rsvps, byUser, voters: voted.size, notVoted };
}

/** The people of one night (members, RSVPs, voters), read inside a transaction or not. */
export async function nightPeople(db: Db | Tx, groupId: string, day: string): Promise<NightPeople> {
  const [members, facts] = await Promise.all([membersOf(db, groupId), factsBetween(db, groupId, day, day)]);
  return peopleOf(members, facts, day);
}

export function winnerOf(n: NightRow): NightDto['winner'] {
  if (n.winnerGameName === null || n.decidedBy === null) return null;
  return { suggestionId: n.winnerSuggestionId, gameName: n.winnerGameName, votes: n.winnerVotes ?? 0, decidedBy: n.decidedBy };
}

export function parseTied(n: Pick<NightRow, 'tied'>): string[] {
  try {
    const v: unknown = JSON.parse(n.tied);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export interface StoredRound {
  counts: Record<string, number>;
  eliminated: string | null;
}

/** The instant-runoff rounds recorded at the close (empty for approval nights and open ones). */
export function parseRounds(n: Pick<NightRow, 'rounds'>): StoredRound[] {
  if (!n.rounds) return [];
  try {
    const v: unknown = JSON.parse(n.rounds);
    return Array.isArray(v) ? (v as StoredRound[]) : [];
  } catch {
    return [];
  }
}

function toDto(group: GroupRow, n: NightRow, people: NightPeople, viewerId: string | null): NightDto {
  const closed = n.status === 'closed';
  return {
    groupId: n.groupId,
    date: n.day,
    startsAt: n.startsAt.toISOString(),
    closesAt: n.closesAt.toISOString(),
    status: n.status,
    // Fixed on the night's first vote (decision 106); until then the group's current defaults.
    method: n.method ?? group.nightMethod,
    vetoes: n.vetoes ?? group.nightVetoes,
    tieBreak: (closed && n.tieBreak) || group.nightTieBreak,
    resultsVisibility: (closed && n.resultsVisibility) || group.nightResultsVisibility,
    winner: closed ? winnerOf(n) : null,
    tied: closed ? parseTied(n) : [],
    tieBreakSeed: closed ? n.tieBreakSeed : null,
    noWinnerReason: closed ? n.noWinnerReason : null,
    rsvps: { in: people.rsvps.in.map(toUser), maybe: people.rsvps.maybe.map(toUser), out: people.rsvps.out.map(toUser) },
    myRsvp: viewerId ? (people.byUser.get(viewerId) ?? null) : null,
    voters: people.voters,
    notVoted: people.notVoted.map(toUser),
    closedAt: n.closedAt?.toISOString() ?? null,
  };
}

/** DTOs of the given nights (any number, one group) in three queries. */
export async function nightDtos(db: Db | Tx, group: GroupRow, nights: NightRow[], viewerId: string | null): Promise<NightDto[]> {
  if (nights.length === 0) return [];
  const days = nights.map((n) => n.day).sort();
  const [members, facts] = await Promise.all([membersOf(db, group.id), factsBetween(db, group.id, days[0]!, days.at(-1)!)]);
  return nights.map((n) => toDto(group, n, peopleOf(members, facts, n.day), viewerId));
}

export async function nightDto(db: Db | Tx, group: GroupRow, night: NightRow, viewerId: string | null): Promise<NightDto> {
  const [dto] = await nightDtos(db, group, [night], viewerId);
  return dto!;
}

/** The same night for another viewer (socket events carry no `myRsvp`). */
export function forViewer(dto: NightDto, viewerId: string | null): NightDto {
  if (!viewerId) return { ...dto, myRsvp: null };
  const mine = (['in', 'maybe', 'out'] as const).find((s) => dto.rsvps[s].some((u) => u.id === viewerId)) ?? null;
  return { ...dto, myRsvp: mine };
}

export interface TallyRow {
  id: string;
  gameName: string;
  gameKey: string;
  gameId: string | null;
  votes: number;
  /** How many members vetoed it. */
  vetoes: number;
  createdAt: number;
}

/** The night's suggestions with their approvals and vetoes, by id. */
export async function tallyOf(db: Db | Tx, groupId: string, day: string): Promise<TallyRow[]> {
  const rows = await db.all<{
    id: string;
    game_name: string;
    game_key: string;
    game_id: string | null;
    votes: number;
    vetoes: number;
    created_at: number;
  }>(sql`
    SELECT s.id, s.game_name, s.game_key, s.game_id,
           (SELECT count(*) FROM votes v WHERE v.suggestion_id = s.id) AS votes,
           (SELECT count(*) FROM vetoes x WHERE x.suggestion_id = s.id) AS vetoes,
           s.created_at
    FROM suggestions s
    WHERE s.group_id = ${groupId} AND s.day = ${day}
    ORDER BY s.id`);
  return rows.map((r) => ({
    id: r.id,
    gameName: r.game_name,
    gameKey: r.game_key,
    gameId: r.game_id,
    votes: Number(r.votes),
    vetoes: Number(r.vetoes),
    createdAt: Number(r.created_at),
  }));
}

/** The night's ranked ballots: each member's suggestion ids, best first. */
export async function ballotsOf(db: Db | Tx, groupId: string, day: string): Promise<string[][]> {
  const rows = await db
    .select({ userId: schema.ballots.userId, suggestionId: schema.ballots.suggestionId })
    .from(schema.ballots)
    .where(and(eq(schema.ballots.groupId, groupId), eq(schema.ballots.day, day)))
    .orderBy(asc(schema.ballots.userId), asc(schema.ballots.rank));
  const byUser = new Map<string, string[]>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.suggestionId]);
  return [...byUser.values()];
}

/** One member's ranking for the night, best first (empty: no ballot). */
export async function rankingOf(db: Db | Tx, groupId: string, day: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ suggestionId: schema.ballots.suggestionId })
    .from(schema.ballots)
    .where(and(eq(schema.ballots.groupId, groupId), eq(schema.ballots.day, day), eq(schema.ballots.userId, userId)))
    .orderBy(asc(schema.ballots.rank));
  return rows.map((r) => r.suggestionId);
}

/** Whether anyone approved or ranked a suggestion of the night (its method is then locked). */
export async function hasVotes(db: Db | Tx, groupId: string, day: string): Promise<boolean> {
  const rows = await db.all<{ one: number }>(sql`
    SELECT 1 AS one WHERE
      EXISTS (SELECT 1 FROM votes v JOIN suggestions s ON s.id = v.suggestion_id WHERE s.group_id = ${groupId} AND s.day = ${day})
      OR EXISTS (SELECT 1 FROM ballots b WHERE b.group_id = ${groupId} AND b.day = ${day})`);
  return rows.length > 0;
}

/** Whether anyone vetoed a suggestion of the night (its vetoes setting is then locked). */
export async function hasVetoes(db: Db | Tx, groupId: string, day: string): Promise<boolean> {
  const row = await db
    .select({ userId: schema.vetoes.userId })
    .from(schema.vetoes)
    .where(and(eq(schema.vetoes.groupId, groupId), eq(schema.vetoes.day, day)))
    .limit(1)
    .get();
  return row !== undefined;
}

/**
 * The group's win history: every closed night with a winner other than `exceptDay`, with the winner's
 * name and library game (when its suggestion still exists). The `least_recent` tie-break and the stats
 * both read this history (the nights' recorded winners).
 */
export async function lastWinsOf(
  db: Db | Tx,
  groupId: string,
  exceptDay: string,
): Promise<Array<{ day: string; gameName: string; gameId: string | null }>> {
  const rows = await db.all<{ day: string; game_name: string; game_id: string | null }>(sql`
    SELECT n.day, n.winner_game_name AS game_name, s.game_id
    FROM nights n LEFT JOIN suggestions s ON s.id = n.winner_suggestion_id
    WHERE n.group_id = ${groupId} AND n.status = 'closed' AND n.winner_game_name IS NOT NULL AND n.day <> ${exceptDay}`);
  return rows.map((r) => ({ day: r.day, gameName: r.game_name, gameId: r.game_id }));
}

export async function hasSuggestions(db: Db | Tx, groupId: string, day: string): Promise<boolean> {
  const row = await db
    .select({ id: schema.suggestions.id })
    .from(schema.suggestions)
    .where(and(eq(schema.suggestions.groupId, groupId), eq(schema.suggestions.day, day)))
    .limit(1)
    .get();
  return row !== undefined;
}
