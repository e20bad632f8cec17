/**
 * Web Push delivery in two loops over the database (docs/push.md):
 *
 * 1. Queue: notification rows with `push_queued_at IS NULL` get one `push_outbox` row per device of their
 *    user whose preference for that kind is on, and `push_queued_at` is set, in one write transaction (so
 *    two instances never queue a notification twice, and a crash queues it again rather than never).
 * 2. Deliver: due outbox rows are claimed (conditional update, like the Discord outbox), encrypted
 *    (aes128gcm, RFC 8291) and signed (VAPID, RFC 8292) by the `web-push` library's
 *    generateRequestDetails(), and POSTed by us with node:https through `pinnedLookup`: the address
 *    connected to is the address that passed the SSRF check. No redirects, a short timeout, the response
 *    body is never read. 404/410 delete the subscription; 429 and 5xx retry with exponential backoff.
 *
 * Requests never wait for a push service: the loops run on their own timer.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { and, asc, eq, isNull } from 'drizzle-orm';
import webpush from 'web-push';
import { schema } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import type { Services } from '../../services.ts';
import { endpointAad, keysAad, parsePreferences } from './data.ts';
import { parsePushEndpoint, pinnedLookup, PushEndpointError, systemResolver, type Resolver } from './endpoint.ts';
import { IntervalLoop } from '../../lib/interval-loop.ts';
import { claimOutboxRow, deleteSettledOutboxRows, dueOutboxRows, nextAttemptAt, retryAfterMs, type RetryPolicy } from '../../lib/outbox.ts';

/** `maxAttempts`, `baseDelayMs` and `maxDelayMs` (RetryPolicy): an outbox row is given up after maxAttempts attempts. */
export interface PushWorkerOptions extends RetryPolicy {
  /** How often the loops run. */
  intervalMs: number;
  /** A claimed row is retried after this long if its instance died mid-delivery (at-least-once). */
  leaseMs: number;
  batchSize: number;
  /** The whole request (connect, TLS, send, response headers) must finish within this. */
  requestTimeoutMs: number;
  /** How long a push service should keep a message for an offline device (TTL header, seconds). */
  ttlSeconds: number;
  /** Notifications older than this when first seen (a backlog after downtime) are not pushed: stale news. */
  maxNotificationAgeMs: number;
  /** Delivered and failed outbox rows are deleted after this long. */
  keepMs: number;
  /**
   * The resolver used at send time inside the socket's lookup. The system resolver by default; tests pass
   * a real function that answers as a rebinding DNS server would.
   */
  resolve: Resolver;
  /** The one extra origin allowed (defaults to the config's PUSH_ENDPOINT_BASE_URL; never in production). */
  allowedOrigin: string | undefined;
}

export const DEFAULT_PUSH_WORKER_OPTIONS: Omit<PushWorkerOptions, 'allowedOrigin'> = {
  intervalMs: 2_000,
  maxAttempts: 6,
  baseDelayMs: 15_000,
  maxDelayMs: 30 * 60_000,
  leaseMs: 60_000,
  batchSize: 50,
  requestTimeoutMs: 5_000,
  ttlSeconds: 4 * 3600,
  maxNotificationAgeMs: 6 * 3600_000,
  keepMs: 7 * 24 * 3600_000,
  resolve: systemResolver,
};

export interface PushTickResult {
  queued: number;
  delivered: number;
  retrying: number;
  failed: number;
  gone: number;
}

type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; error: string; at: number }
  | { kind: 'failed'; error: string }
  | { kind: 'gone'; error: string };

/** What the push service said: only the status and the Retry-After header are ever looked at. */
interface PushResponse {
  status: number;
  headers: IncomingHttpHeaders;
}

export class PushWorker {
  readonly options: PushWorkerOptions;
  readonly #loop: IntervalLoop;
  #lastCleanup = 0;

