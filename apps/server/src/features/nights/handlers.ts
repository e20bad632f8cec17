/** Thin handlers: parse → policy → mutation (one write transaction) → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { addDays } from '../../lib/time.ts';
import { findGroup, requireMember, requireRole, type Membership } from '../groups/index.ts';
import { publishNotifications } from '../notifications/index.ts';
import { closeAndPublish } from './closer.ts';
import {
  findNight,
  forViewer,
  nightDto,
  nightDtos,
  nightOrVirtual,
  nightsBetween,
  rankingOf,
  type GroupRow,
  type NightDto,
  type NightRow,
} from './data.ts';
import { nightEvent, publishGroupEvents } from './events.ts';
import { ballotTx, nudgeTx, pickTx, reopenNightTx, rsvpTx, updateNightTx } from './mutations.ts';
import { invalid, MAX_DAYS_AHEAD, requirePlannableDay, todayIn } from './policy.ts';
import type * as routes from './routes.ts';

const LIST_MAX_DAYS = 366;

async function memberAndGroup(c: Context<AppEnv>, groupId: string): Promise<{ me: Membership; group: GroupRow }> {
  const me = await requireMember(c, groupId);
  const group = await findGroup(c.get('services').database.db, groupId);
  if (!group) throw notFound('This group');
  return { me, group };
}

/** Member, plannable date; and for admin actions, the role (403 + security event otherwise). */
async function nightAccess(c: Context<AppEnv>, groupId: string, day: string, role?: 'admin') {
  const access = await memberAndGroup(c, groupId);
  if (role) await requireRole(c, access.me, role);
  requirePlannableDay(access.group, day, c.get('services').clock.now());
  return access;
}

/** The night as `viewerId` sees it, and as an event for everyone. */
async function respond(c: Context<AppEnv>, group: GroupRow, night: NightRow, viewerId: string) {
  const dto = await nightDto(c.get('services').database.db, group, night, null);
  return { dto, mine: forViewer(dto, viewerId) };
}

async function publishNight(c: Context<AppEnv>, type: 'night_updated' | 'night_closed', dto: NightDto) {
  await publishGroupEvents(c.get('services'), [nightEvent(type, dto)]);
}

export const getNight: RouteHandler<typeof routes.getNight, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { me, group } = await nightAccess(c, groupId, date);
  const { database, clock } = c.get('services');
  const night = await nightOrVirtual(database.db, group, date, clock.now());
  return c.json(await nightDto(database.db, group, night, me.userId), 200);
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const listNights: RouteHandler<typeof routes.listNights, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const query = c.req.valid('query');
  const { me, group } = await memberAndGroup(c, groupId);
  const { database, clock } = c.get('services');
  const from = query.from ?? (query.to ? addDays(query.to, -MAX_DAYS_AHEAD) : todayIn(group, clock.now()));
  const to = query.to ?? addDays(from, MAX_DAYS_AHEAD);
  if (from > to) throw invalid({ from: '"from" must be on or before "to".' });
  if (daysBetween(from, to) + 1 > LIST_MAX_DAYS) throw invalid({ to: `Ask for at most ${LIST_MAX_DAYS} days at a time.` });
  const rows = await nightsBetween(database.db, groupId, from, to);
  return c.json(await nightDtos(database.db, group, rows, me.userId), 200);
};

export const updateNight: RouteHandler<typeof routes.updateNight, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const input = c.req.valid('json');
  const { me, group } = await nightAccess(c, groupId, date, 'admin');
  const { database, clock } = c.get('services');
  const patch = {
    ...(input.startsAt !== undefined ? { startsAt: new Date(input.startsAt) } : {}),
    ...(input.closesAt !== undefined ? { closesAt: new Date(input.closesAt) } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.method !== undefined ? { method: input.method } : {}),
    ...(input.vetoes !== undefined ? { vetoes: input.vetoes } : {}),
  };
  const night = await database.write((tx) => updateNightTx(tx, group, date, patch, clock.now()));
  const { dto, mine } = await respond(c, group, night, me.userId);
  await publishNight(c, 'night_updated', dto);
  return c.json(mine, 200);
};

