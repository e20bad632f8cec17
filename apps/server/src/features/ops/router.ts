/** Liveness, readiness, Prometheus metrics and the privacy notice. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';

const PRIVACY_FILE = resolve(import.meta.dirname, '../../../../../docs/privacy.md');
let privacyText: Promise<string> | undefined;

/** Constant-time comparison that also hides the length of the expected token. */
function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export const opsRouter = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok' }, 200))
  .get('/readyz', async (c) => {
    const ok = await c.get('services').database.ping();
    return ok
      ? c.json({ status: 'ready' }, 200)
      : c.json({ status: 'unavailable', code: 'not_ready', error: 'The database is not answering.' }, 503);
  })
  .get('/metrics', async (c) => {
    const { config, metrics } = c.get('services');
    if (config.metricsToken) {
      const m = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
      if (!m?.[1] || !tokenMatches(m[1], config.metricsToken)) {
        throw new AppError(401, 'unauthorized', 'Metrics need Authorization: Bearer <METRICS_TOKEN>.', undefined, {
          'WWW-Authenticate': 'Bearer realm="metrics"',
        });
      }
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  })
  .get('/api/privacy', async (c) => {
    // Read once per process; the notice ships with the code (docs/privacy.md) so it matches what it describes.
    privacyText ??= readFile(PRIVACY_FILE, 'utf8');
    const content = await privacyText.catch(() => {
      privacyText = undefined;
      throw new AppError(503, 'privacy_unavailable', 'The privacy notice is not available on this server. See docs/privacy.md.');
    });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ format: 'markdown', content }, 200);
  });
