/** Writes for suggestions and votes; each runs inside the caller's `database.write()` transaction. */
import { gameKey, libraryKey } from '@queuecrew/shared';
import { and, eq } from 'drizzle-orm';
import { constraintCode, schema, txExecute, type Tx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { findGame, findGameIdByKey, insertGame, type GameRow } from '../games/index.ts';
import type { SuggestionRow } from './data.ts';

/** The game is already suggested for that day: `suggestionId` is the suggestion that exists. */
export class DuplicateSuggestion extends Error {
  constructor(readonly suggestionId: string) {
    super('duplicate suggestion');
    this.name = 'DuplicateSuggestion';
  }
}

export type SuggestionTarget = { gameName: string; gameId?: undefined } | { gameId: string; gameName?: undefined };

/**
 * The library game a suggestion is for: `gameId` must be a game of the group (else 404); a `gameName`
 * whose library key matches a game's name or alias links to that game, any other name adds a game.
 */
async function gameFor(
  tx: Tx,
  groupId: string,
  target: SuggestionTarget,
  userId: string,
  now: Date,
): Promise<{ game: GameRow; created: boolean }> {
  if (target.gameId !== undefined) {
    const game = await findGame(tx, target.gameId);
    if (!game || game.groupId !== groupId) throw notFound('This game');
    return { game, created: false };
  }
  const linked = await findGameIdByKey(tx, groupId, libraryKey(target.gameName));
  const existing = linked ? await findGame(tx, linked) : undefined;
  if (existing) return { game: existing, created: false };
  const empty = { aliases: [], minPlayers: null, maxPlayers: null, playtimeMinutes: null, platforms: [], steamAppId: null };
  return { game: await insertGame(tx, groupId, { name: target.gameName, ...empty }, userId, now), created: true };
}

/**
 * Adds a suggestion for a library game (linked or added in this same transaction). The duplicate rule
 * uses the game: a second suggestion of the same game for the day — by any of its names or aliases — is
 * a `DuplicateSuggestion`. The check runs inside the serialised write transaction; the unique index
 * (group, day, game key of the suggested name) still refuses anything that slips past.
 */
export async function insertSuggestion(
  tx: Tx,
  input: { groupId: string; day: string; userId: string; now: Date } & SuggestionTarget,
): Promise<{ row: SuggestionRow; createdGame: GameRow | null }> {
  const { game, created } = await gameFor(tx, input.groupId, input, input.userId, input.now);
  const same = await tx
    .select({ id: schema.suggestions.id })
    .from(schema.suggestions)
    .where(
      and(eq(schema.suggestions.groupId, input.groupId), eq(schema.suggestions.day, input.day), eq(schema.suggestions.gameId, game.id)),
    )
    .get();
  if (same) throw new DuplicateSuggestion(same.id);
  const [row] = await tx
    .insert(schema.suggestions)
    .values({
      id: newId(),
      groupId: input.groupId,
      day: input.day,
      // The name as suggested ("DRG"); by id, the library's name. The link to the game is `gameId`.
      gameName: input.gameName ?? game.name,
      gameKey: gameKey(input.gameName ?? game.name),
      gameId: game.id,
      suggestedBy: input.userId,
      createdAt: input.now,
    })
    .returning();
  return { row: row!, createdGame: created ? game : null };
}

/** Deletes the suggestion; its votes go by cascade. */
export async function deleteSuggestionRow(tx: Tx, suggestionId: string): Promise<void> {
  await tx.delete(schema.suggestions).where(eq(schema.suggestions.id, suggestionId));
}

/**
 * The vote path's two writes in plain SQL text, run past drizzle (`txExecute`): a drizzle insert or
 * delete on a transaction handle is built again for every vote (entity checks, column mapping), which
 * costs more than running it. `created_at` is milliseconds, as the column's timestamp_ms mode stores it.
 */
export async function insertVote(tx: Tx, suggestionId: string, userId: string, now: Date): Promise<void> {
  await txExecute(tx, 'INSERT INTO votes (suggestion_id, user_id, created_at) VALUES (?, ?, ?)', [suggestionId, userId, now.getTime()]);
}

/** True when there was a vote to take back. */
export async function deleteVote(tx: Tx, suggestionId: string, userId: string): Promise<boolean> {
  const result = await txExecute(tx, 'DELETE FROM votes WHERE suggestion_id = ? AND user_id = ?', [suggestionId, userId]);
  return result.rowsAffected === 1;
}

/**
 * The night of a vote takes approvals now, as `openNightForVotes` + `requireMethod(…, 'approval')` find
 * it on the common path: a stored, open night before its deadline whose method is fixed as approval.
 */
const NIGHT_TAKES_APPROVALS = `EXISTS (SELECT 1 FROM nights WHERE group_id = ? AND day = ? AND status = 'open'
  AND closes_at > ? AND method = 'approval' AND vetoes IS NOT NULL)`;

type VoteTarget = Pick<SuggestionRow, 'id' | 'groupId' | 'day'>;

/**
 * The vote of the common case in one statement: inserted only if its night takes approvals now
 * (`NIGHT_TAKES_APPROVALS`). False when it does not, or not yet (no fixed method): the caller then takes
 * the full path (`openNightForVotes`, `requireMethod`, `insertVote`), which answers every other case as
 * before. A duplicate or a vanished suggestion throws, as `insertVote` does.
 */
export async function insertVoteIfOpen(tx: Tx, s: VoteTarget, userId: string, now: Date): Promise<boolean> {
  const at = now.getTime();
  const result = await txExecute(
    tx,
    `INSERT INTO votes (suggestion_id, user_id, created_at) SELECT ?, ?, ? WHERE ${NIGHT_TAKES_APPROVALS}`,
    [s.id, userId, at, s.groupId, s.day, at],
  );
  return result.rowsAffected === 1;
}

/** Takes the vote back in one statement if its night takes approvals now; false otherwise (or no vote): take the full path. */
export async function deleteVoteIfOpen(tx: Tx, s: VoteTarget, userId: string, now: Date): Promise<boolean> {
  const result = await txExecute(tx, `DELETE FROM votes WHERE suggestion_id = ? AND user_id = ? AND ${NIGHT_TAKES_APPROVALS}`, [
    s.id,
    userId,
    s.groupId,
    s.day,
    now.getTime(),
  ]);
  return result.rowsAffected === 1;
}

/** A unique or primary-key violation: the row the caller wanted to add already exists. */
export function isDuplicate(e: unknown): boolean {
  if (e instanceof DuplicateSuggestion) return true;
  const code = constraintCode(e);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key violation: the parent row (e.g. the suggestion) vanished meanwhile. */
export function isMissingParent(e: unknown): boolean {
  return constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A member's veto of a suggestion (one per member and night: the primary key refuses a second). */
export async function insertVeto(tx: Tx, s: Pick<SuggestionRow, 'id' | 'groupId' | 'day'>, userId: string, now: Date): Promise<void> {
  await tx.insert(schema.vetoes).values({ groupId: s.groupId, day: s.day, userId, suggestionId: s.id, createdAt: now });
}

/** True when there was a veto of this suggestion by this member to take back. */
export async function deleteVeto(tx: Tx, suggestionId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(schema.vetoes)
    .where(and(eq(schema.vetoes.suggestionId, suggestionId), eq(schema.vetoes.userId, userId)))
    .returning({ userId: schema.vetoes.userId });
  return rows.length === 1;
}

/** The suggestion a member vetoed on a night, if any. */
export async function vetoOf(tx: Tx, groupId: string, day: string, userId: string): Promise<string | undefined> {
  const row = await tx
    .select({ suggestionId: schema.vetoes.suggestionId })
    .from(schema.vetoes)
    .where(and(eq(schema.vetoes.groupId, groupId), eq(schema.vetoes.day, day), eq(schema.vetoes.userId, userId)))
    .get();
  return row?.suggestionId;
}
