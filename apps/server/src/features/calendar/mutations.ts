/**
 * Creating, rotating and revoking a user's feed. One row per user: a new token replaces the old hash in
 * the same statement, so the old URL is 404 from the moment the transaction commits.
 */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newToken } from '../../lib/ids.ts';
import { TOKEN_BYTES } from './data.ts';

/** A fresh token for `userId` (256 bits); returns it once, with whether an older one was replaced. */
export async function createOrRotateFeed(tx: Tx, userId: string, now: Date): Promise<{ token: string; rotated: boolean }> {
  const token = newToken(TOKEN_BYTES);
  const existing = await tx
    .select({ userId: schema.calendarFeeds.userId })
    .from(schema.calendarFeeds)
    .where(eq(schema.calendarFeeds.userId, userId))
    .get();
  await tx
    .insert(schema.calendarFeeds)
    .values({ userId, tokenHash: sha256(token), createdAt: now })
    .onConflictDoUpdate({ target: schema.calendarFeeds.userId, set: { tokenHash: sha256(token), createdAt: now } });
  return { token, rotated: existing !== undefined };
}

/** Removes the user's feed; true when there was one. */
export async function revokeFeed(tx: Tx, userId: string): Promise<boolean> {
  const removed = await tx
    .delete(schema.calendarFeeds)
    .where(eq(schema.calendarFeeds.userId, userId))
    .returning({ userId: schema.calendarFeeds.userId });
  return removed.length > 0;
}
