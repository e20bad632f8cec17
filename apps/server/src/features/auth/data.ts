/** Reads for sign-in: accounts, sessions, reset links and recovery codes. */
import { and, count, desc, eq, gt, isNull } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';

/** Whether any account exists (the first one to register may be the instance admin). */
export async function anyAccountExists(db: Db | Tx): Promise<boolean> {
  return (await db.select({ id: schema.users.id }).from(schema.users).limit(1).get()) !== undefined;
}

export interface SessionListItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/**
 * The account's live sessions (not revoked, not expired, used within the idle time), most recently used
 * first; `current` marks the caller's own.
 */
export async function liveSessionsOf(
  db: Db,
  userId: string,
  currentSessionId: string,
  idleTtlSeconds: number,
  now: number,
): Promise<SessionListItem[]> {
  const rows = await db
    .select()
    .from(schema.sessions)
    .where(
      and(
        eq(schema.sessions.userId, userId),
        isNull(schema.sessions.revokedAt),
        gt(schema.sessions.expiresAt, new Date(now)),
        gt(schema.sessions.lastUsedAt, new Date(now - idleTtlSeconds * 1000)),
      ),
    )
    .orderBy(desc(schema.sessions.lastUsedAt));
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === currentSessionId,
  }));
}

/** Whether `sessionId` is one of `userId`'s sessions and not revoked. */
export async function isUnrevokedSessionOf(tx: Tx, sessionId: string, userId: string): Promise<boolean> {
  const s = await tx
    .select({ id: schema.sessions.id })
    .from(schema.sessions)
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt)))
    .get();
  return s !== undefined;
}

/** The account an unused, unexpired reset token belongs to, without using the token up. */
export async function findResetTokenUser(db: Db, token: string, now: Date) {
  const t = schema.passwordResetTokens;
  const row = await db
    .select({ user: schema.users })
    .from(t)
    .innerJoin(schema.users, eq(schema.users.id, t.userId))
    .where(and(eq(t.tokenHash, sha256(token)), isNull(t.usedAt), gt(t.expiresAt, now)))
    .get();
  return row?.user;
}

/** How many of the account's recovery codes are still unused. */
export async function unusedRecoveryCodeCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(schema.recoveryCodes)
    .where(and(eq(schema.recoveryCodes.userId, userId), isNull(schema.recoveryCodes.usedAt)));
  return row?.n ?? 0;
}
