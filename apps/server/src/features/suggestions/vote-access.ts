/**
 * The vote path's reads, folded (issue 15). `requireSuggestionAccess` + `requireOpenNight` took four
 * statements before the write (suggestion, membership, group, night); `requireVoteAccess` reads the
 * same rows in one indexed statement (suggestion by primary key, membership and group by primary key,
 * night by its (group, day) primary key) and applies the same rules in the same order: 404 for an
 * unknown suggestion and for a non-member alike, then the open-night check. The rows come from the read
 * caches when they hold them all. Inside the write the night is read again (`openNightForVotes`),
 * where the closer cannot slip in between.
 */
import type { Context } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { preparedFor, schema, txExecute, type Tx } from '../../db/client.ts';
import type { AppEnv } from '../../lib/context.ts';
import type { GroupRow, Membership } from '../groups/index.ts';
import { nightOrVirtual, requirePlannableDay, requireTakesVotes, type NightRow } from '../nights/index.ts';
import type { SuggestionRow, Voter } from './data.ts';
import { requireOpenNight, requireSuggestionAccess, suggestionNotFound, type SuggestionAccess } from './policy.ts';

const s = schema.suggestions;
const m = schema.memberships;

const voteAccessLookup = preparedFor((db) =>
  db
    .select({ suggestion: s, role: m.role, group: schema.groups, night: schema.nights })
    .from(s)
    .innerJoin(m, and(eq(m.groupId, s.groupId), eq(m.userId, sql.placeholder('userId'))))
    .innerJoin(schema.groups, eq(schema.groups.id, s.groupId))
    .leftJoin(schema.nights, and(eq(schema.nights.groupId, s.groupId), eq(schema.nights.day, s.day)))
    .where(eq(s.id, sql.placeholder('suggestionId')))
    .prepare(),
);

interface VoteRows {
  suggestion: SuggestionRow;
  role: Membership['role'];
  group: GroupRow;
  /** null: the day has no stored night. */
  night: NightRow | null;
}

/**
 * The rows a vote is checked against, from the read caches when all of them are there (a vote
 * changes only the group's tallies, so the next vote finds them), else in one statement that fills
 * the caches. A non-member is never cached: every such request asks the database.
 */
async function voteRows(c: Context<AppEnv>, suggestionId: string, userId: string): Promise<VoteRows | undefined> {
  const { database, caches } = c.get('services');
  await caches.feed.sync(c);
  const suggestion = caches.suggestion(suggestionId);
  if (suggestion) {
    const member = caches.memberWithGroup(suggestion.groupId, userId);
    const night = member && caches.night(suggestion.groupId, suggestion.day);
    if (member && night !== undefined) return { suggestion, role: member.role, group: member.group, night };
  }
  const tick = caches.feed.tick;
  const row = await voteAccessLookup(database.db).get({ suggestionId, userId });
  if (!row) return undefined;
  caches.storeSuggestion(row.suggestion, tick);
  caches.storeMemberWithGroup(row.group, userId, row.role, tick);
  caches.storeNight(row.group.id, row.suggestion.day, row.night, tick);
  return row;
}

/** The suggestion, the caller's membership and group, with the suggestion's night open for votes. */
export async function requireVoteAccess(c: Context<AppEnv>, suggestionId: string): Promise<SuggestionAccess> {
  const auth = c.get('auth');
  if (!auth) {
    // Signed out: the two-step path answers exactly as before (404 unknown, else 401).
    const access = await requireSuggestionAccess(c, suggestionId);
    await requireOpenNight(c, access.group, access.suggestion.day);
    return access;
  }
  const { database, clock } = c.get('services');
  const row = await voteRows(c, suggestionId, auth.userId);
  if (!row) throw suggestionNotFound();
  const { suggestion, group } = row;
  const now = clock.now();
  requirePlannableDay(group, suggestion.day, now);
  // A suggestion's night always has its row (made with the suggestion); the virtual one is a fallback.
  requireTakesVotes(row.night ?? (await nightOrVirtual(database.db, group, suggestion.day, now)), now);
  return { suggestion, group, membership: { groupId: group.id, userId: auth.userId, role: row.role } };
}

const VOTERS_SQL = `SELECT u.id AS id, u.username AS username, u.avatar_url AS avatarUrl
  FROM votes v INNER JOIN users u ON u.id = v.user_id
  WHERE v.suggestion_id = ?
  ORDER BY v.created_at ASC, u.username ASC`;

/**
 * Who approved one suggestion, read inside the vote's own transaction: the count is its length, and
 * the live update needs no second read on another connection after the commit. Plain SQL text run
 * past drizzle (`txExecute`), as the vote's writes are.
 */
export async function votersInTx(tx: Tx, suggestionId: string): Promise<Voter[]> {
  const { rows } = await txExecute(tx, VOTERS_SQL, [suggestionId]);
  return rows.map((r) => ({ id: r['id'] as string, username: r['username'] as string, avatarUrl: r['avatarUrl'] as string | null }));
}
