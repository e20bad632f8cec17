/**
 * CSRF defence for every content type (Hono's csrf() only checks form content types): a state-changing
 * request whose Origin is not the app's own, or whose Sec-Fetch-Site is cross-site, is refused.
 * Requests with neither header (curl, server-to-server with a Bearer token) carry no ambient browser
 * credentials problem only when they authenticate with a Bearer header; cookie-authenticated browser
 * requests always send Origin on unsafe methods.
 */
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from '../lib/context.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}

export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method)) return next();
  const { config } = c.get('services');
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  // Without an Origin header (old browsers, some privacy settings), a Referer still names the page the
  // request came from; a foreign one is refused the same way.
  const referer = origin === undefined ? c.req.header('referer') : undefined;
  const refererOrigin = referer ? originOf(referer) : undefined;
  const foreign =
    (origin !== undefined && origin !== config.appOrigin) || (refererOrigin !== undefined && refererOrigin !== config.appOrigin);
  if (site === 'cross-site' || foreign) {
    c.get('logger').warn({ origin: origin ?? refererOrigin, site, path: c.req.path, alert: 'csrf_refused' }, 'cross-site request refused');
    throw new AppError(
      403,
      'cross_site_request',
      'This request came from another site and was refused. Open QueueCrew directly and try again.',
    );
  }
  return next();
});
