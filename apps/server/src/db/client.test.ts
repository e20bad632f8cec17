import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../env.ts';
import { createLogger } from '../lib/logger.ts';
import { createTestApp, testEnv, type TestApp } from '../test/create-test-app.ts';
import { DatabaseStartError, openDatabase } from './client.ts';

const silent = createLogger('silent');
const opened: TestApp[] = [];
afterAll(async () => {
  for (const t of opened) await t.close();
});

describe('encrypted database', () => {
  it('does not store a plain SQLite file, and no user data appears in the file or its WAL', async () => {
    const t = await createTestApp();
    opened.push(t);
    const marker = 'VerySecretMarkerName';
    const res = await t.request('/api/auth/register', {
      json: { email: `${marker.toLowerCase()}@example.test`, username: marker, password: 'correct horse battery staple 42' },
    });
    expect(res.status).toBe(201);
    const files = readdirSync(t.dir).filter((f) => f.startsWith('queuecrew.db'));
    expect(files).toContain('queuecrew.db');
    const main = readFileSync(join(t.dir, 'queuecrew.db'));
    expect(main.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    for (const f of files) {
      const bytes = readFileSync(join(t.dir, f)).toString('latin1');
      expect(bytes).not.toContain(marker);
      expect(bytes).not.toContain(marker.toLowerCase());
    }
  });

  it('refuses to start with a wrong key, with a clear message and no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-key-'));
    const first = await openDatabase(loadConfig(testEnv(dir)), silent);
    first.close();
    const wrong = loadConfig(testEnv(dir, { DATABASE_ENCRYPTION_KEY: 'another-key-0123456789abcdefghijklmnopqrstuvwxyz' }));
    const attempt = openDatabase(wrong, silent);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseStartError);
    await expect(attempt).rejects.toThrow(/DATABASE_ENCRYPTION_KEY is wrong/);
  });

  it('enforces foreign keys and WAL', async () => {
    const t = await createTestApp();
    opened.push(t);
    const { client } = t.services.database;
    expect((await client.execute('PRAGMA foreign_keys')).rows[0]).toMatchObject({ foreign_keys: 1 });
    expect((await client.execute('PRAGMA journal_mode')).rows[0]).toMatchObject({ journal_mode: 'wal' });
  });
});

describe('one writer under load', () => {
  it('200 concurrent registrations lose no row and produce no 5xx', async () => {
    const t = await createTestApp();
    opened.push(t);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.request('/api/auth/register', {
          json: { email: `load${i}@example.test`, username: `load_${i}`, password: 'correct horse battery staple 42' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const count = await t.services.database.client.execute("SELECT count(*) AS n FROM users WHERE email LIKE 'load%'");
    expect(count.rows[0]).toMatchObject({ n: 200 });
    const sessions = await t.services.database.client.execute('SELECT count(*) AS n FROM sessions');
    expect(Number(sessions.rows[0]!['n'])).toBeGreaterThanOrEqual(200);
    // 200 password hashes are CPU-bound (≈ 25 s on a quiet 2-core machine): this checks lost rows, not speed.
  }, 120_000);
});
