/**
 * Prometheus metrics (prom-client), one registry per app instance so tests can run several apps in one
 * process. Names are part of the operations contract (docs/operations.md alert rules use them).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The labels of one HTTP series; one object per series, reused for every request of it (middleware/http-metrics.ts). */
export type HttpLabels = Readonly<{ method: string; route: string; status: string }>;

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'queuecrew_' });
  // Requests counted since the counter was last read, per series: adding 1 to a number here instead of
  // prom-client's inc() per request (label validation and a label-string hash each time); the counter
  // takes them in whenever it is read (its collect() runs first), so every read sees every request.
  const uncounted = new Map<HttpLabels, number>();
  return {
    registry,
    /** Counts one finished request in `queuecrew_http_requests_total` (read: collect() below). */
    countHttpRequest(labels: HttpLabels): void {
      uncounted.set(labels, (uncounted.get(labels) ?? 0) + 1);
    },
    httpDuration: new Histogram({
      name: 'queuecrew_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'queuecrew_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
      collect() {
        for (const [labels, n] of uncounted) this.inc(labels, n);
        uncounted.clear();
      },
    }),
    activeSockets: new Gauge({ name: 'queuecrew_ws_active_sockets', help: 'Open WebSocket connections', registers: [registry] }),
    votes: new Counter({ name: 'queuecrew_votes_total', help: 'Votes cast (approvals added)', registers: [registry] }),
    logins: new Counter({
      name: 'queuecrew_logins_total',
      help: 'Sign-in attempts by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    failedLoginBursts: new Counter({
      name: 'queuecrew_failed_login_bursts_total',
      help: 'Bursts of failed sign-ins that raised an alert',
      registers: [registry],
    }),
    rateLimitHits: new Counter({
      name: 'queuecrew_rate_limit_hits_total',
      help: 'Requests refused with 429, by limiter',
      labelNames: ['limiter'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'queuecrew_webhook_deliveries_total',
      help: 'Discord webhook delivery attempts by outcome (delivered, retry, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    pushDeliveries: new Counter({
      name: 'queuecrew_push_deliveries_total',
      help: 'Web Push delivery attempts by outcome (delivered, retry, failed, gone)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    dbErrors: new Counter({
      name: 'queuecrew_db_errors_total',
      help: 'Database errors by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    backupAge: new Gauge({
      name: 'queuecrew_backup_last_success_timestamp_seconds',
      help: 'Unix time of the last successful backup',
      registers: [registry],
    }),
    restoreDrill: new Gauge({
      name: 'queuecrew_restore_drill_last_result',
      help: '1 if the last restore drill passed, 0 if it failed',
      registers: [registry],
    }),
    restoreDrillTime: new Gauge({
      name: 'queuecrew_restore_drill_last_run_timestamp_seconds',
      help: 'Unix time of the last restore drill',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
