/** Thin handlers: parse → policy → data/mutations → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isValidTimezone } from '../../lib/time.ts';
import { discordChannelDto } from '../discord-interactions/index.ts';
import { applyWebhookChanges, parseWebhookChanges, webhookSettingsDto } from '../announcements/index.ts';
import { nightDtos, tonightOf, nightEvent, rescheduleOpenNights, type NightDto } from '../nights/index.ts';
import { insertNotifications, publishNotifications, type CreatedNotification } from '../notifications/index.ts';
import { findGroup, findMember, listGroupsOf, listMembers, toGroupDto, toGroupEventData, type GroupRow, type MemberDto } from './data.ts';
import { publishEvents } from './events.ts';
import {
  applyGroupChanges,
  deleteGroupRow,
  deleteMembership,
  insertGroup,
  moveOwnership,
  setRole,
  type GroupChanges,
} from './mutations.ts';
import { hasRole, requireCanChangeRole, requireCanLeave, requireCanRemove, requireMember, requireRole, type Membership } from './policy.ts';
import type * as routes from './routes.ts';

/** The browser's timezone when the client sends it (the web app does), else UTC. */
function defaultTimezone(c: Context<AppEnv>): string {
  const header = c.req.header('x-timezone')?.trim();
  return header && isValidTimezone(header) ? header : 'UTC';
}

/** Admins see the Discord webhook settings (masked) and the bound Discord channel; members get no such fields. */
async function webhookView(c: Context<AppEnv>, me: Membership, group: GroupRow) {
  if (!hasRole(me, 'admin')) return {};
  const { fieldCipher, database } = c.get('services');
  return { discordWebhook: webhookSettingsDto(fieldCipher, group), discordChannel: await discordChannelDto(database.db, group) };
}

async function loadGroup(c: Context<AppEnv>, groupId: string) {
  const group = await findGroup(c.get('services').database.db, groupId);
  if (!group) throw notFound('This group');
  return group;
}

export const createGroup: RouteHandler<typeof routes.createGroup, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { database, clock } = c.get('services');
  const group = await database.write((tx) =>
    insertGroup(
      tx,
      auth.userId,
      { name: input.name, description: input.description ?? '', timezone: input.timezone ?? defaultTimezone(c) },
      clock.now(),
    ),
  );
  return c.json(toGroupDto(group, 'owner'), 201);
};

export const listGroups: RouteHandler<typeof routes.listGroups, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { database, clock } = c.get('services');
  const rows = await listGroupsOf(database.db, auth.userId);
  const tonight = await tonightOf(
    database.db,
    rows.map((r) => r.group),
    clock.now(),
  );
  return c.json(
    rows.map(({ group, role, memberCount }) => ({
      id: group.id,
      name: group.name,
      role,
      memberCount,
      timezone: group.timezone,
      tonight: tonight.get(group.id)!,
    })),
    200,
  );
};

export const getGroup: RouteHandler<typeof routes.getGroup, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  const group = await loadGroup(c, groupId);
  const members = await listMembers(c.get('services').database.db, groupId);
  return c.json({ ...toGroupDto(group, me.role), ...(await webhookView(c, me, group)), members }, 200);
};

/**
 * PATCH is built in steps so that other settings can be added as their own step:
 *   1. policy (admin), 2. refuse what this server cannot apply yet, 3. collect plain changes,
 *   4. write, 5. publish.
 */
export const updateGroup: RouteHandler<typeof routes.updateGroup, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');

  // Step 2 — Discord webhook settings: validated here (400 before any write), encrypted and audited by
  // the Discord feature inside the same write as the other changes.
  const webhook = parseWebhookChanges(c.get('services').config, input);

  // Step 3 — name, description, timezone.
  const changes: GroupChanges = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  if (input.timezone !== undefined) changes.timezone = input.timezone;

  // Step 3b — night defaults (partial; validated by the shared schema: HH:MM, 0–720, enums).
  const nd = input.nightDefaults ?? {};
  if (nd.startTime !== undefined) changes.nightStartTime = nd.startTime;
  if (nd.closeBeforeMinutes !== undefined) changes.nightCloseBeforeMinutes = nd.closeBeforeMinutes;
  if (nd.tieBreak !== undefined) changes.nightTieBreak = nd.tieBreak;
  if (nd.resultsVisibility !== undefined) changes.nightResultsVisibility = nd.resultsVisibility;
  if (nd.reminderBeforeMinutes !== undefined) changes.nightReminderBeforeMinutes = nd.reminderBeforeMinutes;
  if (nd.method !== undefined) changes.nightMethod = nd.method;
  if (nd.vetoes !== undefined) changes.nightVetoes = nd.vetoes;
  // Step 3c — who may act from the linked Discord channel (audited below, in the same write).
  if (input.discordJoinPolicy !== undefined) changes.discordJoinPolicy = input.discordJoinPolicy;
  // Open nights not moved by hand follow a new timezone or schedule (in the same write).
  const reschedules =
    changes.timezone !== undefined ||
    changes.nightStartTime !== undefined ||
    changes.nightCloseBeforeMinutes !== undefined ||
    changes.nightReminderBeforeMinutes !== undefined;

  // Step 4 — write (an empty PATCH just returns the group).
  const { database, clock } = c.get('services');
  let moved: NightDto[] = [];
  const group =
    Object.keys(changes).length === 0 && !webhook
      ? await loadGroup(c, groupId)
      : await database.write(async (tx) => {
          if (webhook) await applyWebhookChanges(c, tx, groupId, webhook, clock.now());
          const before = changes.discordJoinPolicy !== undefined ? await findGroup(tx, groupId) : undefined;
          const updated = await applyGroupChanges(tx, groupId, changes, clock.now());
          if (before && before.discordJoinPolicy !== updated.discordJoinPolicy) {
            await auditRequest(
              c,
              {
                type: 'discord_join_policy_changed',
                userId: me.userId,
                groupId,
                detail: { from: before.discordJoinPolicy, to: updated.discordJoinPolicy },
              },
              tx,
            );
          }
          if (reschedules) moved = await nightDtos(tx, updated, await rescheduleOpenNights(tx, updated, clock.now()), null);
          return updated;
        });

  // Step 5 — tell the group.
  if (Object.keys(changes).length > 0) {
    await publishEvents(c, [
      { type: 'group_updated', groupId, data: toGroupEventData(group) },
      ...moved.map((n) => nightEvent('night_updated', n)),
    ]);
  }
  return c.json({ ...toGroupDto(group, me.role), ...(await webhookView(c, me, group)) }, 200);
};

