/**
 * The audit log is append-only by the database itself (triggers in migration 0001), records who, what,
 * when, from where and with which user agent, and never holds a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { cookiesFrom, createUser, login, STRONG_PASSWORD, type TestUser } from '../test/factories.ts';
import { makeTotp } from '../features/auth/totp.ts';

let t: TestApp;
let user: TestUser;
let eventId: number;
beforeAll(async () => {
  t = await createTestApp({ TRUST_PROXY: 'true' });
  user = await createUser(t);
  await t.request('/api/auth/login', {
    json: { email: user.email, password: STRONG_PASSWORD },
    headers: { 'user-agent': 'AuditTest/1.0', 'x-forwarded-for': '203.0.113.77' },
  });
  const r = await t.services.database.client.execute({
    sql: "SELECT id FROM security_events WHERE type = 'login_succeeded' AND user_id = ?",
    args: [user.id],
  });
  eventId = Number(r.rows[0]!.id);
});
afterAll(async () => {
  await t.close();
});

const sql = (statement: string, args: Array<string | number | null> = []) => t.services.database.client.execute({ sql: statement, args });

describe('append-only at the SQL level', () => {
  it('records who, what, when, the address and the user agent', async () => {
    const row = (await sql('SELECT * FROM security_events WHERE id = ?', [eventId])).rows[0]!;
    expect(row).toMatchObject({ type: 'login_succeeded', user_id: user.id, ip: '203.0.113.77', user_agent: 'AuditTest/1.0' });
    expect(Math.abs(Number(row.created_at) - Date.now())).toBeLessThan(60_000);
    expect(String(row.subject)).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['the type', "UPDATE security_events SET type = 'login_failed' WHERE id = ?"],
    ['the time', 'UPDATE security_events SET created_at = 0 WHERE id = ?'],
    ['the detail', `UPDATE security_events SET detail = '{"forged":true}' WHERE id = ?`],
    ['the user', "UPDATE security_events SET user_id = 'someone-else' WHERE id = ?"],
    ['the address (to a full address)', "UPDATE security_events SET ip = '198.51.100.1' WHERE id = ?"],
    ['the subject', "UPDATE security_events SET subject = 'x' WHERE id = ?"],
  ])('refuses an UPDATE of %s', async (_what, statement) => {
    await expect(sql(statement, [eventId])).rejects.toThrow(/append-only/);
    const row = (await sql('SELECT type, user_id, ip, detail FROM security_events WHERE id = ?', [eventId])).rows[0]!;
    expect(row).toMatchObject({ type: 'login_succeeded', user_id: user.id, ip: '203.0.113.77' });
  });

  it('refuses DELETE of a row inside the retention period, one row or all', async () => {
    await expect(sql('DELETE FROM security_events WHERE id = ?', [eventId])).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM security_events')).rejects.toThrow(/append-only/);
    expect((await sql('SELECT count(*) AS n FROM security_events WHERE id = ?', [eventId])).rows[0]!.n).toBe(1);
  });

  it('refuses the same through drizzle (the application path), inside a write transaction', async () => {
    const attempt = t.services.database.write((tx) => tx.run("UPDATE security_events SET type = 'x'"));
    await expect(attempt).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
  });

  it('allows pseudonymisation only: user id cleared, address truncated, user agent cleared', async () => {
    // What account deletion and the retention job do (features/users/mutations.ts, ops retention).
    await sql("UPDATE security_events SET user_id = NULL, ip = '203.0.113.0', user_agent = NULL WHERE id = ?", [eventId]);
    const row = (await sql('SELECT * FROM security_events WHERE id = ?', [eventId])).rows[0]!;
    expect(row).toMatchObject({ user_id: null, ip: '203.0.113.0', user_agent: null, type: 'login_succeeded' });
    expect(row.subject).not.toBeNull();
  });
});

describe('no secrets in the audit log (or the logs)', () => {
  it('after a full account life cycle, no password, token, cookie, seed or code appears anywhere', async () => {
    const email = 'secrets@example.test';
    const password = 'Seven orange kites drift 1492!';
    const reg = await t.request('/api/auth/register', { json: { email, username: 'secrets', password } });
    const session = cookiesFrom(reg);
    await login(t, email, 'a wrong guess at it 1');
    const setup = (await (await t.request('/api/auth/2fa/setup', { method: 'POST', cookie: session.header })).json()) as { secret: string };
    const code = makeTotp(setup.secret).generate();
    const enabled = (await (await t.request('/api/auth/2fa/enable', { json: { code }, cookie: session.header })).json()) as {
      recoveryCodes: string[];
    };
    const viaRecovery = await login(t, email, password, enabled.recoveryCodes[0]);
    expect(viaRecovery.res.status).toBe(200);
    const refreshed = await t.request('/api/auth/refresh', { method: 'POST', cookie: viaRecovery.cookie });
    const newPassword = 'Nine purple owls sing 2048?';
    await t.request('/api/auth/password', { json: { currentPassword: password, newPassword }, cookie: cookiesFrom(refreshed).header });
    await t.request('/api/auth/logout', { method: 'POST', cookie: cookiesFrom(refreshed).header });

    const secrets = [
      password,
      newPassword,
      setup.secret,
      code,
      ...enabled.recoveryCodes,
      ...Object.values(session.values),
      ...Object.values(cookiesFrom(refreshed).values),
      viaRecovery.accessToken,
      viaRecovery.refreshToken,
      t.services.config.session.secret,
      t.services.config.fieldEncryption.key,
    ].filter((s) => s.length >= 6);
    const events = JSON.stringify((await sql('SELECT * FROM security_events')).rows);
    const logs = t.logs.text;
    for (const s of secrets) {
      expect(events).not.toContain(s);
      expect(logs).not.toContain(s);
    }
    const types = new Set((await sql('SELECT type FROM security_events')).rows.map((r) => String(r.type)));
    for (const type of [
      'register',
      'login_failed',
      'totp_enabled',
      'recovery_code_used',
      'login_succeeded',
      'password_changed',
      'logout',
    ]) {
      expect(types).toContain(type);
    }
  });
});
