/**
 * Who may do what in a group. The role comes from the memberships row (never from the token), through
 * the read caches (lib/read-caches.ts), which drop a group's entries whenever its memberships or the
 * group change in the database, checked before every answer: a demotion or removal takes effect on the
 * very next request. A non-member learns
 * nothing: every group resource answers 404 for them, never 403. A member who lacks the role gets 403
 * and the attempt is written to the security event log.
 */
import type { Context } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { preparedFor, schema } from '../../db/client.ts';
import { auditRefusal } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import type { GroupRow, Role } from './data.ts';

export interface Membership {
  groupId: string;
  userId: string;
  role: Role;
}

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** True when `membership` has at least `role`. */
export function hasRole(membership: Pick<Membership, 'role'>, role: Role): boolean {
  return RANK[membership.role] >= RANK[role];
}

/** Read on every group request, so prepared once (docs/operations.md, Performance). */
const membershipLookup = preparedFor((db) =>
  db
    .select({ groupId: schema.memberships.groupId, userId: schema.memberships.userId, role: schema.memberships.role })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.groupId, sql.placeholder('groupId')), eq(schema.memberships.userId, sql.placeholder('userId'))))
    .prepare(),
);

/** The caller's membership of `groupId`; 401 when signed out, 404 when not a member or no such group. */
export async function requireMember(c: Context<AppEnv>, groupId: string): Promise<Membership> {
  const auth = requireUser(c);
  const { caches, database } = c.get('services');
  await caches.feed.sync(c);
  const role = caches.role(groupId, auth.userId);
  if (role) return { groupId, userId: auth.userId, role };
  const tick = caches.feed.tick;
  const row = await membershipLookup(database.db).get({ groupId, userId: auth.userId });
  if (!row) throw notFound('This group');
  caches.storeRole(groupId, auth.userId, row.role, tick);
  return row;
}

/** The membership and the group's row in one statement: the hot read paths need both (issue 15). */
const memberWithGroupLookup = preparedFor((db) =>
  db
    .select({ groupId: schema.memberships.groupId, userId: schema.memberships.userId, role: schema.memberships.role, group: schema.groups })
    .from(schema.memberships)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.memberships.groupId))
    .where(and(eq(schema.memberships.groupId, sql.placeholder('groupId')), eq(schema.memberships.userId, sql.placeholder('userId'))))
    .prepare(),
);

/** `requireMember` and the group itself, read together: same answers (401 signed out, 404 otherwise). */
export async function requireMemberWithGroup(c: Context<AppEnv>, groupId: string): Promise<{ membership: Membership; group: GroupRow }> {
  const auth = requireUser(c);
  const { caches, database } = c.get('services');
  await caches.feed.sync(c);
  const hit = caches.memberWithGroup(groupId, auth.userId);
  if (hit) return { membership: { groupId, userId: auth.userId, role: hit.role }, group: hit.group };
  const tick = caches.feed.tick;
  const row = await memberWithGroupLookup(database.db).get({ groupId, userId: auth.userId });
  if (!row) throw notFound('This group');
  const { group, ...membership } = row;
  caches.storeMemberWithGroup(group, membership.userId, membership.role, tick);
  return { membership, group };
}

/** Records the refusal as a security event and returns the 403 to throw. */
export async function denied(c: Context<AppEnv>, membership: Membership, reason: string, message?: string): Promise<AppError> {
  await auditRefusal(c, {
    userId: membership.userId,
    groupId: membership.groupId,
    detail: { method: c.req.method, route: c.req.routePath, role: membership.role, reason },
  });
  return forbidden(message);
}

const ROLE_MESSAGES: Record<'admin' | 'owner', string> = {
  admin: 'Only group admins can do this. Ask an admin of the group.',
  owner: 'Only the group owner can do this. Ask the owner of the group.',
};

/** 403 (and a `permission_denied` security event) unless the member has at least `role`. */
export async function requireRole(c: Context<AppEnv>, membership: Membership, role: 'admin' | 'owner'): Promise<void> {
  if (hasRole(membership, role)) return;
  throw await denied(c, membership, `requires ${role}`, ROLE_MESSAGES[role]);
}

/**
 * Changing another member's role: admins may promote members; only the owner touches admins; nobody
 * changes the owner's role (ownership moves only by transfer).
 */
export async function requireCanChangeRole(c: Context<AppEnv>, actor: Membership, target: Membership) {
  await requireRole(c, actor, 'admin');
  if (target.role === 'owner') {
    throw new AppError(
      409,
      'owner_role_locked',
      "The owner's role cannot be changed. The owner can transfer ownership to another member instead.",
    );
  }
  // Promoting a member to admin is an admin's call; demoting or otherwise touching an admin is the owner's.
  if (target.role === 'admin') await requireRole(c, actor, 'owner');
}

/** Removing someone else: admins remove members; only the owner removes admins; nobody removes the owner. */
export async function requireCanRemove(c: Context<AppEnv>, actor: Membership, target: Membership) {
  await requireRole(c, actor, 'admin');
  if (target.role === 'owner') {
    throw await denied(c, actor, 'remove owner', 'The group owner cannot be removed. The owner can transfer ownership first.');
  }
  if (target.role === 'admin') await requireRole(c, actor, 'owner');
}

/** Leaving: anyone but the owner, who must hand the group on first. */
export function requireCanLeave(self: Membership) {
  if (self.role === 'owner') {
    throw new AppError(
      409,
      'owner_cannot_leave',
      'The owner cannot leave the group. Transfer ownership to another member first, or delete the group.',
    );
  }
}