export const closeNight: RouteHandler<typeof routes.closeNight, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { me, group } = await nightAccess(c, groupId, date, 'admin');
  const services = c.get('services');
  // Publishes night_closed itself (the closer does the same).
  const dto = await closeAndPublish(services, group.id, date, services.clock.now(), 'now');
  if (dto) return c.json(forViewer(dto, me.userId), 200);
  // Nothing closed (the group vanished meanwhile).
  throw notFound('This group');
};

export const reopenNight: RouteHandler<typeof routes.reopenNight, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { closesAt } = c.req.valid('json');
  const { me, group } = await nightAccess(c, groupId, date, 'admin');
  const { database, clock } = c.get('services');
  const night = await database.write((tx) => reopenNightTx(tx, group, date, new Date(closesAt), clock.now()));
  const { dto, mine } = await respond(c, group, night, me.userId);
  await publishNight(c, 'night_updated', dto);
  return c.json(mine, 200);
};

export const pickNight: RouteHandler<typeof routes.pickNight, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { suggestionId } = c.req.valid('json');
  const { me, group } = await nightAccess(c, groupId, date, 'admin');
  const services = c.get('services');
  const result = await services.database.write((tx) => pickTx(tx, group, date, suggestionId, services.clock.now()));
  const { dto, mine } = await respond(c, group, result.night, me.userId);
  await publishNight(c, 'night_updated', dto);
  await publishNotifications(services, result.notifications);
  return c.json(mine, 200);
};

export const putRsvp: RouteHandler<typeof routes.putRsvp, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { status } = c.req.valid('json');
  const { me, group } = await nightAccess(c, groupId, date);
  const services = c.get('services');
  const now = services.clock.now();
  await services.database.write((tx) => rsvpTx(tx, group, date, todayIn(group, now), me.userId, status, now));
  await publishGroupEvents(services, [{ type: 'rsvp_updated', groupId, data: { date, userId: me.userId, status } }]);
  const night = (await findNight(services.database.db, groupId, date)) ?? (await nightOrVirtual(services.database.db, group, date, now));
  return c.json(await nightDto(services.database.db, group, night, me.userId), 200);
};

export const nudge: RouteHandler<typeof routes.nudge, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { me, group } = await nightAccess(c, groupId, date);
  const services = c.get('services');
  const now = services.clock.now();
  const result = await services.database.write(async (tx) => {
    const by = await tx.query.users.findFirst({ columns: { id: true, username: true }, where: (u, { eq }) => eq(u.id, me.userId) });
    const r = await nudgeTx(tx, group, date, by ?? { id: me.userId, username: 'A member' }, now);
    // Audited with the nudge itself: who nudged whom, for which night.
    if (r.nudged.length > 0) {
      await auditRequest(c, { type: 'night_nudged', userId: me.userId, groupId, detail: { date, nudged: r.nudged.length } }, tx);
    }
    return r;
  });
  await publishNotifications(services, result.notifications);
  return c.json({ nudged: result.nudged }, 202);
};

export const putBallot: RouteHandler<typeof routes.putBallot, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { ranking } = c.req.valid('json');
  const { me, group } = await nightAccess(c, groupId, date);
  const services = c.get('services');
  const night = await services.database.write((tx) => ballotTx(tx, group, date, me.userId, ranking, services.clock.now()));
  // Everyone sees that one more (or one fewer) member voted; nobody sees the ranking.
  const { dto } = await respond(c, group, night, me.userId);
  await publishNight(c, 'night_updated', dto);
  return c.json({ date, ranking }, 200);
};

export const getBallot: RouteHandler<typeof routes.getBallot, AppEnv> = async (c) => {
  const { groupId, date } = c.req.valid('param');
  const { me } = await nightAccess(c, groupId, date);
  return c.json({ date, ranking: await rankingOf(c.get('services').database.db, groupId, date, me.userId) }, 200);
};
