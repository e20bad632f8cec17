/**
 * The HTTP request counter counts in plain numbers per series and hands them to prom-client when it is
 * read: every read sees every request counted before it, once, in the exposition text and in the JSON.
 */
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
