/**
 * What every outbox table shares (the Discord webhook outbox and the push outbox): a row is claimed by
 * a conditional update before it is sent, so only one instance sends it, and settled rows (delivered or
 * given up) are deleted after a while. The senders differ; these two steps do not.
 */
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { schema, type Database } from '../db/client.ts';

type OutboxTable = typeof schema.webhookOutbox | typeof schema.pushOutbox;

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
