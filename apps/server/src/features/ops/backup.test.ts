import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { loadConfig } from '../../env.ts';
import { createTestApp, testEnv, type TestApp } from '../../test/create-test-app.ts';
import { createUser } from '../../test/factories.ts';
import { BackupError, codeSchemaVersion, createBackup, listBackups, openBackup, restoreBackup, verifyLatestBackup } from './backup.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Every row of every table, in a stable order: "the data" for equality checks. */
async function dump(client: Client): Promise<Record<string, unknown[]>> {
  const tables = await client.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, unknown[]> = {};
  for (const r of tables.rows) {
    const name = String(r['name']);
    const rows = await client.execute(`SELECT * FROM "${name}" ORDER BY 1, 2`);
    out[name] = rows.rows.map((row) => ({ ...row }));
  }
  return out;
}

async function expectBackupError(p: Promise<unknown>, code: BackupError['code']): Promise<BackupError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackupError);
  expect((e as BackupError).code).toBe(code);
  return e as BackupError;
}

describe('backup and restore', () => {
  it('round-trips the data exactly, writes a manifest, and the file holds no plaintext', async () => {
    const alice = await createUser(t, { username: 'alice_backup' });
    await createUser(t);
    const before = await dump(t.services.database.client);

    const info = await createBackup(t.services.config);
    expect(info.schemaVersion).toBe(codeSchemaVersion());
    expect(info.rowCounts['users']).toBe(2);
    expect(info.rowCounts['sessions']).toBe(2);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    const sidecar = JSON.parse(readFileSync(`${info.file}.manifest.json`, 'utf8')) as typeof info;
    expect(sidecar).toEqual(info);
    const raw = readFileSync(info.file);
    expect(raw.includes(Buffer.from(alice.email))).toBe(false);
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);

    // Changes after the backup must be gone after the restore.
    await createUser(t, { username: 'after_backup' });
    t.services.database.close();
    const result = await restoreBackup(info.file, t.services.config);
    expect(result.integrity).toBe('ok');
    expect(result.previous && existsSync(result.previous)).toBe(true);

    // Compare the restored file itself (openDatabase would refresh app_settings.updated_at).
    const restored = createClient({
      url: t.services.config.database.url,
      encryptionKey: t.services.config.database.encryptionKey,
      intMode: 'number',
    });
    try {
      expect(await dump(restored)).toEqual(before);
    } finally {
      restored.close();
    }
    // The test harness closes `database` again on teardown; give it the reopened one to close.
    t.services.database = await openDatabase(t.services.config, t.services.logger);
  });

  it('refuses a backup with one flipped byte, anywhere, and leaves the database untouched', async () => {
    await createUser(t);
    const info = await createBackup(t.services.config);
    const original = readFileSync(info.file);
    const db = t.services.config.database.url.replace(/^file:/, '');
    const dbBefore = readFileSync(db);
    for (const offset of [20, Math.floor(original.length / 2), original.length - 1]) {
      const bad = Buffer.from(original);
      bad[offset] = bad[offset]! ^ 0x01;
      writeFileSync(info.file, bad);
      const err = await restoreBackup(info.file, t.services.config).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BackupError);
      expect(['tampered', 'not_a_backup']).toContain((err as BackupError).code);
      expect((err as BackupError).message).toMatch(/modified|damaged|not a QueueCrew backup|format/);
    }
    // A truncated file is refused too.
    writeFileSync(info.file, original.subarray(0, original.length - 100));
    await expectBackupError(restoreBackup(info.file, t.services.config), 'tampered');
    expect(readFileSync(db).equals(dbBefore)).toBe(true);
    expect(readdirSync(join(db, '..')).filter((f) => f.includes('.restore-'))).toEqual([]);
  });

  it('refuses a backup made with another BACKUP_KEY, with a message naming the setting', async () => {
    await createUser(t);
    const info = await createBackup(t.services.config);
    const other = loadConfig(testEnv(t.dir, { BACKUP_KEY: 'another-backup-key-9876543210zyxwvutsrqponmlk' }));
    const err = await expectBackupError(restoreBackup(info.file, other), 'wrong_key');
    expect(err.message).toContain('BACKUP_KEY');
  });

  it('takes a consistent snapshot while writes go on', async () => {
    const { database } = t.services;
    // Each write inserts a row AND bumps a counter in one transaction: a torn copy would disagree.
    await database.write((tx) => tx.run(sql`INSERT INTO app_settings (key, value) VALUES ('bench_counter', '0')`));
    let stop = false;
    let committed = 0;
    const writer = (async () => {
      for (let i = 0; !stop && i < 5000; i++) {
        await database.write(async (tx) => {
          await tx.run(sql`INSERT INTO users (id, username, email) VALUES (${`u${i}`}, ${`w${i}`}, ${`w${i}@example.test`})`);
          await tx.run(sql`UPDATE app_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'bench_counter'`);
        });
        committed += 1;
      }
    })();
    // Let some writes land first, then back up several times while the writer keeps going.
    while (committed < 20) await new Promise((r) => setTimeout(r, 5));
    const infos = [];
    for (let i = 0; i < 3; i++) infos.push(await createBackup(t.services.config, new Date(Date.now() + i)));
    stop = true;
    await writer;

    for (const info of infos) {
      const scratch = join(t.dir, `check-${Math.random().toString(36).slice(2)}.db`);
      await openBackup(info.file, t.services.config, scratch);
      const c = createClient({ url: `file:${scratch}`, encryptionKey: t.services.config.database.encryptionKey, intMode: 'number' });
      try {
        const users = Number((await c.execute("SELECT count(*) AS n FROM users WHERE id LIKE 'u%'")).rows[0]!['n']);
        const counter = Number((await c.execute("SELECT value FROM app_settings WHERE key = 'bench_counter'")).rows[0]!['value']);
        expect(users).toBe(counter);
        expect(users).toBeGreaterThan(0);
        expect(info.rowCounts['users']).toBe(users);
        expect(String((await c.execute('PRAGMA integrity_check')).rows[0]![0])).toBe('ok');
      } finally {
        c.close();
      }
    }
    expect(committed).toBeGreaterThan(20);
  });

  it('keeps only BACKUP_KEEP backups, and the drill verifies the newest', async () => {
    const config = loadConfig(testEnv(t.dir, { BACKUP_KEEP: '2' }));
    await createUser(t);
    for (let i = 0; i < 3; i++) await createBackup(config, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    const list = listBackups(config);
    expect(list).toHaveLength(2);
    expect(list[0]!.file).toContain('2026-01-01T00-00-02');
    const report = await verifyLatestBackup(config);
    expect(report.file).toBe(list[0]!.file);
    expect(report.integrity).toBe('ok');
    expect(report.mismatches).toEqual({});
  });

  it('restore refuses while a live server holds the database, unless forced', async () => {
    const info = await createBackup(t.services.config);
    const db = t.services.config.database.url.replace(/^file:/, '');
    // The parent process (the vitest runner) stands in for a running server.
    writeFileSync(`${db}.pid`, String(process.ppid));
    const err = await expectBackupError(restoreBackup(info.file, t.services.config), 'in_use');
    expect(err.message).toContain('--force');
    t.services.database.close();
    const result = await restoreBackup(info.file, t.services.config, { force: true });
    expect(result.integrity).toBe('ok');
    t.services.database = await openDatabase(t.services.config, t.services.logger);
  });

  it('the drill reports a clear error when there is no backup yet', async () => {
    await expectBackupError(verifyLatestBackup(t.services.config), 'no_backup');
  });
});
