/**
 * Writes for sign-in: new password accounts, passwords, session revocation and two-factor state. Each
 * runs inside the caller's write transaction (`database.write`). Creating, rotating and revoking one
 * session is in sessions.ts; reset tokens are in password-reset.ts.
 */
import { usernameKey } from '@queuecrew/shared';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { normalizeRecoveryCode } from './totp.ts';

export interface NewPasswordAccount {
  email: string;
  username: string;
  passwordHash: string;
  isInstanceAdmin: boolean;
}

export async function insertPasswordUser(tx: Tx, account: NewPasswordAccount) {
  const [user] = await tx
    .insert(schema.users)
    .values({
      id: newId(),
      email: account.email,
      username: account.username,
      usernameKey: usernameKey(account.username),
      passwordHash: account.passwordHash,
      isInstanceAdmin: account.isInstanceAdmin,
    })
    .returning();
  return user!;
}

export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(schema.users).set({ passwordHash, updatedAt: now }).where(eq(schema.users.id, userId));
}

/** Revokes every unrevoked session of the account, except `exceptSessionId` when given. */
export async function revokeSessionsOf(tx: Tx, userId: string, reason: string, now: Date, exceptSessionId?: string): Promise<void> {
  const mine = and(eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt));
  await tx
    .update(schema.sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(exceptSessionId === undefined ? mine : and(mine, ne(schema.sessions.id, exceptSessionId)));
}

/**
 * Stores a pending (encrypted) TOTP seed while two-factor sign-in is off; it takes effect only when
 * `enableTotp` confirms it. False when two-factor sign-in is already on.
 */
export async function storePendingTotpSecret(tx: Tx, userId: string, secretEnc: string, now: Date): Promise<boolean> {
  const stored = await tx
    .update(schema.users)
    .set({ totpSecretEnc: secretEnc, totpLastStep: null, updatedAt: now })
    .where(and(eq(schema.users.id, userId), eq(schema.users.totpEnabled, false)))
    .returning({ id: schema.users.id });
  return stored.length === 1;
}

/** Turns two-factor sign-in on for exactly the pending seed that was confirmed; false if it changed meanwhile. */
export async function enableTotp(tx: Tx, userId: string, pendingSecretEnc: string, step: number, now: Date): Promise<boolean> {
  const updated = await tx
    .update(schema.users)
    .set({ totpEnabled: true, totpLastStep: step, updatedAt: now })
    .where(and(eq(schema.users.id, userId), eq(schema.users.totpEnabled, false), eq(schema.users.totpSecretEnc, pendingSecretEnc)))
    .returning({ id: schema.users.id });
  return updated.length === 1;
}

/** Turns two-factor sign-in off: the seed and the replay step go. */
export async function disableTotp(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx
    .update(schema.users)
    .set({ totpEnabled: false, totpSecretEnc: null, totpLastStep: null, updatedAt: now })
    .where(eq(schema.users.id, userId));
}

/** Deletes the account's recovery codes. */
export async function deleteRecoveryCodes(tx: Tx, userId: string): Promise<void> {
  await tx.delete(schema.recoveryCodes).where(eq(schema.recoveryCodes.userId, userId));
}

/** Replaces the account's recovery codes with `codes`, stored only as hashes. */
export async function replaceRecoveryCodes(tx: Tx, userId: string, codes: readonly string[]): Promise<void> {
  await deleteRecoveryCodes(tx, userId);
  await tx.insert(schema.recoveryCodes).values(codes.map((rc) => ({ id: newId(), userId, codeHash: sha256(normalizeRecoveryCode(rc)) })));
}
