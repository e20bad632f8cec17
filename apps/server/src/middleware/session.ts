/** Resolves the caller from the access token (Bearer header or cookie). Never throws: routes decide. */
import { createMiddleware } from 'hono/factory';
import { authenticate, readAccessToken } from '../features/auth/index.ts';
import type { AppEnv } from '../lib/context.ts';

export const session = createMiddleware<AppEnv>(async (c, next) => {
  c.set('auth', await authenticate(c.get('services'), readAccessToken(c), c));
  return next();
});
