/** Thin handler: member check → range → SQL. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { addDays, dayInTimezone } from '../../lib/time.ts';
import { findGroup, requireMember } from '../groups/index.ts';
import { statsFor } from './data.ts';
import type * as routes from './routes.ts';

export const STATS_MAX_DAYS = 366;

const invalid = (details: Record<string, string>) =>
  new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', details);

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const getStats: RouteHandler<typeof routes.getStats, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const query = c.req.valid('query');
  await requireMember(c, groupId);
  const { database, clock } = c.get('services');
  const group = await findGroup(database.db, groupId);
  if (!group) throw notFound('This group');
  const to = query.to ?? (query.from ? addDays(query.from, STATS_MAX_DAYS - 1) : dayInTimezone(group.timezone, clock.now()));
  const from = query.from ?? addDays(to, -(STATS_MAX_DAYS - 1));
  if (from > to) throw invalid({ from: '"from" must be on or before "to".' });
  if (daysBetween(from, to) + 1 > STATS_MAX_DAYS) throw invalid({ to: `Ask for at most ${STATS_MAX_DAYS} days at a time.` });
  return c.json(await statsFor(database.db, groupId, from, to), 200);
};
