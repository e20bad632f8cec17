import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test/create-test-app.ts';
import { createUser } from './test/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('request handling', () => {
  it('gives every response an X-Request-Id, errors included', async () => {
    for (const path of ['/healthz', '/api/users/me', '/api/nope']) {
      const res = await t.request(path);
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    }
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const res = await t.request('/api/auth/login', { json: { email: 'a@b.test', password: 'x'.repeat(70 * 1024) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers 415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': type }, body: 'email=a&password=b' });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ code: 'unsupported_media_type' });
    }
  });

  it('answers 400 for malformed JSON, without a stack or library names', async () => {
    const res = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toHaveProperty('code');
    expect(text).not.toMatch(/at \w+ \(|node_modules|\.ts:|hono|zod|sqlite|libsql/i);
  });

  it('answers 400 with field messages for invalid input, and for unknown fields', async () => {
    const res = await t.request('/api/auth/register', { json: { email: 'nope', username: 'x', password: 'short', role: 'admin' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(Object.keys(body.details).sort()).toEqual(['email', 'password', 'role', 'username']);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await t.request('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers 401 in the error format when not signed in', async () => {
    const res = await t.request('/api/users/me');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthorized', error: expect.stringMatching(/sign in/i) });
  });

  it('serves liveness, readiness and the OpenAPI document', async () => {
    expect((await t.request('/healthz')).status).toBe(200);
    expect((await t.request('/readyz')).status).toBe(200);
    const doc = (await (await t.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/auth/register');
    expect((await t.request('/api/docs')).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('updates the profile and refuses fields that are not allowed', async () => {
    const u = await createUser(t);
    const ok = await t.request('/api/users/me', { method: 'PATCH', cookie: u.cookie, json: { username: 'new.name' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ username: 'new.name' });
    const bad = await t.request('/api/users/me', { method: 'PATCH', cookie: u.cookie, json: { isInstanceAdmin: true } });
    expect(bad.status).toBe(400);
  });
});
