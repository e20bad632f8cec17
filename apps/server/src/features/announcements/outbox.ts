/**
 * Discord announcements through the `webhook_outbox` table (docs/decisions/072-webhook-outbox.md):
 * a row is written in the same transaction as the event it announces, and a worker loop posts due
 * rows with retries and exponential backoff. A restart loses nothing: rows stay until delivered or
 * given up. Requests never wait for Discord.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import type { Services } from '../../services.ts';
import { webhookAad } from './webhooks.ts';
import { IntervalLoop } from '../../lib/interval-loop.ts';
import { claimOutboxRow, deleteSettledOutboxRows, dueOutboxRows, nextAttemptAt, retryAfterMs, type RetryPolicy } from '../../lib/outbox.ts';

/**
 * The body posted to Discord: plain content; allowed_mentions parses nothing, so only the user ids listed
 * in `users` (game-night messages mention the linked members who are in) can be pinged.
 */
export interface WebhookMessage {
  username: string;
  content: string;
  allowed_mentions: { parse: []; users?: string[] };
}

/**
 * Text from users, made inert in Discord: markdown characters escaped, links broken up (so a game
 * name cannot become a clickable phishing link in the channel), and cut to a sane length.
 */
export function inert(text: string, max = 100): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/[\\*_~`|>#[\]()<:@-]/g, (ch) => `\\${ch}`).replace(/\/\//g, '/\u200b/');
}

function message(content: string): WebhookMessage {
  return { username: 'QueueCrew', content: content.slice(0, 2000), allowed_mentions: { parse: [] } };
}

async function announceableGroup(db: Db | Tx, groupId: string) {
  return db
    .select({
      name: schema.groups.name,
      enc: schema.groups.discordWebhookEnc,
      onSuggestion: schema.groups.webhookOnSuggestion,
      onWinner: schema.groups.webhookOnWinner,
    })
    .from(schema.groups)
    .where(eq(schema.groups.id, groupId))
    .get();
}

/**
 * Queues "new suggestion" for the group's webhook, inside the transaction that inserts the suggestion
 * (so either both happen or neither). Does nothing when no webhook is set or the toggle is off.
 */
export async function enqueueSuggestionAnnouncement(
  tx: Tx,
  suggestion: { id: string; groupId: string; day: string; gameName: string; suggestedBy: string | null },
  now: Date = new Date(),
): Promise<boolean> {
  const group = await announceableGroup(tx, suggestion.groupId);
  if (!group?.enc || !group.onSuggestion) return false;
  const by = suggestion.suggestedBy
    ? await tx.select({ username: schema.users.username }).from(schema.users).where(eq(schema.users.id, suggestion.suggestedBy)).get()
    : undefined;
  const content = `🎮 **${inert(by?.username ?? 'Someone', 32)}** suggested **${inert(suggestion.gameName)}** for ${suggestion.day} in **${inert(group.name, 60)}**.`;
  await tx
    .insert(schema.webhookOutbox)
    .values({
      id: newId(),
      groupId: suggestion.groupId,
      kind: 'suggestion',
      dedupeKey: `suggestion:${suggestion.id}`,
      payload: JSON.stringify(message(content)),
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing();
  return true;
}

/** Discord accepts at most 100 ids in `allowed_mentions.users`. */
const MAX_MENTIONS = 100;
const SNOWFLAKE = /^\d{1,20}$/;

/**
 * Queues one game-night message (winner, reminder, nudge: features/nights renders the content) inside
 * the caller's transaction, when the group has a webhook with night announcements ("winner") on.
 * `mentionDiscordIds` are the only users Discord may ping (`allowed_mentions.users`; `parse: []` so
 * nothing in the text, `@everyone` included, pings anyone else). The unique (group, dedupe key) index
 * makes a second enqueue of the same key do nothing, whichever instance tries.
 */
export async function enqueueNightMessage(
  tx: Tx,
  input: { groupId: string; kind: 'winner' | 'reminder' | 'nudge'; dedupeKey: string; content: string; mentionDiscordIds: string[] },
  now: Date,
): Promise<boolean> {
  const group = await announceableGroup(tx, input.groupId);
  if (!group?.enc || !group.onWinner) return false;
  const users = [...new Set(input.mentionDiscordIds.filter((id) => SNOWFLAKE.test(id)))].slice(0, MAX_MENTIONS);
  const payload: WebhookMessage = { ...message(input.content), allowed_mentions: { parse: [], users } };
  const inserted = await tx
    .insert(schema.webhookOutbox)
    .values({
      id: newId(),
      groupId: input.groupId,
      kind: input.kind,
      dedupeKey: input.dedupeKey,
      payload: JSON.stringify(payload),
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: schema.webhookOutbox.id });
  return inserted.length === 1;
}

/** `maxAttempts`, `baseDelayMs` and `maxDelayMs` (RetryPolicy): a row is given up after maxAttempts attempts. */
export interface WebhookWorkerOptions extends RetryPolicy {
  /** How often the loop looks for due rows. */
  intervalMs: number;
  /** A claimed row is retried after this long if its instance died mid-delivery (at-least-once). */
  leaseMs: number;
  batchSize: number;
  requestTimeoutMs: number;
  /** Delivered and failed rows are deleted after this long. */
  keepMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WebhookWorkerOptions = {
  intervalMs: 2_000,
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 60_000,
  batchSize: 20,
  requestTimeoutMs: 10_000,
  keepMs: 30 * 24 * 3600_000,
};

export interface TickResult {
  delivered: number;
  retrying: number;
  failed: number;
}

type Outcome =
  { kind: 'delivered' } | { kind: 'retry'; error: string; at: number } | { kind: 'failed'; error: string; groupError: string | null };

/**
 * The delivery loop. `start()`/`stop()` follow the server's life; `runOnce(now)` is one deterministic
 * pass (tests call it directly with a chosen instant instead of waiting).
 */
export class WebhookWorker {
  readonly options: WebhookWorkerOptions;
  readonly #loop: IntervalLoop;
  #lastCleanup = 0;

  constructor(
    private readonly services: Services,
    options: Partial<WebhookWorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.#loop = new IntervalLoop('webhook worker', this.options.intervalMs, () => this.runOnce(), services.logger);
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops the loop; the pass in flight finishes (what it could not finish stays due). */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  async runOnce(now: Date = this.services.clock.now()): Promise<TickResult> {
    const result: TickResult = { delivered: 0, retrying: 0, failed: 0 };
    if (now.getTime() - this.#lastCleanup >= 3600_000) {
      this.#lastCleanup = now.getTime();
      await this.cleanup(now);
    }
    const due = await dueOutboxRows(this.services.database, schema.webhookOutbox, now, this.options.batchSize);
    for (const row of due) {
      const outcome = await this.deliver(row, now);
      if (outcome === 'skipped') continue;
      if (outcome.kind === 'delivered') result.delivered += 1;
      else if (outcome.kind === 'retry') result.retrying += 1;
      else result.failed += 1;
    }
    return result;
  }

  private async cleanup(now: Date): Promise<void> {
    await deleteSettledOutboxRows(this.services.database, schema.webhookOutbox, new Date(now.getTime() - this.options.keepMs));
  }

  private async deliver(row: typeof schema.webhookOutbox.$inferSelect, now: Date): Promise<Outcome | 'skipped'> {
    const { database } = this.services;
    // Claim the row: only the instance whose conditional update succeeds sends it.
    if (!(await claimOutboxRow(database, schema.webhookOutbox, row, now, this.options.leaseMs))) return 'skipped';
    const attempts = row.attempts + 1;

    const group = await database.db
      .select({ enc: schema.groups.discordWebhookEnc })
      .from(schema.groups)
      .where(eq(schema.groups.id, row.groupId))
      .get();
    let outcome: Outcome;
    if (!group?.enc) {
      outcome = { kind: 'failed', error: 'The webhook was removed before delivery.', groupError: null };
    } else {
      const url = this.decrypt(group.enc, row.groupId);
      if (url === undefined) {
        const error = 'The webhook URL cannot be decrypted with the current key. Set the webhook URL again.';
        outcome = { kind: 'failed', error, groupError: error };
      } else {
        outcome = await this.post(url, row.payload, attempts, now);
      }
    }
    await this.record(row, attempts, outcome, now);
    return outcome;
  }

  private decrypt(enc: string, groupId: string): string | undefined {
    try {
      return this.services.fieldCipher.decrypt(enc, webhookAad(groupId));
    } catch {
      return undefined;
    }
  }

  private async post(url: string, payload: string, attempts: number, now: Date): Promise<Outcome> {
    // Outages (network, timeout, 5xx, 429) pass by themselves: say so, and never ask for a new URL.
    const retryOrFail = (error: string, waitMs?: number): Outcome => {
      const at = nextAttemptAt(this.options, attempts, now, waitMs);
      return at === undefined
        ? {
            kind: 'failed',
            error,
            groupError: `${error} We tried ${attempts} times and gave up on this announcement; the next one will be sent as usual. Nothing to change here unless this keeps happening.`,
          }
        : { kind: 'retry', error, at };
    };
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'QueueCrew (webhook announcements)' },
        body: payload,
        // Never follow a redirect: the validated Discord URL is the only place the message may go.
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      return retryOrFail(
        timedOut ? 'Discord could not be reached: it did not answer in time.' : 'Discord could not be reached: the connection failed.',
      );
    }
    const detail = await res.text().catch(() => '');
    if (res.ok) return { kind: 'delivered' };
    if (res.status === 429) {
      // Discord's rate limit says when to come back (seconds, possibly fractional).
      let retryAfter: unknown;
      try {
        retryAfter = (JSON.parse(detail || '{}') as { retry_after?: unknown }).retry_after;
      } catch {
        retryAfter = undefined;
      }
      const seconds = Number(retryAfter ?? res.headers.get('retry-after') ?? 5);
      return retryOrFail('Discord asked us to slow down (too many messages at once).', retryAfterMs(this.options, attempts, seconds));
    }
    if (res.status >= 500) return retryOrFail(`Discord had a problem on its side (HTTP ${res.status}).`);
    // 401/404: the webhook was deleted or its token is wrong. Retrying cannot help; only a new URL does.
    if (res.status === 404 || res.status === 401) {
      const what =
        'Discord says this webhook no longer exists (it was deleted in Discord, or its URL is wrong). Create a new webhook in Discord and paste its URL below.';
      return { kind: 'failed', error: what, groupError: what };
    }
    // Other 4xx (e.g. 400): Discord refused this one message; the webhook itself still works.
    const what = `Discord refused this announcement (HTTP ${res.status}). Later announcements are still sent; nothing to change unless this keeps happening.`;
    return { kind: 'failed', error: what, groupError: what };
  }

  private async record(row: typeof schema.webhookOutbox.$inferSelect, attempts: number, outcome: Outcome, now: Date): Promise<void> {
    const { database, logger, metrics } = this.services;
    const log = { outboxId: row.id, groupId: row.groupId, kind: row.kind, attempts };
    await database.write(async (tx) => {
      if (outcome.kind === 'delivered') {
        await tx.update(schema.webhookOutbox).set({ deliveredAt: now, lastError: null }).where(eq(schema.webhookOutbox.id, row.id));
        // Working again: the admin no longer needs to see the last failure.
        await tx
          .update(schema.groups)
          .set({ webhookLastError: null, webhookLastErrorAt: null })
          .where(and(eq(schema.groups.id, row.groupId), isNotNull(schema.groups.webhookLastError)));
        return;
      }
      if (outcome.kind === 'retry') {
        await tx
          .update(schema.webhookOutbox)
          .set({ nextAttemptAt: new Date(outcome.at), lastError: outcome.error })
          .where(eq(schema.webhookOutbox.id, row.id));
        await tx
          .update(schema.groups)
          .set({ webhookLastError: `${outcome.error} QueueCrew retries by itself; there is nothing to do.`, webhookLastErrorAt: now })
          .where(eq(schema.groups.id, row.groupId));
        return;
      }
      await tx.update(schema.webhookOutbox).set({ failedAt: now, lastError: outcome.error }).where(eq(schema.webhookOutbox.id, row.id));
      if (outcome.groupError) {
        await tx
          .update(schema.groups)
          .set({ webhookLastError: outcome.groupError, webhookLastErrorAt: now })
          .where(eq(schema.groups.id, row.groupId));
      }
    });
    metrics.webhookDeliveries.inc({ outcome: outcome.kind });
    if (outcome.kind === 'delivered') logger.info(log, 'discord webhook delivered');
    else if (outcome.kind === 'retry')
      logger.warn({ ...log, error: outcome.error, retryAt: new Date(outcome.at).toISOString() }, 'discord webhook failed; will retry');
    else logger.warn({ ...log, error: outcome.error }, 'discord webhook given up');
  }
}
