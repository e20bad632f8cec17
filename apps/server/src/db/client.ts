/**
 * libSQL client + drizzle. One writer: every write transaction goes through `write()`, which
 * serialises writes inside this process, opens them with BEGIN IMMEDIATE (so a second process waits on
 * the busy timeout instead of failing half-way) and turns a busy/locked error into a 503 that is logged,
 * never swallowed. See docs/decisions/002-libsql-one-writer.md for the hazard this guards against.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, LibsqlError, type Client, type InValue, type ResultSet, type Transaction } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Logger } from 'pino';
import type { Config } from '../env.ts';
import { DatabaseBusyError, isApplicationError, WriteGroupError } from './errors.ts';

export { WriteGroupError };
import * as schema from './schema/index.ts';
import { CachedSqliteClient } from './sqlite-client.ts';

export { schema };

const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../drizzle');
const BUSY_TIMEOUT_MS = 5000;

function makeDrizzle(client: Client) {
  return drizzle(client, { schema });
}
export type Db = ReturnType<typeof makeDrizzle>;
/** The handle a write transaction receives. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** What the read handle and a write transaction have in common: enough to build and run a query. */
export type Queryable = BaseSQLiteDatabase<'async', ResultSet, typeof schema>;

export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

/** At most this many queued writes share one transaction. */
export const MAX_WRITE_GROUP = 64;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface WriteJob {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WriteQueueHooks {
  /** A write failed with a database error (not an AppError): the metrics hook. */
  onJobError: (e: unknown) => void;
  /** A write or a group failed with SQLITE_BUSY: log and reconnect before the writes are answered. */
  onBusy: (e: unknown) => Promise<void>;
  /** A group of several writes failed as a whole. */
  onGroupFailed: (e: unknown, jobs: number) => void;
  /** The group's transaction settled (committed or not), before any of its promises is settled. */
  afterTransaction?: () => void;
}

/**
 * The single writer of this process, with grouped commits (docs/decisions/118-grouped-commits.md).
 * Writes run one at a time, in the order they were asked for. The writes queued when the writer
 * becomes free (up to MAX_WRITE_GROUP) share ONE `BEGIN IMMEDIATE … COMMIT`; each runs in its own
 * SAVEPOINT, so one that throws (an AppError, a duplicate key) is rolled back alone and only its
 * promise is rejected. No promise is settled before the COMMIT: a resolved write is a committed write,
 * and when the transaction fails as a whole (BEGIN, COMMIT, busy, or an error after which SQLite has
 * rolled the transaction back) every write in the group is rejected. A group of one runs without a
 * savepoint, exactly like a plain transaction.
 *
 * The first write waits for the end of the current event-loop turn (setImmediate) before it starts,
 * so the requests that arrived together are grouped even though the embedded client runs every
 * statement synchronously.
 */
export class WriteQueue {
  readonly #queue: WriteJob[] = [];
  #running = false;
  constructor(
    private readonly db: Db,
    private readonly hooks: WriteQueueHooks,
  ) {}

  /** Writes waiting for the writer (not counting the group that is running). */
  get pending(): number {
    return this.#queue.length;
  }

  push<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#running) return;
      this.#running = true;
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#run(this.#queue.splice(0, MAX_WRITE_GROUP));
    } finally {
      this.#running = false;
    }
  }

  /** Runs one group and settles every promise in it; never throws. */
  async #run(group: WriteJob[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction(
        async (tx) => {
          if (group.length === 1) outcomes.push({ ok: true, value: await group[0]!.fn(tx) });
          else for (const job of group) outcomes.push(await this.#inSavepoint(tx, job));
        },
        { behavior: 'immediate' },
      );
    } catch (e) {
      this.hooks.afterTransaction?.();
      await this.#fail(group, outcomes, e);
      return;
    }
    this.hooks.afterTransaction?.();
    // Committed. Every write is answered now, in order.
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** One write of a group inside its savepoint: its own error is its outcome, the transaction's is thrown. */
  async #inSavepoint(tx: Tx, job: WriteJob): Promise<Outcome> {
    await txExecute(tx, 'SAVEPOINT qc_write');
    let value: unknown;
    try {
      value = await job.fn(tx);
    } catch (error) {
      // Busy is the connection's problem, not this write's: the whole group fails and reconnects.
      if (isBusyError(error)) throw error;
      // Throws (TRANSACTION_CLOSED, no such savepoint) when SQLite rolled the transaction back itself.
      await txExecute(tx, 'ROLLBACK TO qc_write');
      await txExecute(tx, 'RELEASE qc_write');
      if (!isApplicationError(error)) this.hooks.onJobError(error);
      return { ok: false, error };
    }
    await txExecute(tx, 'RELEASE qc_write');
    return { ok: true, value };
  }

  async #fail(group: WriteJob[], outcomes: Outcome[], e: unknown): Promise<void> {
    const single = group.length === 1;
    // A single write's own error is its answer, as with a plain transaction; in a group every write
    // that has not failed on its own counts as a failed write now.
    if (!(single && isApplicationError(e))) {
      for (let i = 0; i < group.length; i++) if (outcomes[i]?.ok !== false) this.hooks.onJobError(e);
    }
    if (isBusyError(e)) {
      await this.hooks.onBusy(e);
      for (const job of group) job.reject(new DatabaseBusyError());
      return;
    }
    if (single) {
      group[0]!.reject(e);
      return;
    }
    this.hooks.onGroupFailed(e, group.length);
    for (const job of group) job.reject(new WriteGroupError(e));
  }
}

