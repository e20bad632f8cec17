/**
 * One-time password reset links (docs/decisions/108). An instance admin issues one for an account and
 * passes it on; no email is sent. The token is 256 random bits, stored only as its SHA-256 hash, valid
 * for RESET_LINK_TTL_MS and used at most once. The link carries it in the fragment (`#token=…`), which
 * browsers never send to a server nor put in a Referer.
 */
import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newToken } from '../../lib/ids.ts';

export const RESET_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** The link the admin hands on. */
export function resetLinkUrl(appUrl: string, token: string): string {
  return `${appUrl}/reset-password#token=${token}`;
}

/**
 * Creates a reset token for `userId` and deletes the account's earlier ones (used, unused or expired):
 * only the newest link works. Returns the token, which is never stored or shown again.
 */
export async function createResetToken(tx: Tx, userId: string, adminId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
  await tx.delete(schema.passwordResetTokens).where(eq(schema.passwordResetTokens.userId, userId));
  await tx.insert(schema.passwordResetTokens).values({ tokenHash: sha256(token), userId, createdBy: adminId, expiresAt });
  return { token, expiresAt };
}

/**
 * Marks the token used if it is unused and unexpired, in one conditional UPDATE (two concurrent uses
 * cannot both succeed). Returns the account it belongs to, or undefined for an unknown, used or expired
 * token — the caller gives all three the same answer.
 */
export async function consumeResetToken(tx: Tx, token: string, now: Date): Promise<{ userId: string } | undefined> {
  const t = schema.passwordResetTokens;
  const [row] = await tx
    .update(t)
    .set({ usedAt: now })
    .where(and(eq(t.tokenHash, sha256(token)), isNull(t.usedAt), gt(t.expiresAt, now)))
    .returning({ userId: t.userId });
  return row;
}

/** Expired tokens are of no use to anyone: removed when a new one is created or one is used. */
export async function pruneExpiredResetTokens(tx: Tx, now: Date): Promise<void> {
  await tx.delete(schema.passwordResetTokens).where(lte(schema.passwordResetTokens.expiresAt, now));
}
