/**
 * Writes for groups and memberships. Each runs inside the caller's `database.write()` transaction.
 * Role changes are conditional on the role the policy saw ("compare and set"), so two admins acting at
 * once cannot both win on a stale read: the loser gets 409 and can reload.
 */
import { and, eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { GroupRow, Role } from './data.ts';

export const membershipChanged = () =>
  new AppError(409, 'membership_changed', 'This membership changed while you were editing it. Reload the group and try again.');

export async function insertGroup(
  tx: Tx,
  ownerId: string,
  input: { name: string; description: string; timezone: string },
  now: Date,
): Promise<GroupRow> {
  const id = newId();
  const [group] = await tx
    .insert(schema.groups)
    .values({ id, name: input.name, description: input.description, timezone: input.timezone, createdAt: now })
    .returning();
  await tx.insert(schema.memberships).values({ groupId: id, userId: ownerId, role: 'owner', joinedAt: now });
  return group!;
}

export interface GroupChanges {
  name?: string;
  description?: string;
  timezone?: string;
  nightStartTime?: string;
  nightCloseBeforeMinutes?: number;
  nightTieBreak?: GroupRow['nightTieBreak'];
  nightResultsVisibility?: GroupRow['nightResultsVisibility'];
  nightReminderBeforeMinutes?: number;
  nightMethod?: GroupRow['nightMethod'];
  nightVetoes?: number;
}

export async function applyGroupChanges(tx: Tx, groupId: string, changes: GroupChanges, now: Date): Promise<GroupRow> {
  const [group] = await tx
    .update(schema.groups)
    .set({ ...changes, updatedAt: now })
    .where(eq(schema.groups.id, groupId))
    .returning();
  if (!group) throw membershipChanged();
  return group;
}

/** Deletes the group; memberships, invites, suggestions, votes and outbox rows go by cascade. */
export async function deleteGroupRow(tx: Tx, groupId: string): Promise<void> {
  await tx.delete(schema.groups).where(eq(schema.groups.id, groupId));
}

/** Sets `userId`'s role to `to` if it is still `from`. */
export async function setRole(tx: Tx, groupId: string, userId: string, from: Role, to: Role): Promise<void> {
  const rows = await tx
    .update(schema.memberships)
    .set({ role: to })
    .where(and(eq(schema.memberships.groupId, groupId), eq(schema.memberships.userId, userId), eq(schema.memberships.role, from)))
    .returning({ userId: schema.memberships.userId });
  if (rows.length !== 1) throw membershipChanged();
}

/** Removes `userId` from the group if their role is still `expected`. */
export async function deleteMembership(tx: Tx, groupId: string, userId: string, expected: Role): Promise<void> {
  const rows = await tx
    .delete(schema.memberships)
    .where(and(eq(schema.memberships.groupId, groupId), eq(schema.memberships.userId, userId), eq(schema.memberships.role, expected)))
    .returning({ userId: schema.memberships.userId });
  if (rows.length !== 1) throw membershipChanged();
}

/**
 * Moves ownership. The old owner is demoted first because the database allows one owner per group
 * (partial unique index memberships_one_owner).
 */
export async function moveOwnership(tx: Tx, groupId: string, fromUserId: string, toUserId: string, toRole: Role): Promise<void> {
  await setRole(tx, groupId, fromUserId, 'owner', 'admin');
  await setRole(tx, groupId, toUserId, toRole, 'owner');
}
