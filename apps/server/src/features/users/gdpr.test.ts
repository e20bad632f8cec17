import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import type { ControlMessage, GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

let seq = 0;
/** Groups, memberships, suggestions and votes written straight to the tables (set-up only). */
async function group(name: string, members: Array<[TestUser, 'owner' | 'admin' | 'member']>) {
  const id = `g_${name}_${++seq}`;
  await t.services.database.write(async (tx) => {
    await tx.insert(schema.groups).values({ id, name, timezone: 'Pacific/Auckland' });
    let joined = Date.UTC(2026, 0, 1);
    for (const [u, role] of members) {
      await tx.insert(schema.memberships).values({ groupId: id, userId: u.id, role, joinedAt: new Date((joined += 60_000)) });
    }
  });
  return id;
}
async function suggest(groupId: string, by: TestUser, gameName: string) {
  const id = `s_${++seq}`;
  await t.services.database.write((tx) =>
    tx.insert(schema.suggestions).values({ id, groupId, day: '2026-11-26', gameName, gameKey: gameName.toLowerCase(), suggestedBy: by.id }),
  );
  return id;
}
async function vote(suggestionId: string, by: TestUser) {
  await t.services.database.write((tx) => tx.insert(schema.votes).values({ suggestionId, userId: by.id }));
}

describe('GET /api/users/me/export', () => {
  it("contains exactly the caller's data and only fellow members' usernames", async () => {
    const alice = await createUser(t, { username: 'alice_x' });
    const bob = await createUser(t, { username: 'bob_x' });
    const carol = await createUser(t, { username: 'carol_x' });
    const shared = await group('Shared night', [
      [alice, 'owner'],
      [bob, 'member'],
    ]);
    const other = await group('Not Alices group', [
      [bob, 'owner'],
      [carol, 'member'],
    ]);
    const mine = await suggest(shared, alice, 'Rocket League');
    const bobs = await suggest(shared, bob, 'Among Us');
    const carols = await suggest(other, carol, 'Secret Game Carol Likes');
    await vote(bobs, alice);
    await vote(mine, bob);
    await vote(carols, bob);

    const res = await t.request('/api/users/me/export', { cookie: alice.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="queuecrew-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const body = JSON.parse(text) as {
      profile: { id: string; email: string };
      memberships: Array<{ groupId: string; groupName: string; role: string; fellowMembers: string[] }>;
      suggestions: Array<{ id: string }>;
      votes: Array<{ suggestionId: string }>;
      sessions: Array<{ id: string }>;
      securityEvents: Array<{ type: string }>;
    };
    expect(body.profile.id).toBe(alice.id);
    expect(body.profile.email).toBe(alice.email);
    expect(body.memberships).toEqual([
      expect.objectContaining({ groupId: shared, groupName: 'Shared night', role: 'owner', fellowMembers: ['bob_x'] }),
    ]);
    expect(body.suggestions.map((s) => s.id)).toEqual([mine]);
    expect(body.votes.map((v) => v.suggestionId)).toEqual([bobs]);
    expect(body.sessions).toHaveLength(1);
    expect(body.securityEvents.map((e) => e.type)).toContain('register');
    // Nothing about anyone else beyond a fellow member's username; no secrets.
    for (const forbidden of [
      bob.id,
      bob.email,
      carol.id,
      carol.email,
      'carol_x',
      'Not Alices group',
      'Secret Game',
      'password',
      'argon2',
      alice.refreshToken,
    ]) {
      expect(text).not.toContain(forbidden);
    }
    const bobsExport = await (await t.request('/api/users/me/export', { cookie: bob.cookie })).json();
    expect(JSON.stringify(bobsExport)).not.toContain(alice.email);

    // The export itself is recorded in the caller's activity.
    const act = (await (await t.request('/api/users/me/activity', { cookie: alice.cookie })).json()) as Array<{ type: string }>;
    expect(act[0]!.type).toBe('account_exported');
  });

  it('needs a signed-in caller', async () => {
    expect((await t.request('/api/users/me/export')).status).toBe(401);
  });
});

describe('DELETE /api/users/me', () => {
  it('refuses without the exact username, and changes nothing', async () => {
    const alice = await createUser(t, { username: 'alice_keep' });
    const wrong = await t.request('/api/users/me', { method: 'DELETE', json: { confirm: 'ALICE_KEEP' }, cookie: alice.cookie });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { code: string }).code).toBe('confirmation_mismatch');
    expect((await t.request('/api/users/me', { method: 'DELETE', json: {}, cookie: alice.cookie })).status).toBe(400);
    expect(
      (await t.request('/api/users/me', { method: 'DELETE', json: { confirm: 'alice_keep', x: 1 }, cookie: alice.cookie })).status,
    ).toBe(400);
    expect((await t.request('/api/users/me', { cookie: alice.cookie })).status).toBe(200);
  });

  it('revokes access, hands over groups, removes votes, anonymises suggestions, keeps history consistent', async () => {
    const alice = await createUser(t, { username: 'alice_del' });
    const bob = await createUser(t, { username: 'bob_del' });
    const dave = await createUser(t, { username: 'dave_del' });
    const erin = await createUser(t, { username: 'erin_del' });
    // bob joined before dave, but dave is an admin: the admin inherits.
    const g1 = await group('With admin', [
      [alice, 'owner'],
      [bob, 'member'],
      [dave, 'admin'],
    ]);
    // Only members left: the longest-standing member inherits.
    const g2 = await group('Members only', [
      [alice, 'owner'],
      [erin, 'member'],
      [bob, 'member'],
    ]);
    const g3 = await group('Alone', [[alice, 'owner']]);
    const g4 = await group('Bobs', [
      [bob, 'owner'],
      [alice, 'member'],
    ]);
    const alicesSuggestion = await suggest(g1, alice, 'Valheim');
    const bobsSuggestion = await suggest(g1, bob, 'Deep Rock');
    await vote(alicesSuggestion, bob);
    await vote(alicesSuggestion, alice);
    await vote(bobsSuggestion, alice);
    await vote(bobsSuggestion, dave);
    const lonely = await suggest(g3, alice, 'Solitaire');
    // An older event from a real address, to check truncation.
    await t.services.database.write((tx) =>
      tx
        .insert(schema.securityEvents)
        .values({ type: 'login_succeeded', userId: alice.id, subject: 'x', ip: '203.0.113.77', userAgent: 'Firefox' }),
    );

    const events: GroupEvent[] = [];
    const controls: ControlMessage[] = [];
    t.services.hub.onEvent((e) => events.push(e));
    t.services.hub.onControl((m) => controls.push(m));

    const res = await t.request('/api/users/me', { method: 'DELETE', json: { confirm: 'alice_del' }, bearer: alice.accessToken });
    expect(res.status).toBe(204);
    // Her token, cookie and refresh token are dead.
    expect((await t.request('/api/users/me', { bearer: alice.accessToken })).status).toBe(401);
    expect((await t.request('/api/users/me', { cookie: alice.cookie })).status).toBe(401);
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: alice.cookie })).status).toBe(401);

    const { db } = t.services.database;
    const roles = async (g: string) =>
      Object.fromEntries(
        (await db.select().from(schema.memberships).where(eq(schema.memberships.groupId, g))).map((m) => [m.userId, m.role]),
      );
    expect(await roles(g1)).toEqual({ [bob.id]: 'member', [dave.id]: 'owner' });
    expect(await roles(g2)).toEqual({ [erin.id]: 'owner', [bob.id]: 'member' });
    expect(await db.select().from(schema.groups).where(eq(schema.groups.id, g3))).toEqual([]);
    expect(await db.select().from(schema.suggestions).where(eq(schema.suggestions.id, lonely))).toEqual([]);
    expect(await roles(g4)).toEqual({ [bob.id]: 'owner' });

    // Her suggestion stays, without author, with bob's vote; her votes are gone; others' votes stay.
    const s = await db.select().from(schema.suggestions).where(eq(schema.suggestions.id, alicesSuggestion)).get();
    expect(s?.suggestedBy).toBeNull();
    const votesLeft = await db.select().from(schema.votes);
    expect(votesLeft.map((v) => `${v.suggestionId}:${v.userId}`).sort()).toEqual(
      [`${alicesSuggestion}:${bob.id}`, `${bobsSuggestion}:${dave.id}`].sort(),
    );
    expect(await db.select().from(schema.users).where(eq(schema.users.id, alice.id))).toEqual([]);
    expect(await db.select().from(schema.sessions).where(eq(schema.sessions.userId, alice.id))).toEqual([]);

    // The audit trail keeps her events, pseudonymised; nothing points at her id any more.
    const trail = await db.select().from(schema.securityEvents);
    expect(trail.filter((e) => e.userId === alice.id)).toEqual([]);
    expect(trail.some((e) => e.ip === '203.0.113.0' && e.type === 'login_succeeded' && e.userAgent === null)).toBe(true);
    expect(trail.some((e) => e.ip === '203.0.113.77')).toBe(false);
    expect(trail.filter((e) => e.type === 'account_deleted')).toHaveLength(1);

    // Fellow members' history reads back fine through the API (bob's own export still works).
    const bobsExport = (await (await t.request('/api/users/me/export', { cookie: bob.cookie })).json()) as {
      memberships: Array<{ groupId: string; fellowMembers: string[] }>;
    };
    expect(bobsExport.memberships.find((m) => m.groupId === g1)?.fellowMembers).toEqual(['dave_del']);

    // Live updates after the commit: members told, subscriptions dropped.
    expect(
      events
        .filter((e) => e.type === 'member_left')
        .map((e) => e.groupId)
        .sort(),
    ).toEqual([g1, g2, g4].sort());
    expect(events).toContainEqual({ type: 'member_updated', groupId: g1, data: expect.objectContaining({ id: dave.id, role: 'owner' }) });
    expect(events).toContainEqual({ type: 'group_deleted', groupId: g3, data: { groupId: g3 } });
    expect(events).toContainEqual({
      type: 'vote_updated',
      groupId: g1,
      data: { suggestionId: bobsSuggestion, votes: 1, voters: [{ id: dave.id, username: 'dave_del', avatarUrl: null }] },
    });
    for (const g of [g1, g2, g4]) expect(controls).toContainEqual({ type: 'access_revoked', groupId: g, userId: alice.id });
    expect(controls).toContainEqual({ type: 'user_sessions_revoked', userId: alice.id });
  });
});

