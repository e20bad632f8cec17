/** Writes for suggestions and votes; each runs inside the caller's `database.write()` transaction. */
import { and, eq } from 'drizzle-orm';
import { constraintCode, schema, type Tx } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import type { SuggestionRow } from './data.ts';

export async function insertSuggestion(
  tx: Tx,
  input: { groupId: string; day: string; gameName: string; gameKey: string; userId: string; now: Date },
): Promise<SuggestionRow> {
  const [row] = await tx
    .insert(schema.suggestions)
    .values({
      id: newId(),
      groupId: input.groupId,
      day: input.day,
      gameName: input.gameName,
      gameKey: input.gameKey,
      suggestedBy: input.userId,
      createdAt: input.now,
    })
    .returning();
  return row!;
}

/** Deletes the suggestion; its votes go by cascade. */
export async function deleteSuggestionRow(tx: Tx, suggestionId: string): Promise<void> {
  await tx.delete(schema.suggestions).where(eq(schema.suggestions.id, suggestionId));
}

export async function insertVote(tx: Tx, suggestionId: string, userId: string, now: Date): Promise<void> {
  await tx.insert(schema.votes).values({ suggestionId, userId, createdAt: now });
}

/** True when there was a vote to take back. */
export async function deleteVote(tx: Tx, suggestionId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(schema.votes)
    .where(and(eq(schema.votes.suggestionId, suggestionId), eq(schema.votes.userId, userId)))
    .returning({ userId: schema.votes.userId });
  return rows.length === 1;
}

/** A unique or primary-key violation: the row the caller wanted to add already exists. */
export function isDuplicate(e: unknown): boolean {
  const code = constraintCode(e);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key violation: the parent row (e.g. the suggestion) vanished meanwhile. */
export function isMissingParent(e: unknown): boolean {
  return constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
