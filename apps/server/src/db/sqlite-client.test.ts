/**
 * The statement-caching client must behave like @libsql/client's sqlite3 client for everything the
 * app relies on (decision 095): row shape, value conversions, error codes, transactions, and fresh
 * data on a reused statement. Both run on the same encrypted file here and are compared directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlError, type Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedSqliteClient } from './sqlite-client.ts';

const KEY = 'sqlite-client-test-key-0123456789abcdefghijklmnop';

describe('CachedSqliteClient', () => {
  let dir: string;
  let reference: Client;
  let cached: CachedSqliteClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-sqlite-client-'));
    const path = join(dir, 'db.sqlite');
    reference = createClient({ url: `file:${path}`, encryptionKey: KEY, intMode: 'number' });
    await reference.execute('PRAGMA journal_mode = WAL');
    await reference.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data BLOB, n INTEGER)');
    cached = new CachedSqliteClient(path, { encryptionKey: KEY, timeout: 5000 });
  });

  afterEach(() => {
    cached.close();
    reference.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the same rows, columns and values as @libsql/client', async () => {
    await reference.execute({ sql: 'INSERT INTO t (name, data, n) VALUES (?, ?, ?)', args: ['a', new Uint8Array([1, 2]), 7] });
    await reference.execute({ sql: 'INSERT INTO t (name, data, n) VALUES (?, ?, ?)', args: ['b', null, 2 ** 40] });
    const sql = 'SELECT id, name, data, n, name AS name, 1 AS one FROM t ORDER BY id';
    const [want, got] = [await reference.execute(sql), await cached.execute(sql)];
    expect(got.columns).toEqual(want.columns);
    expect(got.rows.length).toBe(2);
    for (let i = 0; i < 2; i++) {
      const [w, g] = [want.rows[i]!, got.rows[i]!];
      // What drizzle reads: indexes via Array.prototype.slice, names via Object.keys.
      expect(Array.prototype.slice.call(g)).toEqual(Array.prototype.slice.call(w));
      expect(Object.keys(g)).toEqual(Object.keys(w));
      expect(JSON.stringify(g)).toBe(JSON.stringify(w));
      expect(g.length).toBe(w.length);
    }
    expect(got.rows[1]!['n']).toBe(2 ** 40);
  });

  it('binds named and positional arguments and converts booleans and dates', async () => {
    const when = new Date('2026-01-02T03:04:05Z');
    await cached.execute({ sql: 'INSERT INTO t (name, n) VALUES (:name, :n)', args: { name: 'x', n: when } });
    await cached.execute({ sql: 'INSERT INTO t (name, n) VALUES (?, ?)', args: ['y', true] });
    const rows = (await reference.execute('SELECT name, n FROM t ORDER BY name')).rows;
    expect(rows.map((r) => [r['name'], r['n']])).toEqual([
      ['x', when.valueOf()],
      ['y', 1],
    ]);
  });

  it('a reused statement sees rows written after it was first run, on another connection too', async () => {
    const count = async () => (await cached.execute('SELECT count(*) AS c FROM t')).rows[0]!['c'];
    expect(await count()).toBe(0);
    await reference.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['late'] });
    expect(await count()).toBe(1);
    await cached.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['mine'] });
    expect(await count()).toBe(2);
  });

  it('maps constraint failures to LibsqlError with the codes @libsql/client gives', async () => {
    await reference.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['dup'] });
    const insert = { sql: 'INSERT INTO t (name) VALUES (?)', args: ['dup'] };
    const want = await reference.execute(insert).catch((e: unknown) => e);
    const got = await cached.execute(insert).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(LibsqlError);
    expect(want).toBeInstanceOf(LibsqlError);
    expect((got as LibsqlError).code).toBe((want as LibsqlError).code);
    expect((got as LibsqlError).extendedCode).toBe((want as LibsqlError).extendedCode);
    expect((got as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
  });

  it('commits and rolls back transactions, and refuses other calls while one holds the connection', async () => {
    const tx = await cached.transaction('write');
    await tx.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['kept'] });
    await expect(cached.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_ACTIVE' });
    await tx.commit();
    expect(tx.closed).toBe(true);

    const rolledBack = await cached.transaction('write');
    await rolledBack.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['dropped'] });
    await rolledBack.rollback();
    const names = (await reference.execute('SELECT name FROM t ORDER BY name')).rows.map((r) => r['name']);
    expect(names).toEqual(['kept']);
    await expect(rolledBack.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  });

  it('reconnect() drops an open transaction and starts on a fresh connection; close() refuses further calls', async () => {
    const tx = await cached.transaction('write');
    await tx.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['lost'] });
    cached.reconnect();
    expect((await cached.execute('SELECT count(*) AS c FROM t')).rows[0]!['c']).toBe(0);
    cached.close();
    await expect(cached.execute('SELECT 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});