/** The metrics label of a failed write's database error. */
export function errorKind(e: unknown): 'busy' | 'constraint' | 'other' {
  return isBusyError(e) ? 'busy' : constraintCode(e) ? 'constraint' : 'other';
}

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);

export function isBusyError(e: unknown): boolean {
  for (let cur: unknown = e; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof LibsqlError && (BUSY_CODES.has(cur.code) || /database is locked|SQLITE_BUSY/i.test(cur.message))) return true;
  }
  return false;
}

/** The SQLite error code of a constraint failure (e.g. SQLITE_CONSTRAINT_UNIQUE), looking through causes. */
export function constraintCode(e: unknown): string | undefined {
  for (let cur: unknown = e; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof LibsqlError && cur.code.startsWith('SQLITE_CONSTRAINT')) {
      const ext = (cur as LibsqlError & { extendedCode?: string }).extendedCode;
      return ext ?? cur.code;
    }
  }
  return undefined;
}

/**
 * The libSQL transaction a drizzle write transaction runs on (drizzle keeps it as `session.tx`), or
 * undefined for the read handle. drizzle-orm is pinned to an exact version; db/grouped-commits.test.ts proves
 * this still finds the transaction and that statements run through it see its uncommitted writes.
 */
export function libsqlTransactionOf(db: Queryable | Tx): Transaction | undefined {
  const inner = (db as unknown as { session?: { tx?: Transaction } }).session?.tx;
  return inner && typeof inner.execute === 'function' ? inner : undefined;
}

/**
 * One statement of plain SQL text with positional arguments, run in the write transaction `tx` past
 * drizzle's query building (which on the vote path cost more than running the statement). The
 * embedded client keeps each distinct text prepared (db/sqlite-client.ts).
 */
export async function txExecute(tx: Tx, sqlText: string, args: InValue[] = []): Promise<ResultSet> {
  // A write on the read handle would commit on its own: refuse it rather than run it there.
  if (!libsqlTransactionOf(tx)) throw new TypeError('txExecute needs a write transaction');
  return executeText(tx, sqlText, args);
}

/**
 * Plain SQL text with positional arguments on the read handle or inside a write transaction, past
 * drizzle's query building: for hot queries whose text is fixed (the statement client keeps it prepared).
 */
export async function executeText(db: Queryable | Tx, sqlText: string, args: InValue[] = []): Promise<ResultSet> {
  const inner = libsqlTransactionOf(db);
  if (inner) return inner.execute({ sql: sqlText, args });
  return (db as Db).$client.execute({ sql: sqlText, args });
}

/**
 * A drizzle prepared statement built once: hot-path queries (session lookup, membership check,
 * suggestion, group, night, voters) skip rebuilding their SQL on every request — drizzle's query
 * building was ≈ 18 % of a vote's CPU (docs/operations.md, Performance). Use `sql.placeholder('name')`
 * for values. On the read handle it is built once per handle; in a write transaction it is built once
 * for all transactions and each call runs it on that call's own libSQL transaction (a prepared query
 * runs on its `tx` when it has one: the per-transaction copy only sets that field).
 */
export function preparedFor<T extends object>(build: (db: Queryable) => T): (db: Queryable) => T {
  const cache = new WeakMap<Queryable, T>();
  let forWrites: T | undefined;
  return (db) => {
    const inner = libsqlTransactionOf(db);
    if (inner) {
      forWrites ??= build(db);
      return (forWrites as { tx?: Transaction }).tx === inner ? forWrites : (Object.create(forWrites, { tx: { value: inner } }) as T);
    }
    let statement = cache.get(db);
    if (!statement) {
      statement = build(db);
      cache.set(db, statement);
    }
    return statement;
  };
}

