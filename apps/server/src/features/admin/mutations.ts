/** Account state changes made by an instance admin. Each one is audited in the same transaction. */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { schema, type Database, type Tx } from '../../db/client.ts';
import { recordSecurityEvent } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';

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
