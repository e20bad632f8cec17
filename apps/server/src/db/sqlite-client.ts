/**
 * A libSQL `Client` for an embedded file that keeps its prepared statements. `@libsql/client`'s
 * sqlite3 client prepares every statement again on every call, asks libsql for the column list twice
 * and builds each row with one `Object.defineProperty` per value: measured on the bench's hot paths
 * (docs/decisions/095-statement-cache-client.md) that was about a third of the server's CPU per
 * request. This client runs the same SQL on the same libsql engine with the same options (encryption
 * key, busy timeout, intMode 'number'), but prepares each distinct SQL text once per connection and
 * reads its column names once.
 *
 * It owns ONE connection, which is what both of its users need: the single writer (write() already
 * serialises transactions) and the read handle (statements run synchronously on the event loop, and no
 * code opens a read transaction on it; one that did would be refused like @libsql/client's
 * single-connection client refuses it, never silently shared). Errors are LibsqlErrors with the same
 * codes as @libsql/client's (isBusyError, constraintCode rely on them).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'libsql';
import { LibsqlBatchError, LibsqlError } from '@libsql/client';
import type { Client, InArgs, InStatement, InValue, ResultSet, Row, Transaction, TransactionMode, Value } from '@libsql/client';

/** The WAL-index header: one copy of it, at the start of the `-shm` file. */
const WAL_INDEX_HEADER_BYTES = 48;

/** Distinct SQL texts kept per connection. The app has a few hundred; the oldest is dropped beyond this. */
const STATEMENT_CACHE_MAX = 1000;

type SqliteHandle = Database.Database;
type Stmt = Database.Statement;
type SqlArgs = unknown[] | Record<string, unknown>;

interface Cached {
  stmt: Stmt;
  /** null for statements that return no rows (INSERT without RETURNING, BEGIN, PRAGMA x = y…). */
  columns: string[] | null;
  columnTypes: string[];
  /** Builds a row the way @libsql/client does: values by index (not enumerable) and by column name. */
  makeRow: ((values: Value[]) => Row) | null;
}

const VALUES = Symbol('values');

/**
 * One row class per statement: the named columns are own enumerable properties (what drizzle's
 * normalizeRow and JSON.stringify see), the indexes and `length` are prototype getters (what
 * `Array.prototype.slice.call(row)` sees) — the same shape as @libsql/client's rows, at a fraction of
 * the cost of defining each index as a property of each row.
 */
function rowFactory(columns: string[]): (values: Value[]) => Row {
  // The first of two columns with the same name wins, as in @libsql/client.
  const named: Array<[string, number]> = [];
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (seen.has(name)) return;
    seen.add(name);
    named.push([name, i]);
  });
  const proto: Record<PropertyKey, unknown> = {};
  Object.defineProperty(proto, 'length', { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(proto, i, {
      get(this: { [VALUES]: Value[] }) {
        return this[VALUES][i];
      },
    });
  }
  return (values) => {
    const row = Object.create(proto) as Record<PropertyKey, unknown>;
    Object.defineProperty(row, VALUES, { value: values });
    for (const [name, i] of named) row[name] = values[i];
    return row as unknown as Row;
  };
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -9223372036854775808n;
const MAX_INT64 = 9223372036854775807n;

/** The value conversions of @libsql/client's sqlite3 client with intMode 'number'. */
function valueFromSql(value: unknown): Value {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE)
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer as ArrayBuffer;
  return value as Value;
}

function valueToSql(value: InValue): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INT64 || value > MAX_INT64)
      throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

function argsToSql(args: InArgs | undefined): SqlArgs {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(valueToSql);
  const out: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.substring(1) : name;
    out[key] = valueToSql(args[name]!);
  }
  return out;
}

const BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  27: 'SQLITE_NOTICE',
  28: 'SQLITE_WARNING',
};

/** libsql's SqliteError → LibsqlError with the base code, exactly as @libsql/client maps it. */
function mapError(e: unknown): unknown {
  if (e instanceof Database.SqliteError) {
    const raw = (e as { rawCode?: number }).rawCode;
    const code = raw === undefined ? 'SQLITE_UNKNOWN' : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
    return new LibsqlError(e.message, code, e.code, raw, e);
  }
  return e;
}

class Result implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}
  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((r) => Array.prototype.slice.call(r).map((v: Value) => (typeof v === 'bigint' ? `${v}` : v))),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : `${this.lastInsertRowid}`,
    };
  }
}

/** One connection and its statement cache. */
class Connection {
  readonly db: SqliteHandle;
  readonly #cache = new Map<string, Cached>();
  constructor(path: string, options: { encryptionKey?: string; timeout: number }) {
    this.db = new Database(path, options);
  }

