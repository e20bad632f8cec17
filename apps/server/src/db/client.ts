/**
 * libSQL client + drizzle. One writer: every write transaction goes through `write()`, which
 * serialises writes inside this process, opens them with BEGIN IMMEDIATE (so a second process waits on
 * the busy timeout instead of failing half-way) and turns a busy/locked error into a 503 that is logged,
 * never swallowed. See docs/decisions/002-libsql-one-writer.md for the hazard this guards against.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, LibsqlError, type Client, type ResultSet } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Logger } from 'pino';
import type { Config } from '../env.ts';
import { DatabaseBusyError, isApplicationError } from './errors.ts';
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

/** A tiny FIFO mutex: the single writer of this process. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
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
 * A drizzle prepared statement built once per database handle: hot-path queries (session lookup,
 * membership check, suggestion, group, voters) skip rebuilding their SQL on every request — drizzle's
 * query building was ≈ 18 % of a vote's CPU (docs/operations.md, Performance). Use
 * `sql.placeholder('name')` for values. Called with a write transaction, it is built once for that
 * transaction (and collected with it), which costs what building the query inline costs.
 */
export function preparedFor<T>(build: (db: Queryable) => T): (db: Queryable) => T {
  const cache = new WeakMap<Queryable, T>();
  return (db) => {
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
  /** Runs `fn` in a BEGIN IMMEDIATE transaction, one at a time in this process. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
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

  const mutex = new Mutex();
  const database: Database = {
    db,
    client,
    filePath,
    write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        try {
          const result = await writerDb.transaction(fn, { behavior: 'immediate' });
          database.onCommit?.();
          return result;
        } catch (e) {
          database.onCommit?.();
          if (!isApplicationError(e)) database.onError?.(isBusyError(e) ? 'busy' : constraintCode(e) ? 'constraint' : 'other');
          if (isBusyError(e)) {
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
            throw new DatabaseBusyError();
          }
          throw e;
        }
      });
    },
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
