/**
 * What every outbox table shares (the Discord webhook outbox and the push outbox): a row is claimed by
 * a conditional update before it is sent, so only one instance sends it, and settled rows (delivered or
 * given up) are deleted after a while, and a failed attempt is retried with the same backoff. The senders
 * differ; these steps do not.
 */
import { and, asc, eq, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import { schema, type Database } from '../db/client.ts';

type OutboxTable = typeof schema.webhookOutbox | typeof schema.pushOutbox;

/** Up to `limit` rows due at `now` (not delivered, not given up, next attempt reached), the longest-waiting first. */
export async function dueOutboxRows<T extends OutboxTable>(
  database: Database,
  table: T,
  now: Date,
  limit: number,
): Promise<T['$inferSelect'][]> {
  const t: OutboxTable = table;
  return (await database.db
    .select()
    .from(t)
    .where(and(isNull(t.deliveredAt), isNull(t.failedAt), lte(t.nextAttemptAt, now)))
    .orderBy(asc(t.nextAttemptAt))
    .limit(limit)) as T['$inferSelect'][];
}

/**
 * Claims `row` for one attempt: bumps `attempts` and leases it until `now + leaseMs` (a crash mid-send
 * leaves it due again then). False when another instance claimed it first or it is settled.
 */
export async function claimOutboxRow(
  database: Database,
  table: OutboxTable,
  row: { id: string; attempts: number },
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const claimed = await database.write((tx) =>
    tx
      .update(table)
      .set({ attempts: row.attempts + 1, nextAttemptAt: new Date(now.getTime() + leaseMs) })
      .where(and(eq(table.id, row.id), eq(table.attempts, row.attempts), isNull(table.deliveredAt), isNull(table.failedAt)))
      .returning({ id: table.id }),
  );
  return claimed.length > 0;
}

/** Deletes rows delivered or given up before `cutoff`. */
export async function deleteSettledOutboxRows(database: Database, table: OutboxTable, cutoff: Date): Promise<void> {
  await database.write((tx) =>
    tx
      .delete(table)
      .where(
        or(and(isNotNull(table.deliveredAt), lt(table.deliveredAt, cutoff)), and(isNotNull(table.failedAt), lt(table.failedAt, cutoff))),
      ),
  );
}

/** How a worker retries: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`, `maxAttempts` at most. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait after attempt number `attempts` (1 = the first) failed: baseDelayMs · 2^(attempts − 1), capped. */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
}

/** The wait the other side asked for (a rate limit's retry-after, in seconds), capped; the backoff when it named none. */
export function retryAfterMs(policy: RetryPolicy, attempts: number, seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, policy.maxDelayMs) : backoffMs(policy, attempts);
}

/** When to try again after attempt `attempts` failed (epoch ms, `waitMs` from now), or undefined once it was the last. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, now: Date, waitMs = backoffMs(policy, attempts)): number | undefined {
  return attempts >= policy.maxAttempts ? undefined : now.getTime() + waitMs;
}
