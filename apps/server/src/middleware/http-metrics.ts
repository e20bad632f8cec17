/**
 * Prometheus HTTP metrics: a latency histogram and a counter by method, route pattern and status.
 * The route label is the pattern that answered (`/api/groups/:groupId`), read after `next()` when
 * Hono's route index points at the responding handler, so ids never become label values (unbounded
 * cardinality). Unmatched paths fall into the catch-all patterns ('/api/*', '*').
 */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../lib/context.ts';

export const httpMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const start = performance.now();
  await next();
  const { metrics } = c.get('services');
  const labels = { method: c.req.method, route: routePath(c) || 'unmatched', status: String(c.res.status) };
  metrics.httpDuration.observe(labels, (performance.now() - start) / 1000);
  metrics.httpRequests.inc(labels);
});
