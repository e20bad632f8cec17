/**
 * Findings of the outside review (docs/decisions/080-red-team-review.md), each kept as a regression test
 * against the real app: responses that skipped the security headers, static Range requests that
 * answered 500, and cookie-authenticated writes that proved no origin at all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../db/client.ts';
import { RULES } from '../lib/rate-limit.ts';
import { createTestApp, TEST_ORIGIN, type TestApp } from '../test/create-test-app.ts';
import { createUser, type TestUser } from '../test/factories.ts';

const ASSET = 'index-Ab12Cd34.js';
const ASSET_BODY = 'console.log("queuecrew asset, exactly forty-four bytes");\n';

let t: TestApp;
let user: TestUser;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'qc-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', ASSET), ASSET_BODY);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/x.js"></script></head></html>');
  t = await createTestApp({ WEB_DIST_DIR: dist });
  user = await createUser(t);
});
afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

/** A raw request, without the helper's automatic Origin: what a non-browser client or an old browser sends. */
function raw(path: string, init: RequestInit = {}) {
  return t.app.request(`${TEST_ORIGIN}${path}`, init);
}

describe('security headers on every kind of response', () => {
  it.each([
    ['POST', '/'],
    ['PUT', '/groups/abc'],
    ['OPTIONS', '/healthz'],
    ['DELETE', '/metrics'],
    ['PATCH', '/readyz'],
    ['PROPFIND', '/'],
    ['OPTIONS', '/api/groups'],
    ['GET', '/api/nope'],
    ['POST', `/assets/${ASSET}`],
  ])('%s %s answers in the error format with the full header set', async (method, path) => {
    const res = await raw(path, { method, headers: { origin: TEST_ORIGIN } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('a non-API 404 is counted and logged like any other response', async () => {
    const before = t.logs.lines.length;
    await raw('/', { method: 'POST', headers: { origin: TEST_ORIGIN } });
    const lines = t.logs.lines.slice(before).map((l) => JSON.parse(l) as { msg: string; status?: number; method?: string });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', method: 'POST', status: 404 }));
  });
});

describe('static assets', () => {
  it('serves a hashed asset whole, with long caching', async () => {
    const res = await raw(`/assets/${ASSET}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ASSET_BODY);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  // Ranges were handed to the static server unchecked: a reversed or out-of-bounds range made
  // createReadStream throw (500), `bytes=-5` answered the first bytes instead of the last. Hashed assets are
  // small and immutable, so Range is ignored (RFC 9110 §14.2 allows it) and the whole file is sent.
  it.each([
    'bytes=10-5',
    'bytes=999999999-',
    'bytes=-5',
    'bytes=0-0,5-10',
    'bytes=abc',
    'items=0-1',
    'bytes=--1',
    `bytes=0-${'9'.repeat(30)}`,
  ])('Range: %s gets the whole file with 200, never a 5xx', async (range) => {
    const res = await raw(`/assets/${ASSET}`, { headers: { range } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect(await res.text()).toBe(ASSET_BODY);
  });

  it('a missing asset is a 404, not the HTML shell (a script tag must not receive a page)', async () => {
    const res = await raw('/assets/missing-0000.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it.each([
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/..%5c..%5cpackage.json',
    '/%2e%2e/package.json',
  ])('traversal %s never reaches a file outside the build', async (path) => {
    const res = await raw(path);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).not.toContain('"workspaces"');
  });
});

describe('CSRF: a cookie-authenticated write must prove its origin', () => {
  it('is refused with neither Origin, Sec-Fetch-Site nor Referer', async () => {
    const res = await raw('/api/groups', {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'No origin' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'cross_site_request' });
  });

  it('is refused when only a same-site (sibling origin) Sec-Fetch-Site vouches for it', async () => {
    const res = await raw('/api/groups', {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json', 'sec-fetch-site': 'same-site' },
      body: JSON.stringify({ name: 'Sibling' }),
    });
    expect(res.status).toBe(403);
  });

  it.each([
    ['its own Origin', { origin: TEST_ORIGIN }],
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['a same-origin Referer', { referer: `${TEST_ORIGIN}/groups` }],
  ])('is accepted with %s', async (_label, extra) => {
    const res = await raw('/api/groups', {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json', ...extra },
      body: JSON.stringify({ name: 'Same origin' }),
    });
    expect(res.status).toBe(201);
  });

  it('a Bearer token needs no Origin (no ambient credential), and the logout of a cookie session does', async () => {
    const bearer = await raw('/api/groups', {
      method: 'POST',
      headers: { authorization: `Bearer ${user.accessToken}`, cookie: user.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Script' }),
    });
    expect(bearer.status).toBe(201);
    const logout = await raw('/api/auth/logout', { method: 'POST', headers: { cookie: user.cookie } });
    expect(logout.status).toBe(403);
    expect((await t.request('/api/users/me', { cookie: user.cookie })).status).toBe(200);
  });

  it('a request without any session cookie is not affected (sign-in from a script)', async () => {
    const res = await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(200);
  });
});

describe('refusals cannot be turned into unbounded audit writes', () => {
  // Every refusal writes a permission_denied row (append-only) through the single writer, and reads are
  // not rate-limited: a plain GET loop of any signed-in user wrote one row per request.
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ RATE_LIMITS: 'on' });
    // The first account of an instance becomes its admin; the probes below are ordinary users.
    await createUser(limited);
  });
  afterAll(async () => {
    await limited.close();
  });

  async function deniedRows(userId: string) {
    const rows = await limited.services.database.db
      .select({ id: schema.securityEvents.id })
      .from(schema.securityEvents)
      .where(and(eq(schema.securityEvents.type, 'permission_denied'), eq(schema.securityEvents.userId, userId)));
    return rows.length;
  }

  it('the admin API probed by a normal user: 404s are audited up to the budget, then 429 without a write', async () => {
    const probe = await createUser(limited);
    const budget = RULES.refusalsUser.limit;
    for (let i = 0; i < budget; i += 1) expect((await limited.request('/api/admin/users', { cookie: probe.cookie })).status).toBe(404);
    const over = await limited.request('/api/admin/users', { cookie: probe.cookie });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await deniedRows(probe.id)).toBe(budget);
  });

  it('a member probing admin-only group routes: 403s are audited up to the budget, then 429', async () => {
    const owner = await createUser(limited);
    const member = await createUser(limited);
    const group = (await (await limited.request('/api/groups', { json: { name: 'Probed' }, cookie: owner.cookie })).json()) as {
      id: string;
    };
    const invite = (await (await limited.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: owner.cookie })).json()) as {
      code: string;
    };
    expect((await limited.request(`/api/invites/${invite.code}/accept`, { method: 'POST', cookie: member.cookie })).status).toBe(200);
    const budget = RULES.refusalsUser.limit;
    for (let i = 0; i < budget; i += 1) {
      expect((await limited.request(`/api/groups/${group.id}/invites`, { cookie: member.cookie })).status).toBe(403);
    }
    expect((await limited.request(`/api/groups/${group.id}/invites`, { cookie: member.cookie })).status).toBe(429);
    expect(await deniedRows(member.id)).toBe(budget);
    // The owner is not affected by the member's budget.
    expect((await limited.request(`/api/groups/${group.id}/invites`, { cookie: owner.cookie })).status).toBe(200);
  });
});

describe('invite codes stay out of the logs', () => {
  // An invite code is a bearer secret (whoever holds it joins the group), and it travels in the path:
  // the access log wrote `"path":"/api/invites/<code>/accept"` for every preview and accept.
  it('the access log masks the code of /api/invites/:code, /api/invites/:code/accept and the /invite/:code page', async () => {
    const owner = await createUser(t);
    const guest = await createUser(t);
    const group = (await (await t.request('/api/groups', { json: { name: 'Secret door' }, cookie: owner.cookie })).json()) as {
      id: string;
    };
    const invite = (await (await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: owner.cookie })).json()) as {
      code: string;
    };
    const before = t.logs.lines.length;
    expect((await t.request(`/api/invites/${invite.code}`, { cookie: guest.cookie })).status).toBe(200);
    expect((await t.request(`/api/invites/${invite.code}/accept`, { method: 'POST', cookie: guest.cookie })).status).toBe(200);
    expect((await t.request(`/invite/${invite.code}`)).status).toBe(200);
    const written = t.logs.lines.slice(before).join('');
    expect(written).not.toContain(invite.code);
    expect(written).toContain('"path":"/api/invites/[redacted]/accept"');
    expect(written).toContain('"path":"/invite/[redacted]"');
  });
});

describe('prototype keys in bodies', () => {
  // `details` was a plain object: `details.__proto__ ??= …` and `details.constructor ??= …` found the
  // inherited value and wrote nothing, so the 400 named no field at all.
  it.each(['__proto__', 'constructor', 'toString'])('%s is refused by name, and nothing is polluted', async (key) => {
    const res = await t.request('/api/groups', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"name":"Proto","${key}":{"isAdmin":true}}`,
      cookie: user.cookie,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, unknown> };
    expect(body.code).toBe('invalid_input');
    expect(Object.keys(body.details)).toEqual([key]);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});
