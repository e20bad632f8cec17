/** One structured log line per request: method, route, status, duration. Never headers or bodies. */
import type { Context } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { accessLineWriterFor, loggablePath } from '../lib/logger.ts';

/** Writes the access line of a finished request that took `elapsedMs`. */
export function writeAccessLine(c: Context<AppEnv>, elapsedMs: number, route: string): void {
  const ms = Math.round(elapsedMs * 10) / 10;
  const status = c.res.status;
  // The request id in the line itself (no child logger per request); the fixed shape needs no redaction
  // pass, and is written by hand as pino would write it (lib/logger.ts, accessLineWriterFor).
  const fields = { requestId: c.get('requestId'), method: c.req.method, route, path: loggablePath(c.req.path), status, ms };
  accessLineWriterFor(c.get('services').logger)(fields, status >= 500);
}
