/** The signed-in caller, or 401. Every route that needs a user starts with this. */
import type { Context } from 'hono';
import { unauthorized } from './errors.ts';
import type { AppEnv, AuthInfo } from './context.ts';

export function requireUser(c: Context<AppEnv>): AuthInfo {
  const auth = c.get('auth');
  if (!auth) throw unauthorized();
  return auth;
}
