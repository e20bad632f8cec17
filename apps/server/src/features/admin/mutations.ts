/** Account state changes made by an instance admin. Each one is audited in the same transaction. */
import { and, eq, isNull } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
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
