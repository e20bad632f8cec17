/**
 * Password storage and session lifetimes (SECURITY-TESTS.md "Sign-in and sessions"): argon2id with at
 * least the OWASP parameters; a session ends after 7 days without use and 30 days after sign-in,
 * whatever the access token or refresh cookie says. Time passing is simulated by moving the session's
 * timestamps back in the database (the server's clock is not faked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { createUser, STRONG_PASSWORD } from '../test/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const DAY = 24 * 3600 * 1000;
const sql = (statement: string, args: Array<string | number>) => t.services.database.client.execute({ sql: statement, args });

describe('password storage', () => {
  it('is argon2id with at least 19 MiB memory and 2 iterations (OWASP), salted per user', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const rows = (await sql('SELECT password_hash FROM users WHERE id IN (?, ?)', [a.id, b.id])).rows.map((r) => String(r.password_hash));
    for (const hash of rows) {
      const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
      expect(m, hash).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
      expect(Number(m![2])).toBeGreaterThanOrEqual(2);
      expect(hash).not.toContain(STRONG_PASSWORD);
    }
    // Same password, different salts.
    expect(rows[0]).not.toBe(rows[1]);
  });
});

describe('session lifetimes', () => {
  async function sessionOf(userId: string) {
    return String((await sql('SELECT id FROM sessions WHERE user_id = ?', [userId])).rows[0]!.id);
  }

  it('a session unused for more than 7 days is over: the access token and the refresh token are refused', async () => {
    const user = await createUser(t);
    expect((await t.request('/api/users/me', { cookie: user.cookie })).status).toBe(200);
    const id = await sessionOf(user.id);
    await sql('UPDATE sessions SET last_used_at = ?, created_at = ? WHERE id = ?', [
      Date.now() - 7 * DAY - 60_000,
      Date.now() - 8 * DAY,
      id,
    ]);
    expect((await t.request('/api/users/me', { cookie: user.cookie })).status).toBe(401);
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: user.cookie })).status).toBe(401);
  });

  it('a session used within 7 days stays alive, and refreshing counts as use', async () => {
    const user = await createUser(t);
    const id = await sessionOf(user.id);
    await sql('UPDATE sessions SET last_used_at = ? WHERE id = ?', [Date.now() - 6 * DAY, id]);
    const res = await t.request('/api/auth/refresh', { method: 'POST', cookie: user.cookie });
    expect(res.status).toBe(200);
    const lastUsed = Number((await sql('SELECT last_used_at FROM sessions WHERE id = ?', [id])).rows[0]!.last_used_at);
    expect(Date.now() - lastUsed).toBeLessThan(60_000);
  });

  it('30 days after sign-in a session is over even if it was used a minute ago', async () => {
    const user = await createUser(t);
    const id = await sessionOf(user.id);
    await sql('UPDATE sessions SET expires_at = ? WHERE id = ?', [Date.now() - 60_000, id]);
    expect((await t.request('/api/users/me', { cookie: user.cookie })).status).toBe(401);
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: user.cookie })).status).toBe(401);
  });

  it('the absolute end is set 30 days after sign-in and is not extended by use', async () => {
    const user = await createUser(t);
    const id = await sessionOf(user.id);
    const before = (await sql('SELECT created_at, expires_at FROM sessions WHERE id = ?', [id])).rows[0]!;
    expect(Number(before.expires_at) - Number(before.created_at)).toBe(30 * DAY);
    await t.request('/api/auth/refresh', { method: 'POST', cookie: user.cookie });
    const after = (await sql('SELECT expires_at FROM sessions WHERE id = ?', [id])).rows[0]!;
    expect(Number(after.expires_at)).toBe(Number(before.expires_at));
  });
});
