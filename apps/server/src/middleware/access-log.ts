/** One structured log line per request: method, route, status, duration. Never headers or bodies. */
import type { Context } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { accessLoggerFor, loggablePath } from '../lib/logger.ts';

/** Writes the access line of a finished request that took `elapsedMs`. */
export function writeAccessLine(c: Context<AppEnv>, elapsedMs: number, route: string): void {
  const ms = Math.round(elapsedMs * 10) / 10;
  const status = c.res.status;
  // The request id in the line itself (no child logger per request); the fixed shape needs no redaction pass.
  const line = { requestId: c.get('requestId'), method: c.req.method, route, path: loggablePath(c.req.path), status, ms };
  const logger = accessLoggerFor(c.get('services').logger);
  if (status >= 500) logger.error(line, 'request failed');
  else logger.info(line, 'request');
}
