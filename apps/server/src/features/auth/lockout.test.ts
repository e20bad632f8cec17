import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, STRONG_PASSWORD } from '../../test/factories.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

type ErrorBody = { error: string; code: string };

async function loginAs(email: string, password: string, headers: Record<string, string> = {}) {
  return t.request('/api/auth/login', { json: { email, password }, headers });
}

async function events(type: string) {
  const r = await t.services.database.client.execute({ sql: 'SELECT * FROM security_events WHERE type = ?', args: [type] });
  return r.rows;
}

async function counter(name: 'logins' | 'failedLoginBursts', labels?: Record<string, string>) {
  const metric = await t.services.metrics[name].get();
  return metric.values
    .filter((v) => Object.entries(labels ?? {}).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('progressive lockout', () => {
  it('locks an account after 5 failures, even for the right password, with Retry-After and a login_locked event', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) expect((await loginAs(user.email, 'wrong password number ' + i)).status).toBe(401);
    const locked = await loginAs(user.email, STRONG_PASSWORD);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as ErrorBody).code).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const lockedEvents = await events('login_locked');
    expect(lockedEvents).toHaveLength(1);
    expect(lockedEvents[0]!.user_id).toBe(user.id);
    expect(JSON.parse(String(lockedEvents[0]!.detail))).toEqual({ failures: 5, lockSeconds: 60 });
    expect(await counter('logins', { result: 'failed' })).toBe(5);
    expect(await counter('logins', { result: 'locked' })).toBe(1);
  });

  it('locks an unknown email exactly like a real one (no account enumeration)', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) {
      await loginAs(user.email, 'wrong password ' + i);
      await loginAs('nobody@example.test', 'wrong password ' + i);
    }
    const known = await loginAs(user.email, 'wrong password again');
    const unknown = await loginAs('nobody@example.test', 'wrong password again');
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect(((await known.json()) as ErrorBody).error).toBe(((await unknown.json()) as ErrorBody).error);
  });

  it('counts a wrong password the same way however the email is cased', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) await loginAs(i % 2 ? user.email.toUpperCase() : user.email, 'wrong password ' + i);
    expect((await loginAs(user.email, STRONG_PASSWORD)).status).toBe(429);
  });

  it('a successful sign-in clears the failure count', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    const user = await createUser(t);
    for (let i = 0; i < 4; i++) await loginAs(user.email, 'wrong password ' + i);
    expect((await loginAs(user.email, STRONG_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await loginAs(user.email, 'wrong password ' + i)).status).toBe(401);
    expect((await loginAs(user.email, STRONG_PASSWORD)).status).toBe(200);
    expect(await counter('logins', { result: 'ok' })).toBe(2);
  });
});

describe('X-Forwarded-For', () => {
  it('a spoofed X-Forwarded-For neither unlocks an account nor resets the per-IP limit without TRUST_PROXY', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) await loginAs(user.email, 'wrong password ' + i, { 'x-forwarded-for': `203.0.113.${i}` });
    expect((await loginAs(user.email, STRONG_PASSWORD, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);

    // Per IP: 20 attempts per 15 minutes (5 spent above, plus the locked one), whatever XFF claims.
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await loginAs(`spray${i}@example.test`, 'wrong password', { 'x-forwarded-for': `198.51.100.${i + 10}` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 14).every((s) => s === 401)).toBe(true);
    expect(statuses[14]).toBe(429);
  });

  it('with TRUST_PROXY the forwarded address is the client address (each one has its own budget)', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'true' });
    for (let i = 0; i < 20; i++) await loginAs(`spray${i}@example.test`, 'wrong password', { 'x-forwarded-for': '198.51.100.1' });
    expect((await loginAs('spray-last@example.test', 'wrong password', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    expect((await loginAs('spray-last@example.test', 'wrong password', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(401);
  });
});

describe('X-Forwarded-For behind a trusted proxy', () => {
  it('only the last entry (the one the proxy appended) counts: a forged first entry does not reset the per-IP limit', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'true' });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      // The attacker varies what they send; the proxy appends the real address (198.51.100.9).
      const res = await loginAs(`spray${i}@example.test`, 'wrong password', { 'x-forwarded-for': `10.0.0.${i}, 198.51.100.9` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const ips = await t.services.database.client.execute("SELECT DISTINCT ip FROM security_events WHERE type = 'login_failed'");
    expect(ips.rows.map((r) => r.ip)).toEqual(['198.51.100.9']);
  });

  it('ignores a last entry that is not an IP address', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'true' });
    await loginAs('x@example.test', 'wrong password', { 'x-forwarded-for': '198.51.100.9, <script>' });
    const ips = await t.services.database.client.execute("SELECT ip FROM security_events WHERE type = 'login_failed'");
    expect(ips.rows.map((r) => r.ip)).toEqual(['unknown']);
  });
});

describe('failed-login burst alert', () => {
  it('raises a security event, a warn log with alert=failed_login_burst and a metric, once per window', async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
    for (let i = 0; i < 12; i++) await loginAs(`burst${i}@example.test`, 'wrong password');
    const burst = await events('login_failure_burst');
    expect(burst).toHaveLength(1);
    expect(JSON.parse(String(burst[0]!.detail))).toMatchObject({ scope: 'ip', threshold: 10, windowSeconds: 300 });
    const alerts = t.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.alert === 'failed_login_burst');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'warn', scope: 'ip', threshold: 10 });
    expect(await counter('failedLoginBursts')).toBe(1);
    expect(await counter('logins', { result: 'failed' })).toBe(12);
    const metricsText = await t.services.metrics.registry.metrics();
    expect(metricsText).toMatch(/^queuecrew_failed_login_bursts_total 1$/m);
  });

  it('still alerts with RATE_LIMITS=off (alerting is monitoring, not throttling)', async () => {
    t = await createTestApp();
    for (let i = 0; i < 10; i++) await loginAs(`burst${i}@example.test`, 'wrong password');
    expect(await events('login_failure_burst')).toHaveLength(1);
    expect(await counter('failedLoginBursts')).toBe(1);
  });
});
