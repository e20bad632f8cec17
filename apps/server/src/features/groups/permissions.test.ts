/**
 * The permission matrix, generated from ONE table: every group route × owner / admin / member /
 * non-member / signed-out → the expected status. Each cell runs against a fresh group, so destructive
 * routes (delete, transfer, remove) do not affect the next cell. Every 403 must also leave a
 * `permission_denied` security event. Then cross-group IDOR attempts: ids of group B used through
 * group A, or by a non-member, are "not found" — with the very same answer as an unknown id.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { addDays } from '../../lib/time.ts';

type Actor = 'owner' | 'admin' | 'member' | 'nonMember' | 'anonymous';
const ACTORS: Actor[] = ['owner', 'admin', 'member', 'nonMember', 'anonymous'];

interface Fixture {
  groupId: string;
  inviteId: string;
  code: string;
  /** A suggestion by the target member (so the caller is never its suggester). */
  suggestionId: string;
  /** A suggestion every member of the group has already approved. */
  votedSuggestionId: string;
  targetId: string;
  /** A date whose night is open (the fixture's suggestions are on it). */
  day: string;
  /** A date whose night an admin has closed (before its start, so it can be reopened). */
  closedDay: string;
}

interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  expect: Record<Actor, number>;
}

// prettier-ignore
const MATRIX: RouteCase[] = [
  { name: 'create group',      method: 'POST',   path: () => '/api/groups', body: () => ({ name: 'New' }),          expect: { owner: 201, admin: 201, member: 201, nonMember: 201, anonymous: 401 } },
  { name: 'list groups',       method: 'GET',    path: () => '/api/groups',                                           expect: { owner: 200, admin: 200, member: 200, nonMember: 200, anonymous: 401 } },
  { name: 'group detail',      method: 'GET',    path: (f) => `/api/groups/${f.groupId}`,                             expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'edit group',        method: 'PATCH',  path: (f) => `/api/groups/${f.groupId}`, body: () => ({ name: 'Edited' }), expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'delete group',      method: 'DELETE', path: (f) => `/api/groups/${f.groupId}`,                             expect: { owner: 204, admin: 403, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'create invite',     method: 'POST',   path: (f) => `/api/groups/${f.groupId}/invites`, body: () => ({}),   expect: { owner: 201, admin: 201, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'list invites',      method: 'GET',    path: (f) => `/api/groups/${f.groupId}/invites`,                     expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'revoke invite',     method: 'DELETE', path: (f) => `/api/groups/${f.groupId}/invites/${f.inviteId}`,       expect: { owner: 204, admin: 204, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'preview invite',    method: 'GET',    path: (f) => `/api/invites/${f.code}`,                               expect: { owner: 200, admin: 200, member: 200, nonMember: 200, anonymous: 200 } },
  { name: 'accept invite',     method: 'POST',   path: (f) => `/api/invites/${f.code}/accept`,                        expect: { owner: 200, admin: 200, member: 200, nonMember: 200, anonymous: 401 } },
  { name: 'promote member',    method: 'PATCH',  path: (f) => `/api/groups/${f.groupId}/members/${f.targetId}`, body: () => ({ role: 'admin' }), expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'remove member',     method: 'DELETE', path: (f) => `/api/groups/${f.groupId}/members/${f.targetId}`,       expect: { owner: 204, admin: 204, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'transfer',          method: 'POST',   path: (f) => `/api/groups/${f.groupId}/transfer`, body: (f) => ({ userId: f.targetId }), expect: { owner: 200, admin: 403, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'suggest',           method: 'POST',   path: (f) => `/api/groups/${f.groupId}/suggestions`, body: (f) => ({ gameName: 'Matrix', date: f.day }), expect: { owner: 201, admin: 201, member: 201, nonMember: 404, anonymous: 401 } },
  { name: 'list suggestions',  method: 'GET',    path: (f) => `/api/groups/${f.groupId}/suggestions`,                 expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'delete suggestion', method: 'DELETE', path: (f) => `/api/suggestions/${f.suggestionId}`,                   expect: { owner: 204, admin: 204, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'vote',              method: 'POST',   path: (f) => `/api/suggestions/${f.suggestionId}/votes`,             expect: { owner: 201, admin: 201, member: 201, nonMember: 404, anonymous: 401 } },
  { name: 'unvote',            method: 'DELETE', path: (f) => `/api/suggestions/${f.votedSuggestionId}/votes`,        expect: { owner: 204, admin: 204, member: 204, nonMember: 404, anonymous: 401 } },
  { name: 'results',           method: 'GET',    path: (f) => `/api/groups/${f.groupId}/results`,                     expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'history',           method: 'GET',    path: (f) => `/api/groups/${f.groupId}/history`,                     expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'get night',         method: 'GET',    path: (f) => `/api/groups/${f.groupId}/nights/${f.day}`,             expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'list nights',       method: 'GET',    path: (f) => `/api/groups/${f.groupId}/nights`,                      expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'edit night',        method: 'PATCH',  path: (f) => `/api/groups/${f.groupId}/nights/${f.day}`, body: () => ({ status: 'cancelled' }), expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'close night',       method: 'POST',   path: (f) => `/api/groups/${f.groupId}/nights/${f.day}/close`,       expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'reopen night',      method: 'POST',   path: (f) => `/api/groups/${f.groupId}/nights/${f.closedDay}/reopen`, body: (f) => ({ closesAt: `${f.closedDay}T12:00:00Z` }), expect: { owner: 200, admin: 200, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'pick (no tie)',     method: 'POST',   path: (f) => `/api/groups/${f.groupId}/nights/${f.closedDay}/pick`, body: (f) => ({ suggestionId: f.suggestionId }), expect: { owner: 409, admin: 409, member: 403, nonMember: 404, anonymous: 401 } },
  { name: 'rsvp',              method: 'PUT',    path: (f) => `/api/groups/${f.groupId}/nights/${f.day}/rsvp`, body: () => ({ status: 'in' }), expect: { owner: 200, admin: 200, member: 200, nonMember: 404, anonymous: 401 } },
  { name: 'nudge',             method: 'POST',   path: (f) => `/api/groups/${f.groupId}/nights/${f.day}/nudge`,       expect: { owner: 202, admin: 202, member: 202, nonMember: 404, anonymous: 401 } },
];

let t: TestApp;
const users = {} as Record<'owner' | 'admin' | 'member' | 'nonMember' | 'target', TestUser>;

async function json<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`fixture step failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function freshFixture(): Promise<Fixture> {
  const { owner, admin, member, target } = users;
  const group = await createGroup(t, owner, { name: 'Matrix', timezone: 'UTC' });
  const day = openDay('UTC');
  const closedDay = addDays(day, 1);
  await addMembers(t, group.id, owner, [admin], 'admin');
  await addMembers(t, group.id, owner, [member, target]);
  const invite = await json<{ id: string; code: string }>(
    await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: owner.cookie }),
    201,
  );
  const suggestion = await json<{ id: string }>(
    await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Target game', date: day }, cookie: target.cookie }),
    201,
  );
  const voted = await json<{ id: string }>(
    await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Voted game', date: day }, cookie: target.cookie }),
    201,
  );
  for (const u of [owner, admin, member]) {
    await json(await t.request(`/api/suggestions/${voted.id}/votes`, { method: 'POST', cookie: u.cookie }), 201);
  }
  await json(await t.request(`/api/groups/${group.id}/nights/${closedDay}/close`, { method: 'POST', cookie: owner.cookie }), 200);
  return {
    day,
    closedDay,
    groupId: group.id,
    inviteId: invite.id,
    code: invite.code,
    suggestionId: suggestion.id,
    votedSuggestionId: voted.id,
    targetId: target.id,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const [owner, admin, member, nonMember, target] = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(t)));
  Object.assign(users, { owner, admin, member, nonMember, target });
});
afterAll(async () => {
  await t.close();
});

describe('permission matrix', () => {
  const cells = MATRIX.flatMap((route) => ACTORS.map((actor) => ({ route, actor, status: route.expect[actor] })));
  it.each(cells.map((c) => [c.route.name, c.actor, c.status, c] as const))(
    '%s as %s → %i',
    async (_n, _a, _s, { route, actor, status }) => {
      const f = await freshFixture();
      const user = actor === 'anonymous' ? undefined : users[actor];
      const body = route.body?.(f);
      const res = await t.request(route.path(f), {
        method: route.method,
        ...(body !== undefined ? { json: body } : {}),
        ...(user ? { cookie: user.cookie } : {}),
      });
      expect(res.status).toBe(status);
      if (status >= 400) {
        const err = (await res.json()) as { error: string; code: string };
        expect(typeof err.error).toBe('string');
        expect(err.code).toMatch(/^[a-z_]+$/);
      }
      if (status === 403) {
        const logged = await t.services.database.db
          .select()
          .from(schema.securityEvents)
          .where(
            and(
              eq(schema.securityEvents.type, 'permission_denied'),
              eq(schema.securityEvents.groupId, f.groupId),
              eq(schema.securityEvents.userId, user!.id),
            ),
          )
          .all();
        expect(logged.length).toBe(1);
      }
    },
  );
});

describe('cross-group IDOR', () => {
  it('treats ids of group B used through group A, or by non-members, as not found', async () => {
    const a = await freshFixture();
    // Group B belongs to someone else entirely.
    const [bOwner, bMember] = await Promise.all([createUser(t), createUser(t)]);
    const b = await createGroup(t, bOwner, { name: 'B' });
    await addMembers(t, b.id, bOwner, [bMember]);
    const bInvite = await json<{ id: string }>(await t.request(`/api/groups/${b.id}/invites`, { json: {}, cookie: bOwner.cookie }), 201);
    const bSuggestion = await json<{ id: string }>(
      await t.request(`/api/groups/${b.id}/suggestions`, { json: { gameName: 'B game', date: a.day }, cookie: bMember.cookie }),
      201,
    );
    const { owner } = users;
    const attempts: Array<[string, string, unknown?]> = [
      ['DELETE', `/api/groups/${a.groupId}/invites/${bInvite.id}`],
      ['PATCH', `/api/groups/${a.groupId}/members/${bMember.id}`, { role: 'admin' }],
      ['DELETE', `/api/groups/${a.groupId}/members/${bMember.id}`],
      ['POST', `/api/groups/${a.groupId}/transfer`, { userId: bMember.id }],
      ['DELETE', `/api/suggestions/${bSuggestion.id}`],
      ['POST', `/api/suggestions/${bSuggestion.id}/votes`],
      ['DELETE', `/api/suggestions/${bSuggestion.id}/votes`],
      ['GET', `/api/groups/${b.id}`],
      ['PATCH', `/api/groups/${b.id}`, { name: 'pwned' }],
      ['DELETE', `/api/groups/${b.id}`],
      ['GET', `/api/groups/${b.id}/invites`],
      ['POST', `/api/groups/${b.id}/invites`, {}],
      ['DELETE', `/api/groups/${b.id}/invites/${bInvite.id}`],
      ['PATCH', `/api/groups/${b.id}/members/${bMember.id}`, { role: 'admin' }],
      ['DELETE', `/api/groups/${b.id}/members/${bMember.id}`],
      ['POST', `/api/groups/${b.id}/transfer`, { userId: owner.id }],
      ['GET', `/api/groups/${b.id}/suggestions`],
      ['POST', `/api/groups/${b.id}/suggestions`, { gameName: 'sneaky', date: a.day }],
      ['GET', `/api/groups/${b.id}/results`],
      ['GET', `/api/groups/${b.id}/history`],
      ['GET', `/api/groups/${b.id}/nights/${a.day}`],
      ['GET', `/api/groups/${b.id}/nights`],
      ['PATCH', `/api/groups/${b.id}/nights/${a.day}`, { status: 'cancelled' }],
      ['POST', `/api/groups/${b.id}/nights/${a.day}/close`],
      ['POST', `/api/groups/${b.id}/nights/${a.day}/reopen`, { closesAt: `${a.day}T12:00:00Z` }],
      ['POST', `/api/groups/${b.id}/nights/${a.day}/pick`, { suggestionId: bSuggestion.id }],
      ['PUT', `/api/groups/${b.id}/nights/${a.day}/rsvp`, { status: 'in' }],
      ['POST', `/api/groups/${b.id}/nights/${a.day}/nudge`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await t.request(path, { method, ...(body !== undefined ? { json: body } : {}), cookie: owner.cookie });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    }
    // Nothing in B changed.
    const detail = (await (await t.request(`/api/groups/${b.id}`, { cookie: bOwner.cookie })).json()) as {
      name: string;
      members: Array<{ id: string; role: string }>;
    };
    expect(detail.name).toBe('B');
    expect(detail.members).toEqual([
      expect.objectContaining({ id: bOwner.id, role: 'owner' }),
      expect.objectContaining({ id: bMember.id, role: 'member' }),
    ]);
    const list = (await (await t.request(`/api/groups/${b.id}/suggestions?date=${a.day}`, { cookie: bOwner.cookie })).json()) as Array<{
      votes: number;
    }>;
    // Only the suggester's own approval; B's night is still open and untouched.
    expect(list).toEqual([expect.objectContaining({ id: bSuggestion.id, votes: 1 })]);
    const night = (await (await t.request(`/api/groups/${b.id}/nights/${a.day}`, { cookie: bOwner.cookie })).json()) as { status: string };
    expect(night.status).toBe('open');
  });

  it('answers a foreign suggestion id exactly like an unknown one', async () => {
    const [x, y] = await Promise.all([createUser(t), createUser(t)]);
    const gx = await createGroup(t, x);
    const s = await json<{ id: string }>(
      await t.request(`/api/groups/${gx.id}/suggestions`, { json: { gameName: 'Hidden', date: openDay() }, cookie: x.cookie }),
      201,
    );
    const foreign = await t.request(`/api/suggestions/${s.id}/votes`, { method: 'POST', cookie: y.cookie });
    const unknown = await t.request(`/api/suggestions/AAAAAAAAAAAAAAAAAAAAAA/votes`, { method: 'POST', cookie: y.cookie });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual(await unknown.json());
    const foreignGroup = await t.request(`/api/groups/${gx.id}`, { cookie: y.cookie });
    const unknownGroup = await t.request(`/api/groups/AAAAAAAAAAAAAAAAAAAAAA`, { cookie: y.cookie });
    expect(await foreignGroup.json()).toEqual(await unknownGroup.json());
  });
});