export const deleteGroup: RouteHandler<typeof routes.deleteGroup, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'owner');
  const group = await loadGroup(c, groupId);
  await c.get('services').database.write(async (tx) => {
    await auditRequest(c, { type: 'group_deleted', userId: me.userId, groupId, detail: { name: group.name } }, tx);
    await deleteGroupRow(tx, groupId);
  });
  await publishEvents(c, [{ type: 'group_deleted', groupId, data: {} }], [{ type: 'group_deleted', groupId }]);
  return c.body(null, 204);
};

/** The target of a member route, as a membership (404 when not a member of this group). */
async function loadTarget(c: Context<AppEnv>, groupId: string, userId: string): Promise<{ membership: Membership; member: MemberDto }> {
  const member = await findMember(c.get('services').database.db, groupId, userId);
  if (!member) throw notFound('This member');
  return { member, membership: { groupId, userId, role: member.role } };
}

export const updateMember: RouteHandler<typeof routes.updateMember, AppEnv> = async (c) => {
  const { groupId, userId } = c.req.valid('param');
  const { role } = c.req.valid('json');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  const target = await loadTarget(c, groupId, userId);
  await requireCanChangeRole(c, me, target.membership);
  if (target.member.role === role) return c.json(target.member, 200);

  const group = await loadGroup(c, groupId);
  const { database, clock } = c.get('services');
  const notified = await database.write(async (tx) => {
    await setRole(tx, groupId, userId, target.member.role, role);
    await auditRequest(
      c,
      { type: 'role_changed', userId: me.userId, groupId, detail: { targetUserId: userId, from: target.member.role, to: role } },
      tx,
    );
    return insertNotifications(
      tx,
      [
        {
          userId,
          kind: 'role_changed',
          groupId,
          day: null,
          title: role === 'admin' ? `You are now an admin of ${group.name}` : `You are now a member of ${group.name}`,
          body: role === 'admin' ? 'You can now manage invites, members and nights.' : 'An admin changed your role to member.',
          url: `/groups/${encodeURIComponent(groupId)}`,
        },
      ],
      clock.now(),
    );
  });
  const updated: MemberDto = { ...target.member, role };
  await publishEvents(c, [{ type: 'member_updated', groupId, data: updated }]);
  await publishNotifications(c.get('services'), notified);
  return c.json(updated, 200);
};

export const removeMember: RouteHandler<typeof routes.removeMember, AppEnv> = async (c) => {
  const { groupId, userId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  const leaving = userId === me.userId;
  if (leaving) requireCanLeave(me);
  else await requireRole(c, me, 'admin');
  const target = await loadTarget(c, groupId, userId);
  if (!leaving) await requireCanRemove(c, me, target.membership);

  const group = await loadGroup(c, groupId);
  const { database, clock } = c.get('services');
  const notified: CreatedNotification[] = await database.write(async (tx) => {
    await deleteMembership(tx, groupId, userId, target.member.role);
    await auditRequest(
      c,
      leaving
        ? { type: 'member_left', userId, groupId }
        : { type: 'member_removed', userId: me.userId, groupId, detail: { targetUserId: userId, role: target.member.role } },
      tx,
    );
    if (leaving) return [];
    // The removed person hears it (the row has no foreign key to the group, so it outlives it).
    return insertNotifications(
      tx,
      [
        {
          userId,
          kind: 'removed_from_group',
          groupId,
          day: null,
          title: `You were removed from ${group.name}`,
          body: 'An admin removed you from this group. Ask for a new invite to join again.',
          url: '/groups',
        },
      ],
      clock.now(),
    );
  });
  await publishEvents(c, [{ type: 'member_left', groupId, data: target.member }], [{ type: 'access_revoked', groupId, userId }]);
  await publishNotifications(c.get('services'), notified);
  return c.body(null, 204);
};

export const transferOwnership: RouteHandler<typeof routes.transferOwnership, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { userId } = c.req.valid('json');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'owner');
  if (userId === me.userId) {
    throw new AppError(409, 'already_owner', 'You already own this group. Choose another member to hand it to.');
  }
  const target = await loadTarget(c, groupId, userId);
  const { database } = c.get('services');
  await database.write(async (tx) => {
    await moveOwnership(tx, groupId, me.userId, userId, target.member.role);
    await auditRequest(c, { type: 'ownership_transferred', userId: me.userId, groupId, detail: { from: me.userId, to: userId } }, tx);
  });
  const [group, members] = await Promise.all([loadGroup(c, groupId), listMembers(database.db, groupId)]);
  const changed = members.filter((m) => m.id === userId || m.id === me.userId);
  await publishEvents(
    c,
    changed.map((m) => ({ type: 'member_updated' as const, groupId, data: m })),
  );
  return c.json({ ...toGroupDto(group, 'admin'), members }, 200);
};
