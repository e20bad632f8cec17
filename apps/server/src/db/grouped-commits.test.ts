/**
 * Grouped commits (db/client.ts WriteQueue, decision 118): writes queued together share one
 * BEGIN IMMEDIATE … COMMIT, each in its own savepoint. Proven against real SQLite, in both database
 * modes (the embedded file's statement-caching writer, and @libsql/client, which a `libsql://` URL
 * uses, here over the same file through a `file:` URL):
 * - a write that throws (AppError, duplicate key) is rolled back alone; the others commit;
 * - every promise settles after the COMMIT: a resolved write is visible to another connection;
 * - a COMMIT that fails for real (a deferred foreign key checked at COMMIT) fails every write of the
 *   group, and the writer is usable right after;
 * - a second connection holding the write lock fails the whole group with DatabaseBusyError.
 * Writes started in the same event-loop turn always form one group (the writer starts on setImmediate).
 */
import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../lib/errors.ts';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import {
  constraintCode,
  errorKind,
  libsqlTransactionOf,
  MAX_WRITE_GROUP,
  preparedFor,
  schema,
  txExecute,
  WriteGroupError,
  WriteQueue,
  type Database,
  type Tx,
} from './client.ts';
import { DatabaseBusyError } from './errors.ts';

type Mode = 'statement-caching writer' | '@libsql/client over a file: URL';

