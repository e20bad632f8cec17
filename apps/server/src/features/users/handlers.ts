import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { getUser, toUserDto } from './data.ts';
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
      await tx.update(schema.users).set({ username: input.username, updatedAt: new Date() }).where(eq(schema.users.id, auth.userId));
    }
    return getUser(tx, auth.userId);
  });
  return c.json(toUserDto(user), 200);
};
