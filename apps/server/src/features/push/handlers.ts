import type { RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { checkPushEndpoint, PushEndpointError, type CheckedEndpoint } from './endpoint.ts';
import { getPreferences } from './data.ts';
import { deleteSubscription, saveSubscription, updatePreferences } from './mutations.ts';
import type * as routes from './routes.ts';

export const vapidKey: RouteHandler<typeof routes.vapidKey, AppEnv> = (c) => {
  requireUser(c);
  return c.json({ publicKey: c.get('services').config.push.vapid.publicKey }, 200);
};

const invalidEndpoint = (message: string) => new AppError(400, 'invalid_push_endpoint', message, { endpoint: message });

export const subscribe: RouteHandler<typeof routes.subscribe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { config, database, fieldCipher, clock } = c.get('services');
  let checked: CheckedEndpoint;
  try {
    // DNS is resolved here, before the write lock is taken; the same check runs again at send time.
    checked = await checkPushEndpoint(input.endpoint, { allowedOrigin: config.push.endpointBaseUrl });
  } catch (e) {
    if (e instanceof PushEndpointError) throw invalidEndpoint(e.message);
    throw e;
  }
  const saved = await database.write((tx) =>
    saveSubscription(
      tx,
      fieldCipher,
      { userId: auth.userId, url: checked.url, keys: input.keys, userAgent: c.req.header('user-agent')?.slice(0, 256) ?? null },
      clock.now(),
    ),
  );
  return c.json({ id: saved.id, createdAt: saved.createdAt.toISOString() }, 201);
};

export const unsubscribe: RouteHandler<typeof routes.unsubscribe, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { endpoint } = c.req.valid('json');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidEndpoint('The push endpoint is not a URL.');
  }
  await c.get('services').database.write((tx) => deleteSubscription(tx, auth.userId, url));
  return c.body(null, 204);
};

export const getSettings: RouteHandler<typeof routes.getSettings, AppEnv> = async (c) => {
  const auth = requireUser(c);
  return c.json({ push: await getPreferences(c.get('services').database.db, auth.userId) }, 200);
};

export const updateSettings: RouteHandler<typeof routes.updateSettings, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { push } = c.req.valid('json');
  const { database, clock } = c.get('services');
  const next = await database.write((tx) => updatePreferences(tx, auth.userId, push, clock.now()));
  return c.json({ push: next }, 200);
};
