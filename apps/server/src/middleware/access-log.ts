/** One structured log line per request: method, route, status, duration. Never headers or bodies. */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../lib/context.ts';
import { accessLoggerFor, loggablePath } from '../lib/logger.ts';

export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const start = performance.now();
  await next();
  const ms = Math.round((performance.now() - start) * 10) / 10;
  const status = c.res.status;
  // The request id in the line itself (no child logger per request); the fixed shape needs no redaction pass.
  const line = { requestId: c.get('requestId'), method: c.req.method, route: routePath(c), path: loggablePath(c.req.path), status, ms };
  const logger = accessLoggerFor(c.get('services').logger);
  if (status >= 500) logger.error(line, 'request failed');
  else logger.info(line, 'request');
});
