/**
 * Property-based fuzzing (fast-check) of every route of groups, invites and suggestions: random
 * bodies, path parameters and query strings never produce a 5xx, and every error uses the one format
 * `{error, code, details?}`. The caller owns the group, so inputs reach the deepest validation.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';

const RUNS = 60;
let t: TestApp;
let owner: TestUser;
let member: TestUser;
let groupId: string;
let suggestionId: string;
let inviteId: string;
let code: string;

beforeAll(async () => {
  t = await createTestApp();
  [owner, member] = await Promise.all([createUser(t), createUser(t)]);
  groupId = (await createGroup(t, owner, { name: 'Fuzz' })).id;
  await addMembers(t, groupId, owner, [member]);
  const inv = (await (await t.request(`/api/groups/${groupId}/invites`, { json: {}, cookie: owner.cookie })).json()) as {
    id: string;
    code: string;
  };
  inviteId = inv.id;
  code = inv.code;
  const s = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName: 'Seed', date: openDay() }, cookie: member.cookie });
  suggestionId = ((await s.json()) as { id: string }).id;
});
afterAll(async () => {
  await t.close();
});

async function expectWellFormed(res: Response, label: string) {
  expect(res.status, label).toBeLessThan(500);
  if (res.status >= 400) {
    const body = (await res.json()) as { error?: unknown; code?: unknown };
    expect(typeof body.error, label).toBe('string');
    expect(typeof body.code, label).toBe('string');
    expect(JSON.stringify(body), label).not.toMatch(/SQLITE|drizzle|at \/|\.ts:\d/);
  } else {
    await res.arrayBuffer();
  }
}

/** Strings that have broken servers before, plus anything fast-check makes up. */
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '%',
    '%FF',
    '%00',
    '..',
    '../..',
    "' OR 1=1 --",
    '"; DROP TABLE groups; --',
    '<script>alert(1)</script>',
    '\u0000',
    '\u202e',
    '🎮'.repeat(50),
    'a'.repeat(5000),
    '2026-02-30',
    '9999-12-31',
    '0000-01-01',
    '-1',
    'null',
    '[]',
    '{}',
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

const BODY_ROUTES: Array<{ label: string; method: string; path: () => string; keys: string[] }> = [
  { label: 'POST /api/groups', method: 'POST', path: () => '/api/groups', keys: ['name', 'description', 'timezone'] },
  {
    label: 'PATCH /api/groups/:groupId',
    method: 'PATCH',
    path: () => `/api/groups/${groupId}`,
    keys: ['name', 'description', 'timezone', 'discordWebhookUrl'],
  },
  {
    label: 'POST /api/groups/:groupId/invites',
    method: 'POST',
    path: () => `/api/groups/${groupId}/invites`,
    keys: ['expiresInHours', 'maxUses'],
  },
  {
    label: 'PATCH /api/groups/:groupId/members/:userId',
    method: 'PATCH',
    path: () => `/api/groups/${groupId}/members/${member.id}`,
    keys: ['role'],
  },
  { label: 'POST /api/groups/:groupId/transfer', method: 'POST', path: () => `/api/groups/${groupId}/transfer`, keys: ['userId'] },
  {
    label: 'POST /api/groups/:groupId/suggestions',
    method: 'POST',
    path: () => `/api/groups/${groupId}/suggestions`,
    keys: ['gameName', 'date'],
  },
  {
    label: 'PATCH /api/groups/:groupId (night defaults)',
    method: 'PATCH',
    path: () => `/api/groups/${groupId}`,
    keys: ['nightDefaults'],
  },
  {
    label: 'PATCH /api/groups/:groupId/nights/:date',
    method: 'PATCH',
    path: () => `/api/groups/${groupId}/nights/${openDay()}`,
    keys: ['startsAt', 'closesAt', 'status'],
  },
  {
    label: 'POST /api/groups/:groupId/nights/:date/reopen',
    method: 'POST',
    path: () => `/api/groups/${groupId}/nights/${openDay()}/reopen`,
    keys: ['closesAt'],
  },
  {
    label: 'POST /api/groups/:groupId/nights/:date/pick',
    method: 'POST',
    path: () => `/api/groups/${groupId}/nights/${openDay()}/pick`,
    keys: ['suggestionId'],
  },
  {
    label: 'PUT /api/groups/:groupId/nights/:date/rsvp',
    method: 'PUT',
    path: () => `/api/groups/${groupId}/nights/${openDay()}/rsvp`,
    keys: ['status'],
  },
  { label: 'POST /api/notifications/read', method: 'POST', path: () => '/api/notifications/read', keys: ['ids', 'all'] },
];

