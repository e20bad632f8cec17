import type { RouteHandler } from '@hono/zod-openapi';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';
import { notFound } from '../../lib/errors.ts';
import { limit, RULES } from '../../lib/rate-limit.ts';
import { feedUrl, findFeedOwner, listFeedNights, tokenFromFile } from './data.ts';
import { renderFeed } from './feed.ts';
import { createOrRotateFeed, revokeFeed as removeFeed } from './mutations.ts';
import type * as routes from './routes.ts';

const feedNotFound = () => notFound('This calendar feed');

export const createFeed: RouteHandler<typeof routes.createFeed, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { database, config, clock } = c.get('services');
  const { token } = await database.write(async (tx) => {
    const result = await createOrRotateFeed(tx, auth.userId, clock.now());
    // Never the token (or its hash) in the audit log: the type says what happened.
    await auditRequest(c, { type: result.rotated ? 'calendar_feed_rotated' : 'calendar_feed_created', userId: auth.userId }, tx);
    return result;
  });
  return c.json({ url: feedUrl(config.appUrl, token) }, 201);
};

export const revokeFeed: RouteHandler<typeof routes.revokeFeed, AppEnv> = async (c) => {
  const auth = requireUser(c);
  await c.get('services').database.write(async (tx) => {
    if (await removeFeed(tx, auth.userId)) await auditRequest(c, { type: 'calendar_feed_revoked', userId: auth.userId }, tx);
  });
  return c.body(null, 204);
};

/**
 * Calendar apps send no cookie and no Origin of ours: this GET is authorised by the token in its path
 * alone (the session middleware may find nobody, and the origin check lets every GET through). The path
 * is masked in the access log (lib/logger.ts loggablePath).
 */
export const getFeed: RouteHandler<typeof routes.getFeed, AppEnv> = async (c) => {
  // Per address first, before any parsing or lookup; then per feed, keyed by a hash of the token.
  await limit(c, RULES.calendarFeedIp, c.get('ip'));
  const token = tokenFromFile(c.req.valid('param').token);
  if (!token) throw feedNotFound();
  await limit(c, RULES.calendarFeedToken, sha256(`calendar:${token}`).slice(0, 32));
  const { database, config, clock } = c.get('services');
  const owner = await findFeedOwner(database.db, token);
  if (!owner) throw feedNotFound();
  const now = clock.now();
  const nights = await listFeedNights(database.db, owner.userId, now);
  const body = renderFeed(nights, { appUrl: config.appUrl, now, username: owner.username });
  return c.body(body, 200, {
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': 'inline; filename="queuecrew.ics"',
    // Private to its holder; revocation must work at once, so no cache keeps a copy.
    'Cache-Control': 'private, no-store',
    // A link followed from a calendar app's event must not carry the feed URL to another site.
    'Referrer-Policy': 'no-referrer',
  });
};
