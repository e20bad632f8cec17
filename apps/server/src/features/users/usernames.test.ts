/**
 * Usernames are unique case-insensitively and by NFKC skeleton — on register, on
 * PATCH /api/users/me, and in the migration that renames existing duplicates before the unique index.
 */
import { createClient } from '@libsql/client';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { usernameKey } from '@queuecrew/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { freeUsername } from './data.ts';
import { createUser, STRONG_PASSWORD, type TestUser } from '../../test/factories.ts';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
});
afterAll(() => t.close());

const register = (username: string) =>
  t.request('/api/auth/register', {
    json: { email: `${username.toLowerCase()}-${Date.now()}@example.test`, username, password: STRONG_PASSWORD },
  });

describe('username uniqueness', () => {
  it('one key for case and NFKC variants', () => {
    expect(usernameKey('Alice')).toBe('alice');
    expect(usernameKey('ＡＬＩＣＥ')).toBe('alice');
    expect(usernameKey('ａｌｉｃｅ')).toBe(usernameKey('ALICE'));
  });

  it.each(['Alice', 'ALICE', 'aLiCe'])('register %s after alice → 409 username_taken, with a field message', async (name) => {
    const res = await register(name);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('username_taken');
    expect(body.details.username).toMatch(/taken/);
  });

  it('the fullwidth skeleton is never a second alice', async () => {
    const res = await register('ａｌｉｃｅ');
    expect([400, 409]).toContain(res.status);
  });

  it('PATCH /api/users/me: another person’s name in other capitals → 409; your own in new capitals → 200', async () => {
    const taken = await t.request('/api/users/me', { method: 'PATCH', json: { username: 'ALICE' }, cookie: bob.cookie });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ code: 'username_taken' });
    const own = await t.request('/api/users/me', { method: 'PATCH', json: { username: 'Alice' }, cookie: alice.cookie });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ username: 'Alice' });
    // The old key is free again after a rename.
    const moved = await t.request('/api/users/me', { method: 'PATCH', json: { username: 'Bobby' }, cookie: bob.cookie });
    expect(moved.status).toBe(200);
    expect((await register('bob')).status).toBe(201);
  });
});

describe('Discord sign-up', () => {
  it('picks a free username when the Discord one is taken in any capitals', async () => {
    expect(await freeUsername(t.services.database.db, 'ALICE')).toBe('ALICE_2');
    expect(await freeUsername(t.services.database.db, 'carol')).toBe('carol');
    expect(await freeUsername(t.services.database.db, 'x'.repeat(32))).toBe('x'.repeat(32));
  });
});

describe('migration 0003_username_ci', () => {
  it('renames later duplicates with a suffix before the unique index, keeps the oldest name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-mig-'));
    const client = createClient({ url: `file:${join(dir, 'm.db')}` });
    try {
      const folder = resolve(import.meta.dirname, '../../../drizzle');
      const files = readdirSync(folder)
        .filter((f) => /^\d{4}_.*\.sql$/.test(f))
        .sort();
      const run = async (file: string) => {
        for (const stmt of readFileSync(join(folder, file), 'utf8').split('--> statement-breakpoint')) {
          if (stmt.trim()) await client.execute(stmt);
        }
      };
      const mine = files.find((f) => f.endsWith('_username_ci.sql'))!;
      for (const f of files.filter((f) => f < mine)) await run(f);
      const insert = (id: string, username: string, at: number) =>
        client.execute({
          sql: 'INSERT INTO users (id, username, email, created_at) VALUES (?, ?, ?, ?)',
          args: [id, username, `${id}@x.test`, at],
        });
      await insert('A1111111xx', 'alice', 1000);
      await insert('B2222222xx', 'Alice', 2000);
      await insert('C3333333xx', 'ALICE', 3000);
      await insert('D4444444xx', 'bob', 1000);
      await insert('E5555555xx', 'a_very_long_username_of_32_chars', 1000);
      await insert('F6666666xx', 'A_VERY_LONG_USERNAME_OF_32_CHARS', 2000);
      await run(mine);
      const rows = (await client.execute('SELECT id, username, username_key FROM users ORDER BY id')).rows;
      const by = Object.fromEntries(rows.map((r) => [String(r.id), { username: String(r.username), key: String(r.username_key) }]));
      expect(by.A1111111xx).toEqual({ username: 'alice', key: 'alice' });
      expect(by.B2222222xx!.username).toBe('Alice_B222222');
      expect(by.C3333333xx!.username).toBe('ALICE_C333333');
      expect(by.D4444444xx).toEqual({ username: 'bob', key: 'bob' });
      expect(by.F6666666xx!.username).toBe('A_VERY_LONG_USERNAME_OF__F666666');
      expect(by.F6666666xx!.username.length).toBeLessThanOrEqual(32);
      for (const r of Object.values(by)) expect(r.key).toBe(usernameKey(r.username));
      await expect(
        insert('G7777777xx', 'BOB', 4000).then(() => client.execute("UPDATE users SET username_key = 'bob' WHERE id = 'G7777777xx'")),
      ).rejects.toThrow(/UNIQUE/);
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