  #prepare(sql: string): Cached {
    const hit = this.#cache.get(sql);
    if (hit) return hit;
    const stmt = this.db.prepare(sql);
    stmt.safeIntegers(true);
    let columns: string[] | null = null;
    let columnTypes: string[] = [];
    try {
      stmt.raw(true);
      const defs = stmt.columns();
      columns = defs.map((c) => c.name);
      columnTypes = defs.map((c) => c.type ?? '');
    } catch {
      // raw() throws for a statement that returns no data.
    }
    const cached = { stmt, columns, columnTypes, makeRow: columns ? rowFactory(columns) : null };
    if (this.#cache.size >= STATEMENT_CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(sql, cached);
    return cached;
  }

  execute(stmt: InStatement | string): ResultSet {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    const args = typeof stmt === 'string' ? [] : argsToSql(stmt.args);
    try {
      const { stmt: prepared, columns, columnTypes, makeRow } = this.#prepare(sql);
      if (columns && makeRow) {
        const raw = prepared.all(args) as unknown[][];
        const rows = new Array<Row>(raw.length);
        for (let i = 0; i < raw.length; i++) rows[i] = makeRow(raw[i]!.map(valueFromSql));
        return new Result(columns, columnTypes, rows, 0, undefined);
      }
      const info = prepared.run(args);
      return new Result([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  }

  /** `PRAGMA data_version` of this connection, without building a result set (`changeCount()` without a WAL index). */
  dataVersion(): number {
    this.#dataVersion ??= this.db.prepare('PRAGMA data_version').raw(true);
    const version = Number((this.#dataVersion.get() as unknown[])[0]);
    if (!Number.isSafeInteger(version)) throw new LibsqlError(`PRAGMA data_version answered ${version}`, 'SQLITE_ERROR');
    return version;
  }
  #dataVersion: Stmt | undefined;

  close(): void {
    this.#cache.clear();
    try {
      if (this.db.open) this.db.close();
    } catch {
      // nothing useful to do while tearing down
    }
  }
}

function beginFor(mode: TransactionMode): string {
  if (mode === 'write') return 'BEGIN IMMEDIATE';
  if (mode === 'read') return 'BEGIN TRANSACTION READONLY';
  if (mode === 'deferred') return 'BEGIN DEFERRED';
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}

function normalise(stmt: InStatement | [string, InArgs?]): InStatement {
  return Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] ?? [] } : stmt;
}

function batchError(e: unknown, index: number): unknown {
  if (e instanceof LibsqlBatchError) return e;
  if (e instanceof LibsqlError)
    return new LibsqlBatchError(e.message, index, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined);
  return e;
}

class CachedTransaction implements Transaction {
  #conn: Connection | null;
  constructor(
    conn: Connection,
    private readonly release: () => void,
  ) {
    this.#conn = conn;
  }
  get closed(): boolean {
    const conn = this.#conn;
    return conn === null || !conn.db.open || !conn.db.inTransaction;
  }
  #live(): Connection {
    if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
    return this.#conn!;
  }
  /**
   * Gives the connection back. A connection must never be shared while a transaction is still open on
   * it (a failed COMMIT, e.g. a deferred foreign key, leaves it open): it is rolled back first, as
   * @libsql/client's pool does when a transaction releases its connection.
   */
  #settle(): void {
    const conn = this.#conn;
    if (conn === null) return;
    this.#conn = null;
    try {
      if (conn.db.open && conn.db.inTransaction) conn.db.exec('ROLLBACK');
    } finally {
      this.release();
    }
  }
  async execute(stmt: InStatement | string): Promise<ResultSet> {
    return this.#live().execute(stmt);
  }
  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const out: ResultSet[] = [];
    for (let i = 0; i < stmts.length; i++) {
      try {
        out.push(this.#live().execute(stmts[i]!));
      } catch (e) {
        throw batchError(e, i);
      }
    }
    return out;
  }
  async executeMultiple(sql: string): Promise<void> {
    this.#live().db.exec(sql);
  }
  async rollback(): Promise<void> {
    const conn = this.#conn;
    try {
      if (conn && conn.db.open && conn.db.inTransaction) conn.execute('ROLLBACK');
    } finally {
      this.#settle();
    }
  }
  async commit(): Promise<void> {
    try {
      this.#live().execute('COMMIT');
    } finally {
      this.#settle();
    }
  }
  close(): void {
    const conn = this.#conn;
    try {
      if (conn && conn.db.open && conn.db.inTransaction) conn.execute('ROLLBACK');
    } finally {
      this.#settle();
    }
  }
}

export class CachedSqliteClient implements Client {
  closed = false;
  readonly protocol = 'file';
  #conn: Connection | null = null;
  #inTransaction = false;
  constructor(
    private readonly path: string,
    private readonly options: { encryptionKey?: string; timeout: number },
  ) {
    // Fail fast, as @libsql/client does, if the file cannot be opened with this key.
    this.#connection().execute('SELECT 1 AS checkThatTheDatabaseCanBeOpened');
  }

