/** Thin handlers: every notification belongs to the signed-in user; nobody sees anyone else's. */
import type { RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { listNotifications as listRows } from './data.ts';
import { markRead } from './mutations.ts';
import type * as routes from './routes.ts';

export const listNotifications: RouteHandler<typeof routes.listNotifications, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { unread } = c.req.valid('query');
  const unreadOnly = unread === '1' || unread === 'true';
  return c.json(await listRows(c.get('services').database.db, auth.userId, unreadOnly), 200);
};

export const readNotifications: RouteHandler<typeof routes.readNotifications, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { database, clock } = c.get('services');
  const target = input.all ? ({ all: true } as const) : { ids: input.ids ?? [] };
  await database.write((tx) => markRead(tx, auth.userId, target, clock.now()));
  return c.body(null, 204);
};
