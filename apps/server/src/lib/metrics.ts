/**
 * Prometheus metrics (prom-client), one registry per app instance so tests can run several apps in one
 * process. Names are part of the operations contract (docs/operations.md alert rules use them).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The labels of one HTTP series; one object per series, reused for every request of it (middleware/http-metrics.ts). */
export type HttpLabels = Readonly<{ method: string; route: string; status: string }>;

/** prom-client 15's own record of one series (lib/histogram.js `createBaseValues`). */
interface SeriesValues {
  labels: object;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * A prom-client Histogram whose observations for a labels object it has seen before skip prom-client's
 * per-observation work (wrapping the pair, validating the label names, hashing the label values into a
 * key string): they go straight into the record prom-client made for that series on its first
 * observation, found once by that labels object (prom-client keeps the very object as the record's
 * labels). The record, its buckets and everything exported from it stay prom-client's, so the text and
 * JSON are unchanged (lib/metrics.test.ts compares them with a plain Histogram's). Anything that
 * replaces records (reset, zero, remove) forgets the shortcuts. A labels object must not change once
 * observed (prom-client's record holds it too; HttpLabels are one read-only object per series).
 * prom-client is pinned (15.1.3): its record layout is not public API.
 */
class SeriesHistogram<T extends string> extends Histogram<T> {
  /**
   * Per labels object: its series' record, or null when that object is not the one the record keeps.
   * Set by reset(), which prom-client's constructor calls (so no initializer, which would run after it).
   */
  declare private records: WeakMap<object, SeriesValues | null>;

  /** What prom-client's Histogram makes its `observe` (exemplars off): `observe(labels, value)` or `observe(value)`. */
  observeWithoutExemplar(labels: Partial<Record<T, string | number>> | number, value: number): void {
    const record = typeof labels === 'object' && labels !== null ? this.records.get(labels) : undefined;
    if (!record || !Number.isFinite(value)) {
      // A labels object seen for the first time, or not the one its series' record keeps (then always), or
      // a value prom-client refuses: prom-client's own path.
      baseObserve.call(this, labels, value);
      if (record === undefined && typeof labels === 'object' && labels !== null) this.#remember(labels);
      return;
    }
    const bounds = (this as unknown as { upperBounds: readonly number[] }).upperBounds;
    for (const bound of bounds) {
      if (value <= bound) {
        record.bucketValues[bound]! += 1;
        break;
      }
    }
    record.sum += value;
    record.count += 1;
  }

  #remember(labels: object): void {
    const records = (this as unknown as { hashMap: Record<string, SeriesValues> }).hashMap;
    for (const record of Object.values(records)) {
      if (record.labels === labels) {
        this.records.set(labels, record);
        return;
      }
    }
    this.records.set(labels, null);
  }

  override reset(): void {
    this.records = new WeakMap();
    super.reset();
  }

  override zero(labels: Partial<Record<T, string | number>>): void {
    this.records = new WeakMap();
    super.zero(labels);
  }

  override remove(...args: unknown[]): void {
    this.records = new WeakMap();
    (super.remove as (...a: unknown[]) => void).apply(this, args);
  }
}

const baseObserve = (Histogram.prototype as unknown as { observeWithoutExemplar: (labels: unknown, value: number) => void })
  .observeWithoutExemplar;

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
    httpDuration: new SeriesHistogram({
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