  constructor(
    private readonly services: Services,
    options: Partial<PushWorkerOptions> = {},
  ) {
    this.options = {
      ...DEFAULT_PUSH_WORKER_OPTIONS,
      allowedOrigin: services.config.isProduction ? undefined : services.config.push.endpointBaseUrl,
      ...options,
    };
    if (services.config.isProduction) this.options.allowedOrigin = undefined;
    this.#loop = new IntervalLoop('push worker', this.options.intervalMs, () => this.runOnce(), services.logger);
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops the loop; the pass in flight finishes (what it could not finish stays due). */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  /** One deterministic pass of both loops (tests call it with a chosen instant). */
  async runOnce(now: Date = this.services.clock.now()): Promise<PushTickResult> {
    const result: PushTickResult = { queued: 0, delivered: 0, retrying: 0, failed: 0, gone: 0 };
    result.queued = await this.queue(now);
    if (now.getTime() - this.#lastCleanup >= 3600_000) {
      this.#lastCleanup = now.getTime();
      await this.cleanup(now);
    }
    const due = await dueOutboxRows(this.services.database, schema.pushOutbox, now, this.options.batchSize);
    for (const row of due) {
      const outcome = await this.deliver(row, now);
      if (outcome === 'skipped') continue;
      if (outcome.kind === 'delivered') result.delivered += 1;
      else if (outcome.kind === 'retry') result.retrying += 1;
      else if (outcome.kind === 'gone') result.gone += 1;
      else result.failed += 1;
    }
    return result;
  }

  /** Loop 1: fans pending notifications out to their users' devices. Returns the outbox rows created. */
  async queue(now: Date): Promise<number> {
    const { database } = this.services;
    const pendingWhere = isNull(schema.notifications.pushQueuedAt);
    // Read first: with nothing pending the loop never takes the writer lock.
    const any = await database.db.select({ id: schema.notifications.id }).from(schema.notifications).where(pendingWhere).limit(1).get();
    if (!any) return 0;
    return database.write(async (tx) => {
      // Re-read inside the transaction (BEGIN IMMEDIATE): another instance may have queued them meanwhile.
      const pending = await tx
        .select({
          id: schema.notifications.id,
          userId: schema.notifications.userId,
          kind: schema.notifications.kind,
          createdAt: schema.notifications.createdAt,
        })
        .from(schema.notifications)
        .where(pendingWhere)
        .orderBy(asc(schema.notifications.createdAt))
        .limit(this.options.batchSize);
      let created = 0;
      const prefsByUser = new Map<string, ReturnType<typeof parsePreferences>>();
      for (const n of pending) {
        const fresh = now.getTime() - n.createdAt.getTime() <= this.options.maxNotificationAgeMs;
        let prefs = prefsByUser.get(n.userId);
        if (!prefs) {
          const row = await tx
            .select({ push: schema.notificationSettings.push })
            .from(schema.notificationSettings)
            .where(eq(schema.notificationSettings.userId, n.userId))
            .get();
          prefs = parsePreferences(row?.push);
          prefsByUser.set(n.userId, prefs);
        }
        if (fresh && prefs[n.kind]) {
          const devices = await tx
            .select({ id: schema.pushSubscriptions.id })
            .from(schema.pushSubscriptions)
            .where(eq(schema.pushSubscriptions.userId, n.userId));
          for (const d of devices) {
            const inserted = await tx
              .insert(schema.pushOutbox)
              .values({ id: newId(), subscriptionId: d.id, notificationId: n.id, nextAttemptAt: now, createdAt: now })
              .onConflictDoNothing()
              .returning({ id: schema.pushOutbox.id });
            created += inserted.length;
          }
        }
        await tx
          .update(schema.notifications)
          .set({ pushQueuedAt: now })
          .where(and(eq(schema.notifications.id, n.id), isNull(schema.notifications.pushQueuedAt)));
      }
      return created;
    });
  }

  private async cleanup(now: Date): Promise<void> {
    await deleteSettledOutboxRows(this.services.database, schema.pushOutbox, new Date(now.getTime() - this.options.keepMs));
  }

  private async deliver(row: typeof schema.pushOutbox.$inferSelect, now: Date): Promise<Outcome | 'skipped'> {
    const { database } = this.services;
    // Claim the row: only the instance whose conditional update succeeds sends it.
    if (!(await claimOutboxRow(database, schema.pushOutbox, row, now, this.options.leaseMs))) return 'skipped';
    const attempts = row.attempts + 1;
    const target = await database.db
      .select({
        endpointEnc: schema.pushSubscriptions.endpointEnc,
        keysEnc: schema.pushSubscriptions.keysEnc,
        title: schema.notifications.title,
        body: schema.notifications.body,
        url: schema.notifications.url,
      })
      .from(schema.pushOutbox)
      .innerJoin(schema.pushSubscriptions, eq(schema.pushSubscriptions.id, schema.pushOutbox.subscriptionId))
      .innerJoin(schema.notifications, eq(schema.notifications.id, schema.pushOutbox.notificationId))
      .where(eq(schema.pushOutbox.id, row.id))
      .get();
    // The device or the notification was deleted meanwhile: the cascade removed the row too.
    if (!target) return 'skipped';
    let outcome: Outcome;
    let subscription: { endpoint: string; keys: { p256dh: string; auth: string } } | undefined;
    try {
      const { fieldCipher } = this.services;
      subscription = {
        endpoint: fieldCipher.decrypt(target.endpointEnc, endpointAad(row.subscriptionId)),
        keys: JSON.parse(fieldCipher.decrypt(target.keysEnc, keysAad(row.subscriptionId))) as { p256dh: string; auth: string },
      };
    } catch {
      subscription = undefined;
    }
    if (!subscription) {
      outcome = { kind: 'failed', error: 'The subscription cannot be decrypted with the current field key.' };
    } else {
      const payload = JSON.stringify(this.payloadOf(target));
      outcome = await this.send(subscription, payload, attempts, now);
    }
    await this.record(row, attempts, outcome, now);
    return outcome;
  }

  /** Exactly the notification's title, body and an absolute same-origin URL: nothing else leaves the server. */
  private payloadOf(n: { title: string; body: string; url: string }): { title: string; body: string; url: string } {
    const origin = this.services.config.appOrigin;
    let url = `${origin}/`;
    try {
      const u = new URL(n.url, origin);
      if (u.origin === origin) url = u.href;
    } catch {
      // keep the home page
    }
    const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
    // A push message carries at most 4 KiB after encryption; 120 + 500 characters stay well inside it.
    return { title: cut(n.title, 120), body: cut(n.body, 500), url };
  }

  private async send(
    subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
    payload: string,
    attempts: number,
    now: Date,
  ): Promise<Outcome> {
    const retryOrFail = (error: string, waitMs?: number): Outcome => {
      const at = nextAttemptAt(this.options, attempts, now, waitMs);
      return at === undefined ? { kind: 'failed', error: `${error} Gave up after ${attempts} attempts.` } : { kind: 'retry', error, at };
    };
    let url: URL;
    let allowance: boolean;
    try {
      // The same rules as at subscribe time, against today's configuration.
      ({ url, allowance } = parsePushEndpoint(subscription.endpoint, { allowedOrigin: this.options.allowedOrigin }));
    } catch (e) {
      return { kind: 'failed', error: `Refused to send: ${e instanceof Error ? e.message : 'invalid endpoint'}` };
    }
    const { vapid } = this.services.config.push;
    const details = webpush.generateRequestDetails({ endpoint: url.href, keys: subscription.keys }, payload, {
      vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      TTL: this.options.ttlSeconds,
      contentEncoding: 'aes128gcm',
      urgency: 'normal',
    });
    let res: PushResponse;
    try {
      res = await this.post(url, allowance, details.headers as Record<string, string | number>, details.body);
    } catch (e) {
      if (e instanceof PushEndpointError) return { kind: 'failed', error: `Refused to connect: ${e.message}` };
      return retryOrFail(`The push service could not be reached (${e instanceof Error ? e.message : 'error'}).`);
    }
    if (res.status >= 200 && res.status < 300) return { kind: 'delivered' };
    if (res.status === 404 || res.status === 410)
      return { kind: 'gone', error: `The push service answered ${res.status}: the device unsubscribed.` };
    if (res.status === 429) {
      const header = res.headers['retry-after'];
      const value = Array.isArray(header) ? header[0] : header;
      const seconds = value === undefined ? NaN : /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now.getTime()) / 1000;
      return retryOrFail('The push service rate-limited us.', retryAfterMs(this.options, attempts, seconds));
    }
    if (res.status >= 500) return retryOrFail(`The push service answered ${res.status}.`);
    if (res.status >= 300 && res.status < 400)
      return { kind: 'failed', error: `The push service answered ${res.status}; redirects are not followed.` };
    return { kind: 'failed', error: `The push service refused the message (${res.status}).` };
  }

