/**
 * Browser-facing protections (SECURITY-TESTS.md): security headers on HTML, API and error responses,
 * CSRF refusal for every content type, and a CORS policy that grants nothing to foreign origins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ORIGIN, type TestApp } from '../test/create-test-app.ts';
import { createUser, type TestUser } from '../test/factories.ts';

let t: TestApp;
let https: TestApp;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  https = await createTestApp({ APP_URL: 'https://queuecrew.example' });
  user = await createUser(t);
});
afterAll(async () => {
  await t.close();
  await https.close();
});

const COMMON = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'origin-agent-cluster': '?1',
};
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function securityHeaders(res: Response) {
  const names = [...Object.keys(COMMON), 'content-security-policy', 'strict-transport-security', 'x-powered-by'];
  return Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));
}

describe('security headers', () => {
  it('HTML: strict nonce-based CSP, no unsafe-inline scripts, no framing; no HSTS over plain http', async () => {
    const res = await t.request('/api/docs');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const h = securityHeaders(res);
    const csp = h['content-security-policy']!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(h).toEqual({
      ...COMMON,
      'content-security-policy': [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' data: https://cdn.discordapp.com https://cdn.cloudflare.steamstatic.com",
        "font-src 'self'",
        "connect-src 'self' ws://localhost:3000",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
        "worker-src 'self'",
      ].join('; '),
      'strict-transport-security': null,
      'x-powered-by': null,
    });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // Every inline script in the page carries this response's nonce, and the nonce is fresh per response.
    const html = await res.text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    const again = (await t.request('/api/docs')).headers.get('content-security-policy')!;
    expect(again).not.toContain(nonce!);
  });

  it('HTML over https: HSTS for two years with includeSubDomains, wss connect-src and upgrade-insecure-requests', async () => {
    const res = await https.request('/');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'self' wss://queuecrew.example");
    expect(csp).toContain('upgrade-insecure-requests');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('API JSON: the same headers, a deny-all CSP and no caching', async () => {
    const res = await t.request('/api/users/me', { cookie: user.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(securityHeaders(res)).toEqual({
      ...COMMON,
      'content-security-policy': API_CSP,
      'strict-transport-security': null,
      'x-powered-by': null,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it.each([
    ['401', '/api/users/me', {}],
    ['404', '/api/no-such-endpoint', {}],
    ['400', '/api/auth/login', { json: { email: 'not-an-email', password: '' } }],
    ['415', '/api/auth/login', { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ] as const)('error %s: the same headers, and a body with no stack or internals', async (status, path, init) => {
    const res = await t.request(path, init as RequestInit & { json?: unknown });
    expect(String(res.status)).toBe(status);
    expect(securityHeaders(res)).toEqual({
      ...COMMON,
      'content-security-policy': API_CSP,
      'strict-transport-security': null,
      'x-powered-by': null,
    });
    const text = await res.text();
    expect(text).not.toMatch(/at .+\.ts:\d+|node_modules|drizzle|libsql|sqlite|hono|zod/i);
    expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), code: expect.any(String) });
  });

  it('error responses over https carry HSTS too', async () => {
    const res = await https.request('/api/no-such-endpoint');
    expect(res.status).toBe(404);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('CSRF: cross-site state-changing requests are refused whatever the content type', () => {
  const bodies: Array<[string, () => { body: BodyInit; headers: Record<string, string> }]> = [
    ['application/json', () => ({ body: JSON.stringify({ username: 'pwned' }), headers: { 'content-type': 'application/json' } })],
    ['text/plain', () => ({ body: '{"username":"pwned"}', headers: { 'content-type': 'text/plain' } })],
    [
      'application/x-www-form-urlencoded',
      () => ({ body: 'username=pwned', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('username', 'pwned');
        return { body: form, headers: {} };
      },
    ],
  ];

  for (const [type, make] of bodies) {
    it(`foreign Origin, ${type} → 403 and nothing changes`, async () => {
      const { body, headers } = make();
      const res = await t.request('/api/users/me', {
        method: 'PATCH',
        cookie: user.cookie,
        body,
        headers: { ...headers, origin: 'https://evil.example' },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('cross_site_request');
    });

    it(`Sec-Fetch-Site: cross-site without Origin, ${type} → 403`, async () => {
      const { body, headers } = make();
      const h = new Headers({ ...headers, 'sec-fetch-site': 'cross-site', cookie: user.cookie });
      // app.request directly: the helper would add our own Origin.
      const res = await t.app.request(`${TEST_ORIGIN}/api/users/me`, { method: 'PATCH', body, headers: h });
      expect(res.status).toBe(403);
    });
  }

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s from Origin: null (sandboxed frame) → 403', async (method) => {
    const res = await t.request('/api/auth/sessions', { method, cookie: user.cookie, headers: { origin: 'null' } });
    expect(res.status).toBe(403);
  });

  it('a look-alike origin (other port, other scheme, suffix) is foreign', async () => {
    for (const origin of ['http://localhost:3001', 'https://localhost:3000', 'http://localhost:3000.evil.example']) {
      const res = await t.request('/api/auth/logout', { method: 'POST', cookie: user.cookie, headers: { origin } });
      expect(res.status).toBe(403);
    }
  });

  it('without Origin, a foreign Referer is refused', async () => {
    const h = new Headers({ referer: 'https://evil.example/page', cookie: user.cookie, 'content-type': 'application/json' });
    const res = await t.app.request(`${TEST_ORIGIN}/api/users/me`, { method: 'PATCH', body: '{}', headers: h });
    expect(res.status).toBe(403);
  });

  it('the same request from our own origin works, and the refusals changed nothing', async () => {
    const res = await t.request('/api/users/me', {
      method: 'PATCH',
      cookie: user.cookie,
      json: {},
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe(user.username);
  });

  it('logs each refusal with a stable alert field', () => {
    const refused = t.logs.lines.filter((l) => l.includes('"alert":"csrf_refused"'));
    expect(refused.length).toBeGreaterThanOrEqual(8);
  });
});

describe('CORS: nothing is granted to a foreign origin', () => {
  it.each(['/api/users/me', '/api/auth/login', '/api/openapi.json', '/healthz'])(
    'preflight OPTIONS %s has no Access-Control-Allow-*',
    async (path) => {
      const res = await t.request(path, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
      expect(res.status).toBeLessThan(500);
      for (const [name] of res.headers) expect(name.startsWith('access-control-allow')).toBe(false);
    },
  );

  it('a simple GET from a foreign origin gets no Access-Control-Allow-Origin (the browser hides the answer)', async () => {
    const res = await t.request('/api/users/me', { cookie: user.cookie, headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
