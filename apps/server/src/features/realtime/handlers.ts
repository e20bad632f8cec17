/**
 * The `GET /api/ws` upgrade: everything is decided here, before a socket exists. A refused upgrade
 * gets a plain HTTP status (401/403/400/426/429) and @hono/node-ws writes it to the raw socket and
 * closes it, so no WebSocket is ever opened for a foreign page or an anonymous caller.
 */
import { WS_PROTOCOL } from '@queuecrew/shared';
import type { Context } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { limit, RULES } from '../../lib/rate-limit.ts';
import { authenticate } from '../auth/index.ts';
import type { LiveSockets } from './live-sockets.ts';

const BEARER_PREFIX = 'bearer.';

/** The offered subprotocols, e.g. `queuecrew, bearer.<jwt>`. */
export function offeredProtocols(header: string | undefined): string[] {
  if (!header || header.length > 8192) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Which subprotocol to echo: only ours, never the token. */
export function selectProtocol(offered: Set<string>): string | false {
  return offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}

export function upgradeHandler(sockets: LiveSockets, upgradeWebSocket: UpgradeWebSocket<WebSocket>) {
  return async (c: Context<AppEnv>) => {
    const services = c.get('services');
    const logger = c.get('logger');
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError(426, 'upgrade_required', 'This endpoint speaks WebSocket only: connect with a WebSocket client.');
    }
    const protocols = offeredProtocols(c.req.header('sec-websocket-protocol'));
    const bearerProtocol = protocols.find((p) => p.startsWith(BEARER_PREFIX));
    const bearerHeader = c.req.header('authorization') !== undefined;
    const isBearerClient = bearerProtocol !== undefined || bearerHeader;

    // A browser always sends Origin on a WebSocket handshake, and cookies ride along whoever opened it:
    // only the app's own pages may use them. A missing Origin is a non-browser client, which must then
    // authenticate with a token it holds itself (a bearer), never with ambient cookies.
    const origin = c.req.header('origin');
    const crossSite = c.req.header('sec-fetch-site') === 'cross-site';
    if (
      (origin !== undefined && !services.config.acceptedOrigins.includes(origin)) ||
      crossSite ||
      (origin === undefined && !isBearerClient)
    ) {
      logger.warn({ origin, alert: 'ws_origin_refused' }, 'live socket refused: foreign or missing Origin');
      throw new AppError(403, 'cross_site_request', 'Live updates are only available to this site’s own pages.');
    }
    if (protocols.length > 0 && !protocols.includes(WS_PROTOCOL)) {
      throw new AppError(400, 'bad_request', `Offer the "${WS_PROTOCOL}" subprotocol (with "bearer.<access token>" if you use one).`);
    }

    const auth = bearerProtocol
      ? await authenticate(services, bearerProtocol.slice(BEARER_PREFIX.length))
      : // The session middleware already resolved the cookie or Authorization header from the database.
        c.get('auth');
    if (!auth) throw unauthorized();
    // Shared across instances through Redis when it is set: a client stuck in a reconnect loop is slowed
    // down everywhere, not only on the instance it happens to hit.
    await limit(c, RULES.wsConnectUser, auth.userId);
    if (!sockets.hasRoomFor(auth.userId)) {
      throw new AppError(429, 'rate_limited', 'Too many live connections for this account: close some tabs and try again.');
    }

    return upgradeWebSocket(c, {
      onOpen: (_event, ws) => {
        // ws.raw is the `ws` socket; its events are wired directly (binary frames, pings, backpressure).
        if (ws.raw) sockets.add(ws.raw, auth);
      },
    });
  };
}
