/**
 * Prometheus HTTP metrics: a latency histogram and a counter by method, route pattern and status.
 * The route label is the pattern that answered (`/api/groups/:groupId`), read after `next()` when
 * Hono's route index points at the responding handler, so ids never become label values (unbounded
 * cardinality). Unmatched paths fall into the catch-all patterns ('/api/*', '*').
 */
import type { Context } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import type { HttpLabels } from '../lib/metrics.ts';

/**
 * One labels object per series, reused: prom-client only reads it. Bounded by methods × route patterns ×
 * statuses. Found by route, method and status in turn (no key string built per request).
 */
const seriesLabels = new Map<string, Map<string, Map<number, HttpLabels>>>();

function labelsFor(method: string, route: string, status: number): HttpLabels {
  let byMethod = seriesLabels.get(route);
  if (!byMethod) seriesLabels.set(route, (byMethod = new Map()));
  let byStatus = byMethod.get(method);
  if (!byStatus) byMethod.set(method, (byStatus = new Map()));
  let labels = byStatus.get(status);
  if (!labels) byStatus.set(status, (labels = { method, route, status: String(status) }));
  return labels;
}

/** Counts a finished request and observes its latency (`seconds`) under its route pattern. */
export function recordHttpMetrics(c: Context<AppEnv>, seconds: number, route: string): void {
  const { metrics } = c.get('services');
  const labels = labelsFor(c.req.method, route || 'unmatched', c.res.status);
  metrics.httpDuration.observe(labels, seconds);
  metrics.countHttpRequest(labels);
}
