import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, login } from '../../test/factories.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const apps: TestApp[] = [];
async function app(env: Record<string, string> = {}) {
  const t = await createTestApp(env);
  apps.push(t);
  return t;
}
afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
});

describe('GET /metrics', () => {
  it('is open without METRICS_TOKEN and counts requests by route pattern and status', async () => {
    const t = await app();
    const u = await createUser(t);
    expect((await t.request('/api/users/me', { cookie: u.cookie })).status).toBe(200);
    expect((await t.request('/api/users/me')).status).toBe(401);
    expect((await t.request('/api/nope/123')).status).toBe(404);
    const res = await t.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/queuecrew_http_requests_total\{method="GET",route="\/api\/users\/me",status="200"\} 1/);
    expect(text).toMatch(/queuecrew_http_requests_total\{method="GET",route="\/api\/users\/me",status="401"\} 1/);
    expect(text).toMatch(
      /queuecrew_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/api\/auth\/register",status="201"\} 1/,
    );
    // An unknown path is labelled by the catch-all pattern, never by the raw path (bounded cardinality).
    expect(text).not.toContain('/api/nope/123');
    expect(text).toContain('queuecrew_backup_last_success_timestamp_seconds');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const t = await app({ METRICS_TOKEN: TOKEN });
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token-00' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of attempts) {
      const res = await t.request('/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = (await res.json()) as { code: string; error: string };
      expect(body.code).toBe('unauthorized');
      expect(body.error).toContain('METRICS_TOKEN');
    }
    const ok = await t.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('queuecrew_http_requests_total');
  });

  it('counts database errors, and a busy database answers 503 instead of losing the write', async () => {
    const t = await app();
    const { database, config } = t.services;
    await expect(database.write((tx) => tx.run(sql`INSERT INTO no_such_table VALUES (1)`))).rejects.toThrow();
    // Another process holds the write lock for longer than the busy timeout.
    const other = createClient({ url: config.database.url, encryptionKey: config.database.encryptionKey });
    try {
      const held = await other.transaction('write');
      await held.execute("INSERT INTO app_settings (key, value) VALUES ('held', '1')");
      const res = await t.request('/api/auth/register', {
        json: { email: 'busy@example.test', username: 'busy_user', password: 'correct horse battery staple 42' },
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('database_busy');
      await held.rollback();
    } finally {
      other.close();
    }
    const text = await (await t.request('/metrics')).text();
    expect(text).toMatch(/queuecrew_db_errors_total\{kind="other"\} 1/);
    expect(text).toMatch(/queuecrew_db_errors_total\{kind="busy"\} 1/);
    expect(t.logs.text).toContain('database busy: write refused');
    // The writer recovered: the next write goes through and is really there.
    const again = await t.request('/api/auth/register', {
      json: { email: 'busy@example.test', username: 'busy_user', password: 'correct horse battery staple 42' },
    });
    expect(again.status).toBe(201);
    // …and it is committed: another connection sees it (a stuck connection would keep it invisible).
    const fresh = createClient({ url: config.database.url, encryptionKey: config.database.encryptionKey });
    try {
      const r = await fresh.execute("SELECT count(*) AS n FROM users WHERE email = 'busy@example.test'");
      expect(Number(r.rows[0]!['n'])).toBe(1);
    } finally {
      fresh.close();
    }
  }, 20_000);
});

describe('logs', () => {
  it('never contain passwords, tokens, cookies or authorization headers, and carry request ids', async () => {
    const t = await app();
    const u = await createUser(t);
    const { res, cookie, accessToken, refreshToken } = await login(t, u.email, u.password);
    expect(res.status).toBe(200);
    await t.request('/api/auth/login', { json: { email: u.email, password: 'a wrong password that is long' } });
    await t.request('/api/users/me', { bearer: accessToken, headers: { cookie } });
    await t.request('/api/auth/refresh', { method: 'POST', cookie });
    const text = t.logs.text;
    for (const secret of [u.password, 'a wrong password that is long', accessToken, refreshToken, u.accessToken, u.refreshToken]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/qc_access=|qc_refresh=|Bearer /);
    const lines = t.logs.lines.map((l) => JSON.parse(l) as { requestId?: string; msg: string; route?: string });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const l of requests) expect(l.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

describe('GET /api/privacy', () => {
  it('serves the privacy notice', async () => {
    const t = await app();
    const res = await t.request('/api/privacy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { format: string; content: string };
    expect(body.format).toBe('markdown');
    expect(body.content).toContain('# Privacy');
    expect(body.content).toMatch(/365 days/);
  });
});
