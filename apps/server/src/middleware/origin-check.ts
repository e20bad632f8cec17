/**
 * CSRF defence for every content type (Hono's csrf() only checks form content types): a state-changing
 * request whose Origin is not the app's own, or whose Sec-Fetch-Site is cross-site, is refused.
 *
 * A request that carries cookies (ambient credentials: the session, the Discord sign-in flow) must also
 * prove where it came from: its own Origin, or — when Origin is missing — `Sec-Fetch-Site: same-origin` or a
 * same-origin Referer. Every current browser sends Origin on POST/PUT/PATCH/DELETE, so only very old
 * browsers (which may also ignore SameSite) or scripts send neither; scripts authenticate with a Bearer
 * header or send an Origin. A request with an Authorization header needs no proof: a cross-site page
 * cannot add that header without a CORS preflight we never grant. (docs/decisions/080-red-team-review.md)
 */
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from '../lib/context.ts';
import { loggablePath } from '../lib/logger.ts';
import { requestHeader } from '../lib/request-headers.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Discord's servers call this endpoint directly: no browser, no Origin, no cookie. It is exempt from the
 * CSRF rule only because its Ed25519 signature check (features/discord-interactions/verify.ts, 401
 * otherwise) replaces it: a cross-site page cannot forge Discord's signature, and the endpoint never
 * looks at cookies, so ambient credentials give it nothing.
 */
const SIGNED_BY_DISCORD = '/api/discord/interactions';

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}

/** Safe methods pass without an async step of their own (the common case: every read). */
export const originCheck: MiddlewareHandler<AppEnv> = (c, next) => (SAFE.has(c.req.method) ? next() : checkOrigin(c, next));

const checkOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path === SIGNED_BY_DISCORD) return next();
  const { config } = c.get('services');
  const origin = requestHeader(c, 'origin');
  const site = requestHeader(c, 'sec-fetch-site');
  // Without an Origin header (old browsers, some privacy settings), a Referer still names the page the
  // request came from; a foreign one is refused the same way.
  const referer = origin === undefined ? requestHeader(c, 'referer') : undefined;
  const refererOrigin = referer ? originOf(referer) : undefined;
  const accepted = (o: string) => config.acceptedOrigins.includes(o);
  const seen = origin !== undefined ? originOf(origin) : refererOrigin;
  const foreign = (origin !== undefined && !accepted(origin)) || (refererOrigin !== undefined && !accepted(refererOrigin));
  // Cookies without any proof of origin: refused unless the caller authenticates with its own header.
  const unproven =
    origin === undefined &&
    site !== 'same-origin' &&
    refererOrigin === undefined &&
    requestHeader(c, 'cookie') !== undefined &&
    requestHeader(c, 'authorization') === undefined;
  if (foreign && seen !== undefined && (site === 'same-origin' || site === 'same-site')) {
    // Not another site as far as the browser knows (same-origin or same-site), but an address that is not
    // APP_URL: almost always a configuration mismatch (another port, 127.0.0.1 vs a host name, a proxy).
    // Say which origin was seen, what APP_URL is and that APP_URL is the setting to change.
    const message = `This page was opened at ${seen}, but QueueCrew is configured for ${config.appOrigin} (APP_URL), so the request was refused. Open ${config.appOrigin} instead, or set APP_URL to the address you open.`;
    c.get('logger').warn(
      { origin: seen, appUrl: config.appOrigin, site, path: loggablePath(c.req.path), alert: 'csrf_refused', setting: 'APP_URL' },
      `origin mismatch: request from ${seen} but APP_URL is ${config.appOrigin}; set APP_URL to the address people open`,
    );
    throw new AppError(403, 'origin_mismatch', message, { origin: seen, appUrl: config.appOrigin, setting: 'APP_URL' });
  }
  if (site === 'cross-site' || foreign || unproven) {
    c.get('logger').warn(
      { origin: origin ?? refererOrigin, site, path: loggablePath(c.req.path), alert: 'csrf_refused' },
      'cross-site request refused',
    );
    throw new AppError(
      403,
      'cross_site_request',
      'This request came from another site and was refused. Open QueueCrew directly and try again.',
    );
  }
  return next();
});
