/**
 * The HTTP request counter counts in plain numbers per series and hands them to prom-client when it is
 * read: every read sees every request counted before it, once, in the exposition text and in the JSON.
 */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

const ok = { method: 'GET', route: '/api/groups/:groupId/results', status: '200' };
const missing = { method: 'GET', route: '/api/*', status: '404' };

async function counted(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const json = await metrics.httpRequests.get();
  return Object.fromEntries(json.values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
}

describe('HTTP request counter', () => {
  it('shows every request counted before a read, once', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 3; i++) metrics.countHttpRequest(ok);
    metrics.countHttpRequest(missing);
    const text = await metrics.registry.metrics();
    expect(text).toContain('queuecrew_http_requests_total{method="GET",route="/api/groups/:groupId/results",status="200"} 3');
    expect(text).toContain('queuecrew_http_requests_total{method="GET",route="/api/*",status="404"} 1');
    // Read again with nothing new: the same totals, not doubled.
    expect(await counted(metrics)).toEqual({ 'GET /api/groups/:groupId/results 200': 3, 'GET /api/* 404': 1 });
    metrics.countHttpRequest(ok);
    metrics.countHttpRequest({ ...ok });
    expect(await counted(metrics)).toEqual({ 'GET /api/groups/:groupId/results 200': 5, 'GET /api/* 404': 1 });
  });

  it('keeps the counts of each app instance apart', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.countHttpRequest(ok);
    expect(await counted(a)).toEqual({ 'GET /api/groups/:groupId/results 200': 1 });
    expect(await counted(b)).toEqual({});
  });
});

describe('HTTP latency histogram', () => {
  const NAME = 'queuecrew_http_request_duration_seconds';
  function plain() {
    const registry = new Registry();
    const histogram = new Histogram({
      name: NAME,
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    return { registry, histogram };
  }

  it('exports exactly what a plain prom-client Histogram exports for the same observations', async () => {
    const ours = createMetrics();
    const theirs = plain();
    const created = { method: 'POST', route: '/api/auth/register', status: '201' };
    const same = async () => {
      expect(await ours.registry.getSingleMetricAsString(NAME)).toBe(await theirs.registry.getSingleMetricAsString(NAME));
      expect(await ours.httpDuration.get()).toEqual(await theirs.histogram.get());
    };
    await same();
    const values = [0, 0.0049, 0.005, 0.0051, 0.01, 0.3, 1, 2.5, 4.99, 5, 5.01, 120, 1e-9, 0.1 + 0.2];
    // Reused label objects (as middleware/http-metrics.ts passes them), equal copies, fresh objects.
    for (let round = 0; round < 3; round++) {
      for (const v of values) {
        for (const labels of [ok, missing, created, { ...ok }, { ...created }]) {
          ours.httpDuration.observe(labels, v * (round + 1));
          theirs.histogram.observe({ ...labels }, v * (round + 1));
        }
      }
      await same();
    }
    // A copy seen first, then the object itself, on a series of its own.
    const late = { method: 'DELETE', route: '/api/x', status: '204' };
    ours.httpDuration.observe({ ...late }, 0.02);
    theirs.histogram.observe({ ...late }, 0.02);
    for (let i = 0; i < 3; i++) {
      ours.httpDuration.observe(late, 0.2 * i);
      theirs.histogram.observe(late, 0.2 * i);
    }
    await same();
    // Through prom-client's other entry points, and after the records are replaced.
    ours.httpDuration.labels(ok).observe(0.07);
    theirs.histogram.labels(ok).observe(0.07);
    await same();
    ours.httpDuration.zero(ok);
    theirs.histogram.zero(ok);
    ours.httpDuration.observe(ok, 0.03);
    theirs.histogram.observe(ok, 0.03);
    await same();
    ours.httpDuration.remove(created);
    theirs.histogram.remove(created);
    ours.httpDuration.observe(created, 0.04);
    theirs.histogram.observe(created, 0.04);
    await same();
    ours.httpDuration.reset();
    theirs.histogram.reset();
    await same();
    for (const labels of [ok, missing, ok]) {
      ours.httpDuration.observe(labels, 0.006);
      theirs.histogram.observe(labels, 0.006);
    }
    await same();
    expect(() => ours.httpDuration.observe(ok, Number.NaN)).toThrow(TypeError);
    expect(await ours.registry.getSingleMetricAsString(NAME)).toContain(
      `${NAME}_count{method="GET",route="/api/groups/:groupId/results",status="200"} 2`,
    );
  });
});
