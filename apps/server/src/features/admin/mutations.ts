/** Account state changes made by an instance admin. Each one is audited in the same transaction. */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { schema, type Database, type Tx } from '../../db/client.ts';
import { recordSecurityEvent } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { createResetToken } from '../auth/index.ts';

/** Disables (or enables) an account; disabling also revokes every session it has. */
export async function setDisabled(tx: Tx, adminId: string, targetId: string, disabled: boolean) {
  if (adminId === targetId) {
    throw new AppError(409, 'cannot_change_self', 'You cannot disable or delete your own account here. Ask another instance admin.');
  }
  const [user] = await tx
    .update(schema.users)
    .set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
    .where(eq(schema.users.id, targetId))
    .returning();
  if (!user) throw notFound('This account');
  if (disabled) {
    await tx
      .update(schema.sessions)
      .set({ revokedAt: new Date(), revokedReason: 'account_disabled' })
      .where(and(eq(schema.sessions.userId, targetId), isNull(schema.sessions.revokedAt)));
  }
  return user;
}

/**
 * Issues a one-time reset link for another account (docs/decisions/108). Not for one's own account
 * (that is "Change password", which asks for the current one), not for a disabled account, and not for
 * a Discord-only account without an email (a password would not let it sign in).
 */
export async function issuePasswordReset(tx: Tx, adminId: string, targetId: string, now: Date) {
  if (adminId === targetId) {
    throw new AppError(409, 'cannot_change_self', 'Change your own password in your account settings instead.');
  }
  const user = await tx
    .select({ id: schema.users.id, email: schema.users.email, disabledAt: schema.users.disabledAt })
    .from(schema.users)
    .where(eq(schema.users.id, targetId))
    .get();
  if (!user) throw notFound('This account');
  if (user.disabledAt !== null) {
    throw new AppError(409, 'account_disabled', 'This account is disabled. Enable it first, then create a reset link.');
  }
  if (user.email === null) {
    throw new AppError(
      409,
      'no_email_sign_in',
      'This account signs in with Discord only and has no email, so a password would not help it.',
    );
  }
  return createResetToken(tx, targetId, adminId, now);
}

/**
 * Makes every existing account whose email is in ADMIN_EMAILS an instance admin (run at start-up), so
 * adding an email to the list and restarting promotes an account that registered earlier. Removing an
 * email does not demote anyone: demotion is deliberate, not a side effect of a config edit.
 */
export async function promoteConfiguredAdmins(database: Database, adminEmails: readonly string[], auditSecret: string): Promise<string[]> {
  if (adminEmails.length === 0) return [];
  return database.write(async (tx) => {
    const promoted = await tx
      .update(schema.users)
      .set({ isInstanceAdmin: true, updatedAt: new Date() })
      .where(and(inArray(schema.users.email, [...adminEmails]), eq(schema.users.isInstanceAdmin, false)))
      .returning({ id: schema.users.id });
    for (const { id } of promoted) {
      await recordSecurityEvent(tx, auditSecret, { type: 'role_changed', userId: id, detail: { instanceAdmin: true, by: 'ADMIN_EMAILS' } });
    }
    return promoted.map((p) => p.id);
  });
}