  /**
   * One POST, our own: https through the pinned lookup (the stand-in origin over http without it), no
   * redirects (node:http never follows them), a deadline for the whole exchange, and the response body
   * discarded unread (the socket is destroyed as soon as the status line and headers are in).
   */
  private post(url: URL, allowance: boolean, headers: Record<string, string | number>, body: Buffer | null): Promise<PushResponse> {
    return new Promise((resolve, reject) => {
      const options = {
        method: 'POST',
        headers: { ...headers, 'User-Agent': 'QueueCrew (web push)' },
        timeout: this.options.requestTimeoutMs,
        // A fresh connection per message: a pooled socket would skip the lookup (and its check).
        agent: false as const,
        ...(allowance ? {} : { lookup: pinnedLookup(this.options.resolve) }),
      };
      const send = url.protocol === 'http:' && allowance ? httpRequest : httpsRequest;
      const req = send(url, options, (res) => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
        res.destroy();
      });
      const deadline = setTimeout(() => req.destroy(new Error('timed out')), this.options.requestTimeoutMs);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
      req.end(body ?? undefined);
    });
  }

  private async record(row: typeof schema.pushOutbox.$inferSelect, attempts: number, outcome: Outcome, now: Date): Promise<void> {
    const { database, logger, metrics } = this.services;
    const log = { outboxId: row.id, subscriptionId: row.subscriptionId, notificationId: row.notificationId, attempts };
    await database.write(async (tx) => {
      if (outcome.kind === 'delivered') {
        await tx.update(schema.pushOutbox).set({ deliveredAt: now, lastError: null }).where(eq(schema.pushOutbox.id, row.id));
        await tx.update(schema.pushSubscriptions).set({ lastSuccessAt: now }).where(eq(schema.pushSubscriptions.id, row.subscriptionId));
      } else if (outcome.kind === 'gone') {
        // The browser unsubscribed or the subscription expired: the device is gone (its rows go by cascade).
        await tx.delete(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, row.subscriptionId));
      } else if (outcome.kind === 'retry') {
        await tx
          .update(schema.pushOutbox)
          .set({ nextAttemptAt: new Date(outcome.at), lastError: outcome.error })
          .where(eq(schema.pushOutbox.id, row.id));
      } else {
        await tx.update(schema.pushOutbox).set({ failedAt: now, lastError: outcome.error }).where(eq(schema.pushOutbox.id, row.id));
      }
    });
    metrics.pushDeliveries.inc({ outcome: outcome.kind });
    if (outcome.kind === 'delivered') logger.debug(log, 'push delivered');
    else if (outcome.kind === 'retry')
      logger.warn({ ...log, error: outcome.error, retryAt: new Date(outcome.at).toISOString() }, 'push failed; will retry');
    else if (outcome.kind === 'gone') logger.info({ ...log, error: outcome.error }, 'push subscription removed');
    else logger.warn({ ...log, error: outcome.error }, 'push given up');
  }
}