describe.each<Mode>(['statement-caching writer', '@libsql/client over a file: URL'])('grouped commits (%s)', (mode) => {
  let t: TestApp;
  let database: Database;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    database = t.services.database;
    if (mode.startsWith('@libsql')) {
      // The same queue openDatabase() builds, over @libsql/client's own pool (as for a libsql:// URL).
      const db = drizzle(database.client, { schema });
      const queue = new WriteQueue(db, {
        onJobError: (e) => database.onError?.(errorKind(e)),
        // As openDatabase() does after a busy write: a fresh connection for the next one (decision 042).
        onBusy: async () => database.client.reconnect(),
        onGroupFailed: () => {},
      });
      database = { ...database, db, write: (fn) => queue.push(fn), pendingWrites: () => queue.pending };
    }
    database.onError = (kind) => errors.push(kind);
    await database.client.executeMultiple(`
      CREATE TABLE gc_rows (id TEXT PRIMARY KEY);
      CREATE TABLE gc_parents (id TEXT PRIMARY KEY);
      CREATE TABLE gc_children (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES gc_parents(id) DEFERRABLE INITIALLY DEFERRED);`);
  });
  afterAll(async () => {
    await t.close();
  });

  const insertRow = (tx: Tx, id: string) => tx.run(sql`INSERT INTO gc_rows (id) VALUES (${id})`);
  async function storedRows(prefix: string): Promise<string[]> {
    // Another connection than the writer's: what is committed, not what the writer sees.
    const rows = await database.client.execute({ sql: 'SELECT id FROM gc_rows WHERE id LIKE ? ORDER BY id', args: [`${prefix}%`] });
    return rows.rows.map((r) => String(r['id']));
  }

  it('rolls back only the write that throws an AppError; the others commit and resolve', async () => {
    const results = await Promise.allSettled(
      ['a1', 'a2', 'a3', 'a4'].map((id) =>
        database.write(async (tx) => {
          await insertRow(tx, id);
          if (id === 'a2') throw new AppError(409, 'refused', 'This one is refused after its insert.');
          return id;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'AppError', code: 'refused' });
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual(['a1', 'a3', 'a4']);
    expect(await storedRows('a')).toEqual(['a1', 'a3', 'a4']);
  });

  it('rolls back only the write that hits a constraint; the others commit, one metric for it', async () => {
    await database.write((tx) => insertRow(tx, 'b0'));
    errors.length = 0;
    const results = await Promise.allSettled([
      database.write((tx) => insertRow(tx, 'b1')),
      database.write(async (tx) => {
        await insertRow(tx, 'b2');
        await insertRow(tx, 'b0'); // duplicate primary key: this write's own error
      }),
      database.write((tx) => insertRow(tx, 'b3')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(constraintCode((results[1] as PromiseRejectedResult).reason)).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(await storedRows('b')).toEqual(['b0', 'b1', 'b3']);
    expect(errors).toEqual(['constraint']);
  });

  it('settles each write only after the COMMIT: another connection sees it when the promise resolves', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const seen = await Promise.all(
      ids.map((id) => database.write((tx) => insertRow(tx, id)).then(async () => (await storedRows(id)).includes(id))),
    );
    expect(seen).toEqual(ids.map(() => true));
  });

  it('fails every write of the group when its COMMIT fails (deferred foreign key), and the next write commits', async () => {
    errors.length = 0;
    const results = await Promise.allSettled([
      database.write((tx) => insertRow(tx, 'd1')),
      // Valid until COMMIT: the deferred foreign key is checked only then, for the whole transaction.
      database.write((tx) => tx.run(sql`INSERT INTO gc_children (id, parent_id) VALUES ('orphan', 'no-such-parent')`)),
      database.write(async (tx) => {
        await insertRow(tx, 'd3');
        throw new AppError(409, 'refused', 'Refused on its own.');
      }),
      database.write((tx) => insertRow(tx, 'd4')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of results) {
      const reason = (r as PromiseRejectedResult).reason as WriteGroupError;
      expect(reason).toBeInstanceOf(WriteGroupError);
      expect(constraintCode(reason.groupFailure)).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
      // Not the caller's own error: nothing maps it as a constraint of its own.
      expect(constraintCode(reason)).toBeUndefined();
    }
    expect(await storedRows('d')).toEqual([]);
    expect((await database.client.execute('SELECT count(*) AS n FROM gc_children')).rows[0]).toMatchObject({ n: 0 });
    // The three writes that had not failed on their own count as failed writes.
    expect(errors).toEqual(['constraint', 'constraint', 'constraint']);

    // The writer is not left inside the failed transaction: the next writes commit.
    await Promise.all([database.write((tx) => insertRow(tx, 'd5')), database.write((tx) => insertRow(tx, 'd6'))]);
    expect(await storedRows('d')).toEqual(['d5', 'd6']);
    // A group of one whose COMMIT fails gets the database's own error (the caller maps it).
    const alone = database.write((tx) => tx.run(sql`INSERT INTO gc_children (id, parent_id) VALUES ('orphan', 'no-such-parent')`));
    expect(constraintCode(await alone.catch((e: unknown) => e))).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    await database.write((tx) => insertRow(tx, 'd7'));
    expect(await storedRows('d7')).toEqual(['d7']);
  });

  it(`runs more than ${MAX_WRITE_GROUP} queued writes in groups of at most ${MAX_WRITE_GROUP}, in order`, async () => {
    const order: number[] = [];
    const n = MAX_WRITE_GROUP * 2 + 5;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The first write holds its group (itself and the next MAX_WRITE_GROUP - 1) until every other
    // write is queued.
    const first = database.write(async () => {
      await gate;
    });
    const rest = Array.from({ length: n }, (_, i) =>
      database.write(async (tx) => {
        order.push(i);
        await insertRow(tx, `e${String(i).padStart(3, '0')}`);
        // Inside a group every write sees the ones before it (same transaction).
        const before = await tx.all<{ n: number }>(sql`SELECT count(*) AS n FROM gc_rows WHERE id LIKE 'e%'`);
        return before[0]!.n;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(database.pendingWrites()).toBe(n + 1 - MAX_WRITE_GROUP);
    release();
    await first;
    const counts = await Promise.all(rest);
    expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(counts).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect((await storedRows('e')).length).toBe(n);
    expect(database.pendingWrites()).toBe(0);
  });

  it('fails the whole group with DatabaseBusyError while a second connection holds the write lock', async () => {
    const other = createClient({ url: t.services.config.database.url, encryptionKey: t.services.config.database.encryptionKey });
    try {
      const held = await other.transaction('write');
      errors.length = 0;
      const results = await Promise.allSettled([1, 2, 3].map((i) => database.write((tx) => insertRow(tx, `f${i}`))));
      await held.rollback();
      for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseBusyError);
      expect(errors).toEqual(['busy', 'busy', 'busy']);
      expect(await storedRows('f')).toEqual([]);
      // The writer recovers: the next group commits and is visible to another connection.
      await Promise.all([database.write((tx) => insertRow(tx, 'f4')), database.write((tx) => insertRow(tx, 'f5'))]);
      expect(await storedRows('f')).toEqual(['f4', 'f5']);
    } finally {
      other.close();
    }
  }, 30_000);

  it('runs statements prepared once, and plain SQL text, on each transaction of its own (uncommitted rows seen, rolled back with it)', async () => {
    const count = preparedFor((db) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(sql`gc_rows`)
        .where(sql`id LIKE ${sql.placeholder('prefix')}`)
        .prepare(),
    );
    const seen = await Promise.all(
      [1, 2, 3].map((i) =>
        database.write(async (tx) => {
          await txExecute(tx, 'INSERT INTO gc_rows (id) VALUES (?)', [`g${i}`]);
          return (await count(tx).get({ prefix: 'g%' }))!.n;
        }),
      ),
    );
    // One group: each write sees the rows of the writes before it in the same transaction.
    expect(seen).toEqual([1, 2, 3]);
    // A later transaction runs the same prepared statement on its own transaction; a rolled-back write leaves nothing.
    await expect(
      database.write(async (tx) => {
        await txExecute(tx, 'INSERT INTO gc_rows (id) VALUES (?)', ['g4']);
        expect((await count(tx).get({ prefix: 'g%' }))!.n).toBe(4);
        throw new AppError(409, 'conflict', 'rolled back on purpose');
      }),
    ).rejects.toBeInstanceOf(AppError);
    expect(await storedRows('g')).toEqual(['g1', 'g2', 'g3']);
    expect((await count(database.db).get({ prefix: 'g%' }))!.n).toBe(3);
    expect(libsqlTransactionOf(database.db)).toBeUndefined();
    await expect(txExecute(database.db as unknown as Tx, 'SELECT 1')).rejects.toThrow(/write transaction/);
  });
});
