/** Liveness and readiness. */
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

export const opsRouter = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok' }, 200))
  .get('/readyz', async (c) => {
    const ok = await c.get('services').database.ping();
    return ok
      ? c.json({ status: 'ready' }, 200)
      : c.json({ status: 'unavailable', code: 'not_ready', error: 'The database is not answering.' }, 503);
  });