  #connection(): Connection {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
    this.#conn ??= new Connection(this.path, this.options);
    return this.#conn;
  }

  /** The one connection, unless a transaction holds it: sharing it would run this statement inside that transaction. */
  #free(): Connection {
    const conn = this.#connection();
    if (this.#inTransaction)
      throw new LibsqlError(
        'This client has a single connection, which an open transaction is holding. Commit or roll back the transaction first.',
        'TRANSACTION_ACTIVE',
      );
    return conn;
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    return this.#free().execute(stmt);
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
    const conn = this.#free();
    conn.execute(beginFor(mode));
    try {
      const out: ResultSet[] = [];
      for (let i = 0; i < stmts.length; i++) {
        if (!conn.db.inTransaction) throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
        try {
          out.push(conn.execute(normalise(stmts[i]!)));
        } catch (e) {
          throw batchError(e, i);
        }
      }
      conn.execute('COMMIT');
      return out;
    } finally {
      if (conn.db.open && conn.db.inTransaction) conn.execute('ROLLBACK');
    }
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    const conn = this.#free();
    conn.execute('PRAGMA foreign_keys=off');
    try {
      return await this.batch(stmts, 'deferred');
    } finally {
      conn.execute('PRAGMA foreign_keys=on');
    }
  }

  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    const conn = this.#free();
    conn.execute(beginFor(mode));
    this.#inTransaction = true;
    return new CachedTransaction(conn, () => {
      this.#inTransaction = false;
    });
  }

  async executeMultiple(sql: string): Promise<void> {
    const conn = this.#free();
    try {
      conn.db.exec(sql);
    } catch (e) {
      throw mapError(e);
    } finally {
      if (conn.db.open && conn.db.inTransaction) conn.execute('ROLLBACK');
    }
  }

  async sync(): Promise<never> {
    throw new LibsqlError('sync() is for embedded replicas; this client opens a local file only', 'SYNC_NOT_SUPPORTED');
  }

  /**
   * A number that moves whenever a commit to the file may have happened since the last call, by any
   * connection of any process (this client's own commits included): the read caches ask it before
   * every answer (lib/read-caches.ts). In WAL mode it compares the WAL-index header, the first 48 bytes
   * of the `-shm` file that every commit rewrites (its change counter, frame count and checksums: the
   * documented format, sqlite.org/walformat.html §2.1), with one pread — where `PRAGMA data_version`
   * costs a read transaction's locks (≈ 10 µs per request in the server, measured). A commit is
   * complete only once its header is written, so a commit that ended before this call is always seen;
   * a header read half-written only reads as a change. Without a WAL index (another journal mode, or
   * the file cannot be opened) it counts changes of `PRAGMA data_version` instead.
   */
  changeCount(): number {
    const conn = this.#connection();
    if (this.#walIndex === undefined) this.#walIndex = this.#openWalIndex(conn);
    if (this.#walIndex === null) {
      const version = conn.dataVersion();
      if (conn !== this.#countedConnection || version !== this.#lastVersion) this.#changes++;
      this.#countedConnection = conn;
      this.#lastVersion = version;
      return this.#changes;
    }
    const read = readSync(this.#walIndex, this.#header, 0, WAL_INDEX_HEADER_BYTES, 0);
    if (read !== WAL_INDEX_HEADER_BYTES || !this.#header.equals(this.#lastHeader)) {
      this.#header.copy(this.#lastHeader);
      this.#changes++;
    }
    return this.#changes;
  }
  #walIndex: number | null | undefined;
  readonly #header = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  readonly #lastHeader = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  #changes = 0;
  #countedConnection: Connection | null = null;
  #lastVersion = -1;

  /** The `-shm` file, read-only, when the database is in WAL mode; null otherwise. */
  #openWalIndex(conn: Connection): number | null {
    try {
      const mode = conn.execute('PRAGMA journal_mode').rows[0]?.[0];
      if (String(mode).toLowerCase() !== 'wal') return null;
      return openSync(`${this.path}-shm`, 'r');
    } catch {
      return null;
    }
  }

  /** Drops the connection (and its statements); the next call opens a fresh one. */
  reconnect(): void {
    this.#conn?.close();
    this.#conn = null;
    this.#inTransaction = false;
    this.closed = false;
  }

  close(): void {
    this.closed = true;
    if (typeof this.#walIndex === 'number') closeSync(this.#walIndex);
    this.#walIndex = undefined;
    this.#conn?.close();
    this.#conn = null;
    this.#inTransaction = false;
  }
}
