/**
 * Path-based rate limits, applied after the session middleware so that per-user limits know the user.
 * Per-account limits that need the request body (login and register by email) are applied in the auth
 * handlers, after validation. The rules themselves are in lib/rate-limit.ts.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../lib/context.ts';
import { sha256 } from '../lib/crypto.ts';
import { limit, rateLimitHeaders, RULES } from '../lib/rate-limit.ts';
import { responseHeaders } from '../lib/response-headers.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const INVITE_ACCEPT = /^\/api\/invites\/[^/]+\/accept\/?$/;

export const rateLimits: MiddlewareHandler<AppEnv> = (c, next) => {
  // Safe methods are not counted here (a handler may still apply a limit, e.g. the calendar feed), and
  // pass without an async step of their own.
  const done = SAFE.has(c.req.method) ? next() : applyLimits(c, next);
  return done.then(() => stateHeaders(c));
};

/**
 * Limits applied here or later by a handler (sign-in per account, calendar feed, refusals): the
 * response says where the caller stands. A 429 thrown here carries them on the error itself.
 */
function stateHeaders(c: Context<AppEnv>): void {
  const states = c.get('rateLimits');
  if (!states?.length || c.res.status === 101) return;
  const headers = responseHeaders(c.res);
  for (const [k, v] of Object.entries(rateLimitHeaders(states))) headers.set(k, v);
}

async function applyLimits(c: Context<AppEnv>, next: Next): Promise<void> {
  const ip = c.get('ip');
  const auth = c.get('auth');
  const path = c.req.path;

  if (path === '/api/auth/login') {
    await limit(c, RULES.loginIp, ip);
  } else if (path === '/api/auth/register') {
    await limit(c, RULES.registerIp, ip);
  } else if (path === '/api/auth/password-reset') {
    // Counted before validation: a guessing loop pays for malformed tokens too.
    await limit(c, RULES.passwordResetIp, ip);
  } else if (path === '/api/auth/refresh') {
    await limit(c, RULES.refreshIp, ip);
    // The refresh token names one session of one account; hashing keeps it out of the store.
    const token = getCookie(c, 'qc_refresh') ?? getCookie(c, '__Secure-qc_refresh');
    if (token) await limit(c, RULES.refreshSession, sha256(token).slice(0, 32));
  } else if (path.startsWith('/api/auth/2fa/')) {
    await limit(c, RULES.twoFactorIp, ip);
    if (auth) await limit(c, RULES.twoFactorUser, auth.userId);
  } else if (INVITE_ACCEPT.test(path)) {
    await limit(c, RULES.inviteAcceptIp, ip);
    if (auth) await limit(c, RULES.inviteAcceptUser, auth.userId);
  }
  // Every write of a signed-in user counts against one budget, whatever the route.
  if (auth) await limit(c, RULES.writesUser, auth.userId);
  return next();
}
