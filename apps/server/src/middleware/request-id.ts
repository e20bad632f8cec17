/** Gives every request an id (X-Request-Id), a child logger carrying it, and the client IP. */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { newId } from '../lib/ids.ts';
import type { AppEnv } from '../lib/context.ts';
import { lazyChild } from '../lib/logger.ts';
import { requestHeader } from '../lib/request-headers.ts';
import type { HeaderEditor } from '../lib/response-headers.ts';
import type { Services } from '../services.ts';

const INCOMING_ID = /^[A-Za-z0-9_-]{8,64}$/;

function socketIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

/**
 * The client address: the socket peer, or — only when TRUST_PROXY is on — the last X-Forwarded-For
 * entry. The last one is the address our own reverse proxy saw and appended; everything before it was
 * sent by the client and can be forged (`X-Forwarded-For: 1.2.3.4` from an attacker arrives as
 * `1.2.3.4, <real address>`), so it must never pick a rate-limit bucket.
 */
export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = requestHeader(c, 'x-forwarded-for');
    const last = xff?.split(',').at(-1)?.trim();
    if (last && isIP(last.replace(/^::ffff:/, ''))) return last.replace(/^::ffff:/, '');
  }
  return socketIp(c).replace(/^::ffff:/, '');
}

/** Sets this request's id, client IP and (lazy) logger in the context; returns the id. */
export function beginRequest(c: Context<AppEnv>, services: Services): string {
  const incoming = requestHeader(c, 'x-request-id');
  const id = incoming && INCOMING_ID.test(incoming) && services.config.trustProxy ? incoming : newId();
  c.set('requestId', id);
  c.set('ip', clientIp(c, services.config.trustProxy));
  // Built only if something logs through it: most requests log just their access line (access-log.ts).
  c.set('logger', lazyChild(services.logger, { requestId: id }));
  return id;
}

/**
 * Sets `X-Request-Id` on the final response (whatever made it: a handler's own Response, an error
 * answer). Through `responseHeaders()`, never `c.header()`: on a finished response `c.header()` reads
 * `bodyUsed`, which turns @hono/node-server's lightweight response into a full WHATWG Response with a
 * stream body (docs/decisions/096-response-fast-path.md).
 */
export function endRequest(id: string, headers: HeaderEditor): void {
  headers.set('x-request-id', id);
}