export interface Database {
  db: Db;
  client: Client;
  /**
   * Runs `fn` in a BEGIN IMMEDIATE transaction, one at a time in this process; concurrent writes share
   * one transaction, each in its own savepoint, and each promise settles only after the COMMIT.
   */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Writes waiting for the writer (not counting the group that is running). */
  pendingWrites(): number;
  /** `SELECT 1` for readiness. */
  ping(): Promise<boolean>;
  close(): void;
  /** The local file path, when the database is an embedded file. */
  filePath: string | undefined;
  /** Called for every failed write transaction that is a database error (not an AppError): metrics hook. */
  onError?: (kind: 'busy' | 'constraint' | 'other') => void;
  /**
   * Called synchronously right after every write transaction settles (committed or not), before the
   * caller's code runs again: the read caches recheck the database before their next answer.
   */
  onCommit?: () => void;
}

export function localPath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  return url.replace(/^file:(\/\/)?/, '');
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const { url, authToken, encryptionKey } = config.database;
  const filePath = localPath(url);
  if (filePath) mkdirSync(dirname(resolve(filePath)), { recursive: true, mode: 0o700 });

  let client: Client;
  try {
    client = createClient({
      url,
      authToken,
      // Encryption at rest applies to embedded files; a libsql:// server encrypts on its side.
      encryptionKey: filePath ? encryptionKey : undefined,
      timeout: BUSY_TIMEOUT_MS,
      intMode: 'number',
    });
    if (filePath) {
      await client.execute('PRAGMA journal_mode = WAL');
      await client.execute('PRAGMA foreign_keys = ON');
    }
    await client.execute('SELECT count(*) FROM sqlite_master');
  } catch (e) {
    if (e instanceof LibsqlError && e.code === 'SQLITE_NOTADB') {
      throw new DatabaseStartError(
        `Cannot open the database at ${filePath ?? url}: DATABASE_ENCRYPTION_KEY is wrong, or the file is not a QueueCrew database.`,
      );
    }
    throw new DatabaseStartError(`Cannot open the database at ${filePath ?? url}: ${(e as Error).message}`);
  }

  try {
    await migrate(makeDrizzle(client), { migrationsFolder: MIGRATIONS_DIR });
  } catch (e) {
    throw new DatabaseStartError(`Database migration failed: ${(e as Error).message}`);
  }
  // The audit-log DELETE trigger reads the retention period from here.
  await client.execute({
    sql: `INSERT INTO app_settings (key, value, updated_at) VALUES ('audit_retention_days', ?, ?)
          ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    args: [String(config.retentionDays), Date.now()],
  });

  // The one writer connection (ARCHITECTURE.md): a separate single-connection client that only
  // write() uses, so its per-connection settings stick. synchronous=NORMAL in WAL mode skips the fsync
  // on every commit — a killed process loses nothing that was acknowledged, a power cut can lose the
  // last commits (docs/decisions/043-single-writer-connection.md; DATABASE_SYNCHRONOUS=full to fsync).
  // Reads and the writer run on clients that keep their prepared statements (db/sqlite-client.ts,
  // docs/decisions/095-statement-cache-client.md); `client` stays for migrations, ping and callers
  // that want @libsql/client itself.
  const reader: Client = filePath ? new CachedSqliteClient(filePath, { encryptionKey, timeout: BUSY_TIMEOUT_MS }) : client;
  const db = makeDrizzle(reader);
  const writer: Client = filePath ? new CachedSqliteClient(filePath, { encryptionKey, timeout: BUSY_TIMEOUT_MS }) : client;
  const writerDb = filePath ? makeDrizzle(writer) : db;
  const configureWriter = async () => {
    if (filePath) await writer.execute(`PRAGMA synchronous = ${config.database.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  };
  await configureWriter();

  const writeQueue = new WriteQueue(writerDb, {
    onJobError: (e) => database.onError?.(errorKind(e)),
    onBusy: async (e) => {
      logger.error({ err: e }, 'database busy: write refused');
      // The hazard: a connection whose BEGIN IMMEDIATE failed with SQLITE_BUSY goes back to the
      // pool in a broken state — later COMMITs fail ("SQL statements in progress") and autocommit
      // writes on it are never committed (lost silently). Drop every pooled connection so the
      // next write starts on a fresh one (proven in features/ops/observability.test.ts).
      try {
        // Typed as void by @libsql/core, async in the sqlite3 client: await covers both.
        await writer.reconnect();
        await configureWriter();
      } catch (err) {
        logger.error({ err }, 'database reconnect after busy failed');
      }
    },
    onGroupFailed: (e, jobs) => logger.error({ err: e, jobs }, 'grouped write failed: every write in it was refused'),
    // The read caches recheck the database before their next answer (lib/read-caches.ts).
    afterTransaction: () => database.onCommit?.(),
  });
  const database: Database = {
    db,
    client,
    filePath,
    write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      return writeQueue.push(fn);
    },
    pendingWrites: () => writeQueue.pending,
    async ping() {
      try {
        await client.execute('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (writer !== client) writer.close();
      if (reader !== client) reader.close();
      client.close();
    },
  };
  return database;
}