const PATH_ROUTES: Array<{ method: string; path: (x: string) => string }> = [
  { method: 'GET', path: (x) => `/api/groups/${x}` },
  { method: 'PATCH', path: (x) => `/api/groups/${x}` },
  { method: 'DELETE', path: (x) => `/api/groups/${x}` },
  { method: 'POST', path: (x) => `/api/groups/${x}/invites` },
  { method: 'GET', path: (x) => `/api/groups/${x}/invites` },
  { method: 'DELETE', path: (x) => `/api/groups/${groupId}/invites/${x}` },
  { method: 'GET', path: (x) => `/api/invites/${x}` },
  { method: 'POST', path: (x) => `/api/invites/${x}/accept` },
  { method: 'PATCH', path: (x) => `/api/groups/${groupId}/members/${x}` },
  { method: 'DELETE', path: (x) => `/api/groups/${groupId}/members/${x}` },
  { method: 'POST', path: (x) => `/api/groups/${x}/transfer` },
  { method: 'POST', path: (x) => `/api/groups/${x}/suggestions` },
  { method: 'GET', path: (x) => `/api/groups/${x}/suggestions` },
  { method: 'DELETE', path: (x) => `/api/suggestions/${x}` },
  { method: 'POST', path: (x) => `/api/suggestions/${x}/votes` },
  { method: 'DELETE', path: (x) => `/api/suggestions/${x}/votes` },
  { method: 'GET', path: (x) => `/api/groups/${x}/results` },
  { method: 'GET', path: (x) => `/api/groups/${x}/history` },
  { method: 'GET', path: (x) => `/api/groups/${groupId}/nights/${x}` },
  { method: 'GET', path: (x) => `/api/groups/${x}/nights` },
  { method: 'POST', path: (x) => `/api/groups/${groupId}/nights/${x}/close` },
  { method: 'POST', path: (x) => `/api/groups/${groupId}/nights/${x}/nudge` },
];

/** A plausible body for path fuzzing, so that the path, not the body, is what is tested. */
function bodyFor(method: string, path: string): unknown {
  if (method === 'GET' || method === 'DELETE' || path.endsWith('/accept') || path.endsWith('/votes')) return undefined;
  if (path.endsWith('/close') || path.endsWith('/nudge')) return undefined;
  if (path.includes('/members/')) return { role: 'member' };
  if (path.endsWith('/transfer')) return { userId: 'nobody' };
  if (path.endsWith('/suggestions')) return { gameName: 'Fuzzed' };
  if (path.endsWith('/invites')) return {};
  return { description: 'fuzz' };
}

describe('fuzzing never yields a 5xx', () => {
  it.each(BODY_ROUTES.map((r) => [r.label, r] as const))('bodies of %s', async (_label, route) => {
    const known = fc.constantFrom(...route.keys, 'role', 'ownerId', 'userId', 'groupId', '__proto__', 'constructor');
    const body = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(known, fc.oneof(fc.jsonValue(), nasty), { maxKeys: 4 }),
      fc.record(Object.fromEntries(route.keys.map((k) => [k, fc.oneof(nasty, fc.jsonValue())])), { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const res = await t.request(route.path(), { method: route.method, json, cookie: owner.cookie });
        await expectWellFormed(res, `${route.method} ${JSON.stringify(json).slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
    // Raw text that is not valid JSON at all.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (raw) => {
        const res = await t.request(route.path(), {
          method: route.method,
          body: raw,
          headers: { 'content-type': 'application/json' },
          cookie: owner.cookie,
        });
        await expectWellFormed(res, `${route.method} raw ${raw.slice(0, 100)}`);
      }),
      { numRuns: 20 },
    );
  });

  it.each(PATH_ROUTES.map((r) => [`${r.method} ${r.path(':x').replace('undefined', ':groupId')}`, r] as const))(
    'path params of %s',
    async (_label, route) => {
      await fc.assert(
        fc.asyncProperty(nasty, fc.boolean(), async (raw, encode) => {
          // Both properly encoded values and raw ones (the router must cope with bad percent-escapes).
          const segment = encode ? encodeURIComponent(raw) : raw.replace(/[/?#\s]/g, '_');
          if (segment === '' || segment === '.' || segment === '..') return;
          const path = route.path(segment);
          const json = bodyFor(route.method, path);
          let res: Response;
          try {
            res = await t.request(path, { method: route.method, ...(json !== undefined ? { json } : {}), cookie: owner.cookie });
          } catch (e) {
            // Only a URL that the WHATWG parser itself rejects may fail before reaching the server.
            expect(e).toBeInstanceOf(TypeError);
            return;
          }
          await expectWellFormed(res, `${route.method} ${path.slice(0, 200)}`);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it.each([
    ['suggestions', ['date']],
    ['results', ['date']],
    ['history', ['from', 'to']],
    ['nights', ['from', 'to']],
  ] as const)('query of %s', async (endpoint, keys) => {
    const query = fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 })), nasty, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (q, repeat) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) {
          params.append(k, v);
          if (repeat) params.append(k, v);
        }
        const res = await t.request(`/api/groups/${groupId}/${endpoint}?${params.toString()}`, { cookie: member.cookie });
        await expectWellFormed(res, `${endpoint}?${params.toString().slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves the seed data intact and usable', async () => {
    const res = await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: member.cookie });
    expect([201, 409]).toContain(res.status);
    expect((await t.request(`/api/invites/${code}`, { cookie: member.cookie })).status).toBe(200);
    expect((await t.request(`/api/groups/${groupId}/invites`, { cookie: owner.cookie })).status).toBe(200);
    expect(inviteId).toBeTruthy();
  });
});
