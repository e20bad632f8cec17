/**
 * Issue 14, bug 4: `PORT=3300 npm start` must not break sign-up. In development APP_URL follows PORT, the
 * loopback names of the same port are accepted, and a mismatch says which origin was seen, what APP_URL
 * is and that APP_URL is the setting to change. Production and test keep the strict single origin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../env.ts';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const register = (app: TestApp, origin: string, tag: string, site = 'same-origin') =>
  app.request('/api/auth/register', {
    json: { email: `${tag}@example.test`, username: tag, password: `correct horse battery ${tag}` },
    headers: { origin, 'sec-fetch-site': site },
  });

describe('APP_URL follows PORT in development', () => {
  it('development without APP_URL: http://localhost:<PORT>; with APP_URL or in production: as given', () => {
    expect(loadConfig({ NODE_ENV: 'development', PORT: '3300', DATA_DIR: t?.dir ?? '/tmp/qc-env-port' }).appUrl).toBe(
      'http://localhost:3300',
    );
    expect(loadConfig({ NODE_ENV: 'development', PORT: '3300', APP_URL: 'http://qc.lan:8080', DATA_DIR: '/tmp/qc-env-port' }).appUrl).toBe(
      'http://qc.lan:8080',
    );
    expect(loadConfig({ NODE_ENV: 'test', PORT: '3300', DATA_DIR: '/tmp/qc-env-port' }).appUrl).toBe('http://localhost:3000');
  });
});

describe('origin check and the loopback names', () => {
  it('development: 127.0.0.1, localhost and [::1] on the APP_URL port are one site; another port is explained', async () => {
    t = await createTestApp({ NODE_ENV: 'development', APP_URL: undefined, PORT: '3300' });
    expect(t.services.config.appUrl).toBe('http://localhost:3300');
    for (const [i, origin] of ['http://localhost:3300', 'http://127.0.0.1:3300', 'http://[::1]:3300'].entries()) {
      const res = await register(t, origin, `loop${i}`);
      expect(res.status, origin).toBe(201);
    }
    const res = await register(t, 'http://127.0.0.1:3000', 'loopx');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: string; code: string; details: Record<string, string> };
    expect(body.code).toBe('origin_mismatch');
    expect(body.error).toContain('http://127.0.0.1:3000');
    expect(body.error).toContain('http://localhost:3300');
    expect(body.error).toContain('APP_URL');
    expect(body.details).toEqual({ origin: 'http://127.0.0.1:3000', appUrl: 'http://localhost:3300', setting: 'APP_URL' });
    expect(t.logs.text).toMatch(/origin mismatch: request from http:\/\/127\.0\.0\.1:3000 but APP_URL is http:\/\/localhost:3300/);
  });

  it('outside development only APP_URL itself is accepted; a foreign site still gets cross_site_request', async () => {
    t = await createTestApp({ APP_URL: 'http://localhost:3000' });
    expect((await register(t, 'http://127.0.0.1:3000', 'strict1')).status).toBe(403);
    const evil = await register(t, 'https://evil.example', 'strict2', 'cross-site');
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { code: string }).code).toBe('cross_site_request');
    expect((await register(t, 'http://localhost:3000', 'strict3')).status).toBe(201);
  });

  it('development: a foreign site is refused whatever the loopback aliases', async () => {
    t = await createTestApp({ NODE_ENV: 'development', APP_URL: 'http://localhost:3300' });
    const res = await register(t, 'https://evil.example', 'devevil', 'cross-site');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('cross_site_request');
  });
});
