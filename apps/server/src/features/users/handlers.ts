import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { publishAfterCommit } from '../../lib/hub.ts';
import { clearSessionCookies } from '../auth/index.ts';
import { usernameKey } from '@queuecrew/shared';
import { getUser, listActivity, toUserDto, usernameTaken, usernameTakenError } from './data.ts';
import { buildExport } from './export.ts';
import { deleteAccount } from './mutations.ts';
import type * as routes from './routes.ts';

export const getMe: RouteHandler<typeof routes.getMe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const user = await getUser(c.get('services').database.db, auth.userId);
  return c.json(toUserDto(user), 200);
};

export const updateMe: RouteHandler<typeof routes.updateMe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { database } = c.get('services');
  const user = await database.write(async (tx) => {
    if (input.username !== undefined) {
      if (await usernameTaken(tx, input.username, auth.userId)) throw usernameTakenError();
      await tx
        .update(schema.users)
        .set({ username: input.username, usernameKey: usernameKey(input.username), updatedAt: new Date() })
        .where(eq(schema.users.id, auth.userId));
    }
    return getUser(tx, auth.userId);
  });
  return c.json(toUserDto(user), 200);
};

export const exportMe: RouteHandler<typeof routes.exportMe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { database } = c.get('services');
  const data = await buildExport(database.db, auth.userId);
  await database.write((tx) => auditRequest(c, { type: 'account_exported', userId: auth.userId }, tx));
  const day = data.exportedAt.slice(0, 10);
  c.header('Content-Disposition', `attachment; filename="queuecrew-export-${day}.json"`);
  c.header('Cache-Control', 'no-store');
  return c.json(data, 200);
};

export const deleteMe: RouteHandler<typeof routes.deleteMe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { confirm } = c.req.valid('json');
  const { database, config, hub } = c.get('services');
  const outcome = await database.write((tx) =>
    deleteAccount(tx, auth.userId, confirm, {
      ip: c.get('ip'),
      userAgent: c.req.header('user-agent') ?? null,
      auditSecret: config.session.secret,
    }),
  );
  // After the commit: tell fellow members and drop the deleted user's live subscriptions. A publish
  // failure must not turn the committed deletion into an error, so it is logged instead.
  await publishAfterCommit(hub, c.get('logger'), outcome.events, outcome.controls);
  clearSessionCookies(c);
  return c.body(null, 204);
};

export const activity: RouteHandler<typeof routes.activity, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { limit, before } = c.req.valid('query');
  return c.json(await listActivity(c.get('services').database.db, auth.userId, limit, before), 200);
};
