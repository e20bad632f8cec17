/** Liveness, readiness, Prometheus metrics and the privacy notice. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors.ts';
import { commonErrors, createRouter, jsonResponse, publicRoute } from '../../lib/openapi.ts';

const PRIVACY_FILE = resolve(import.meta.dirname, '../../../../../docs/privacy.md');
let privacyText: Promise<string> | undefined;

/** Constant-time comparison that also hides the length of the expected token. */
function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const tags = ['ops'];

const Status = (values: [string, ...string[]]) => z.object({ status: z.enum(values) });

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags,
  ...publicRoute,
  summary: 'Liveness: the process answers',
  responses: { 200: jsonResponse('Alive', Status(['ok'])) },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags,
  ...publicRoute,
  summary: 'Readiness: the database answers',
  responses: {
    200: jsonResponse('Ready', Status(['ready'])),
    503: jsonResponse(
      'The database is not answering',
      z.object({ status: z.enum(['unavailable']), code: z.enum(['not_ready']), error: z.string().max(200) }),
    ),
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags,
  security: [{ metricsToken: [] }],
  summary: 'Prometheus metrics',
  description:
    'With METRICS_TOKEN set, needs `Authorization: Bearer <METRICS_TOKEN>`; without it the endpoint is open (keep it off the public network).',
  responses: {
    200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
    401: commonErrors[401],
  },
});

const privacy = createRoute({
  method: 'get',
  path: '/api/privacy',
  tags,
  ...publicRoute,
  summary: 'The privacy notice (docs/privacy.md) as Markdown',
  responses: {
    200: jsonResponse('The notice', z.object({ format: z.enum(['markdown']), content: z.string() })),
    503: commonErrors[503],
  },
});

export const opsRouter = createRouter()
  .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyz, async (c) => {
    const ok = await c.get('services').database.ping();
    return ok
      ? c.json({ status: 'ready' as const }, 200)
      : c.json({ status: 'unavailable' as const, code: 'not_ready' as const, error: 'The database is not answering.' }, 503);
  })
  .openapi(metrics, async (c) => {
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
    // The registry's own content type (with the exposition format version), so not c.text().
    const res = c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
    return res as unknown as ReturnType<typeof c.text<string, 200>>;
  })
  .openapi(privacy, async (c) => {
    // Read once per process; the notice ships with the code (docs/privacy.md) so it matches what it describes.
    privacyText ??= readFile(PRIVACY_FILE, 'utf8');
    const content = await privacyText.catch(() => {
      privacyText = undefined;
      throw new AppError(503, 'privacy_unavailable', 'The privacy notice is not available on this server. See docs/privacy.md.');
    });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ format: 'markdown' as const, content }, 200);
  });
