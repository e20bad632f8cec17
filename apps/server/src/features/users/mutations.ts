/**
 * Account deletion (GDPR erasure). One write transaction:
 *  - owned groups pass to the longest-standing admin; with no admin, to the longest-standing member
 *    (docs/decisions/041-account-deletion.md); with nobody left, the group is deleted;
 *  - the other memberships end, votes are removed (tallies recomputed for the live update),
 *    suggestions stay for the group's history but lose their author (suggested_by = NULL);
 *  - sessions are revoked, then the user row is deleted (sessions, refresh tokens, recovery codes
 *    cascade); invites they created keep working with created_by = NULL;
 *  - their security events are pseudonymised (user id cleared, ip truncated, user agent cleared —
 *    the only UPDATE the audit-log trigger allows); the `subject` pseudonym keeps a series linkable.
 * Returns what the handler publishes to the Hub after the commit.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { subjectOf } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import type { ControlMessage, GroupEvent } from '../../lib/hub.ts';
import { truncateIp } from '../../lib/ip.ts';
import { getUser } from './data.ts';

export interface DeletionOutcome {
  events: GroupEvent[];
  controls: ControlMessage[];
}

export async function deleteAccount(
  tx: Tx,
  userId: string,
  confirm: string,
  meta: { ip: string | null; userAgent: string | null; auditSecret: string },
): Promise<DeletionOutcome> {
  const user = await getUser(tx, userId);
  if (confirm !== user.username) {
    throw new AppError(400, 'confirmation_mismatch', 'To delete your account, type your username exactly as shown.', {
      confirm: `Type ${user.username} to confirm.`,
    });
  }
  const events: GroupEvent[] = [];
  const controls: ControlMessage[] = [];
  const leaving = { id: user.id, username: user.username, avatarUrl: user.avatarUrl };

  const mine = await tx.select().from(schema.memberships).where(eq(schema.memberships.userId, userId));
  for (const m of mine) {
    if (m.role === 'owner') {
      // Longest-standing admin first; otherwise the longest-standing member (ties: lowest user id).
      const successor = await tx
        .select()
        .from(schema.memberships)
        .where(and(eq(schema.memberships.groupId, m.groupId), ne(schema.memberships.userId, userId)))
        .orderBy(
          sql`CASE ${schema.memberships.role} WHEN 'admin' THEN 0 ELSE 1 END`,
          asc(schema.memberships.joinedAt),
          asc(schema.memberships.userId),
        )
        .get();
      if (!successor) {
        await tx.delete(schema.groups).where(eq(schema.groups.id, m.groupId));
        events.push({ type: 'group_deleted', groupId: m.groupId, data: { groupId: m.groupId } });
        controls.push({ type: 'group_deleted', groupId: m.groupId });
        continue;
      }
      // The one-owner unique index requires the old owner row to go before the new owner is set.
      await tx.delete(schema.memberships).where(and(eq(schema.memberships.groupId, m.groupId), eq(schema.memberships.userId, userId)));
      await tx
        .update(schema.memberships)
        .set({ role: 'owner' })
        .where(and(eq(schema.memberships.groupId, m.groupId), eq(schema.memberships.userId, successor.userId)));
      const heir = await getUser(tx, successor.userId);
      await tx.insert(schema.securityEvents).values({
        type: 'ownership_transferred',
        userId: null,
        subject: subjectOf(meta.auditSecret, userId),
        groupId: m.groupId,
        detail: JSON.stringify({ reason: 'account_deleted', toUserId: successor.userId, fromRole: successor.role }),
      });
      events.push({ type: 'member_left', groupId: m.groupId, data: { ...leaving, role: 'owner' } });
      events.push({
        type: 'member_updated',
        groupId: m.groupId,
        data: { id: heir.id, username: heir.username, avatarUrl: heir.avatarUrl, role: 'owner' },
      });
    } else {
      await tx.delete(schema.memberships).where(and(eq(schema.memberships.groupId, m.groupId), eq(schema.memberships.userId, userId)));
      events.push({ type: 'member_left', groupId: m.groupId, data: { ...leaving, role: m.role } });
    }
    controls.push({ type: 'access_revoked', groupId: m.groupId, userId });
  }

  // Votes go; the tallies of the suggestions they were on are recomputed for the live update.
  const voted = await tx
    .select({ suggestionId: schema.votes.suggestionId, groupId: schema.suggestions.groupId })
    .from(schema.votes)
    .innerJoin(schema.suggestions, eq(schema.suggestions.id, schema.votes.suggestionId))
    .where(eq(schema.votes.userId, userId));
  await tx.delete(schema.votes).where(eq(schema.votes.userId, userId));
  const stillThere = voted.length
    ? await tx
        .select({ id: schema.suggestions.id })
        .from(schema.suggestions)
        .where(
          inArray(
            schema.suggestions.id,
            voted.map((v) => v.suggestionId),
          ),
        )
    : [];
  for (const v of voted) {
    if (!stillThere.some((s) => s.id === v.suggestionId)) continue;
    const voters = await tx
      .select({ id: schema.users.id, username: schema.users.username, avatarUrl: schema.users.avatarUrl })
      .from(schema.votes)
      .innerJoin(schema.users, eq(schema.users.id, schema.votes.userId))
      .where(eq(schema.votes.suggestionId, v.suggestionId))
      .orderBy(asc(schema.votes.createdAt));
    events.push({ type: 'vote_updated', groupId: v.groupId, data: { suggestionId: v.suggestionId, votes: voters.length, voters } });
  }

  await tx.update(schema.suggestions).set({ suggestedBy: null }).where(eq(schema.suggestions.suggestedBy, userId));
  await tx
    .update(schema.sessions)
    .set({ revokedAt: new Date(), revokedReason: 'account_deleted' })
    .where(and(eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt)));

  // Pseudonymise the audit trail row by row: each ip is truncated to its network.
  const trail = await tx
    .select({ id: schema.securityEvents.id, ip: schema.securityEvents.ip })
    .from(schema.securityEvents)
    .where(eq(schema.securityEvents.userId, userId));
  for (const e of trail) {
    await tx
      .update(schema.securityEvents)
      .set({ userId: null, ip: truncateIp(e.ip), userAgent: null })
      .where(eq(schema.securityEvents.id, e.id));
  }
  await tx.insert(schema.securityEvents).values({
    type: 'account_deleted',
    userId: null,
    subject: subjectOf(meta.auditSecret, userId),
    ip: truncateIp(meta.ip),
    detail: JSON.stringify({ groups: mine.length, votesRemoved: voted.length }),
  });

  await tx.delete(schema.users).where(eq(schema.users.id, userId));
  controls.push({ type: 'user_sessions_revoked', userId });
  return { events, controls };
}