describe('GET /api/users/me/activity', () => {
  it('lists only the caller’s events, newest first, paged', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    for (let i = 0; i < 3; i++) {
      const r = await t.request('/api/auth/login', { json: { email: alice.email, password: alice.password } });
      expect(r.status).toBe(200);
    }
    await t.request('/api/auth/login', { json: { email: bob.email, password: 'wrong password here' } });
    const res = await t.request('/api/users/me/activity?limit=2', { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Array<{ type: string; at: string; ip: string | null; userAgent: string | null }>;
    expect(page).toHaveLength(2);
    expect(Object.keys(page[0]!).sort()).toEqual(['at', 'ip', 'type', 'userAgent']);
    expect(page.every((e) => e.type === 'login_succeeded')).toBe(true);
    const all = (await (await t.request('/api/users/me/activity', { cookie: alice.cookie })).json()) as Array<{ type: string; at: string }>;
    expect(all.map((e) => e.type)).toEqual(['login_succeeded', 'login_succeeded', 'login_succeeded', 'register']);
    expect([...all].sort((a, b) => b.at.localeCompare(a.at))).toEqual(all);
    const older = (await (
      await t.request(`/api/users/me/activity?before=${encodeURIComponent(all[3]!.at)}`, { cookie: alice.cookie })
    ).json()) as unknown[];
    expect(older).toEqual([]);
    for (const bad of ['limit=0', 'limit=500', 'limit=abc', 'before=yesterday', 'other=1']) {
      const r = await t.request(`/api/users/me/activity?${bad}`, { cookie: alice.cookie });
      expect(r.status, bad).toBe(400);
    }
  });
});
