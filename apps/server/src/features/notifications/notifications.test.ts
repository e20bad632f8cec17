/**
 * In-app notifications: the list (all or unread), marking read (only one's own), the `notification`
 * live event delivered to that one user's sockets (a real server, real sockets, and across two
 * instances through a real redis-server), and the notifications the member endpoints create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { connect, startInstance, tempDir, type Instance, type LiveMessage } from '../../test/live-instances.ts';
import { startRedisServer, type TestRedis } from '../../test/processes.ts';

interface Notification {
  id: string;
  kind: string;
  groupId: string | null;
  date: string | null;
  title: string;
  body: string;
  url: string;
  createdAt: string;
  readAt: string | null;
}

let redis: TestRedis;
let a: Instance;
let b: Instance;
let dir: ReturnType<typeof tempDir>;
let owner: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  redis = await startRedisServer();
  dir = tempDir();
  a = await startInstance(dir.dir, { env: { REDIS_URL: redis.url }, nights: false, webhooks: false });
  b = await startInstance(dir.dir, { env: { REDIS_URL: redis.url }, nights: false, webhooks: false });
  [owner, alice, bob] = [await createUser(a), await createUser(a), await createUser(a)];
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  redis?.stop();
  dir?.remove();
});

async function list(u: TestUser, query = ''): Promise<Notification[]> {
  const res = await a.request(`/api/notifications${query}`, { cookie: u.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as Notification[];
}

async function nudgeNight() {
  const group = await createGroup(a, owner, { name: 'Nudgers', timezone: 'UTC' });
  await addMembers(a, group.id, owner, [alice, bob]);
  const day = openDay('UTC');
  const res = await a.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Anything', date: day }, cookie: owner.cookie });
  expect(res.status).toBe(201);
  return { group, day };
}

const isNotification = (m: LiveMessage) => m.type === 'notification';

describe('the notification live event', () => {
  it('reaches only the user it is for, on every socket of theirs on any instance, without a subscription', async () => {
    const { group, day } = await nudgeNight();
    const aliceOnB = await connect(b.wsUrl, { cookie: alice.cookie });
    const aliceOnA = await connect(a.wsUrl, { cookie: alice.cookie });
    const ownerOnB = await connect(b.wsUrl, { cookie: owner.cookie });
    await Promise.all([aliceOnA.sync(), aliceOnB.sync(), ownerOnB.sync()]);
    const res = await a.request(`/api/groups/${group.id}/nights/${day}/nudge`, { method: 'POST', cookie: owner.cookie });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { nudged: string[] }).nudged.sort()).toEqual([alice.id, bob.id].sort());

    const got = await aliceOnB.next(isNotification);
    expect(got).toMatchObject({
      type: 'notification',
      groupId: group.id,
      data: { kind: 'nudge', groupId: group.id, date: day, readAt: null },
    });
    expect(JSON.stringify(got)).not.toContain(bob.id);
    expect((await aliceOnA.next(isNotification)).data).toEqual(got.data);
    // The nudger's own socket on the same instance got nothing (barrier, not a timeout).
    await ownerOnB.sync();
    await aliceOnB.sync();
    expect(ownerOnB.received.filter(isNotification)).toHaveLength(0);
    expect(aliceOnB.received.filter(isNotification)).toHaveLength(1);
    for (const s of [aliceOnA, aliceOnB, ownerOnB]) s.close();
  });
});

describe('GET /api/notifications and POST /api/notifications/read', () => {
  it('lists one’s own notifications newest first, filters unread, and marks read by id or all', async () => {
    const { group, day } = await nudgeNight();
    expect((await a.request(`/api/groups/${group.id}/nights/${day}/nudge`, { method: 'POST', cookie: owner.cookie })).status).toBe(202);
    const mine = await list(bob);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((n) => n.kind === 'nudge')).toBe(true);
    expect([...mine].sort((x, y) => y.createdAt.localeCompare(x.createdAt)).map((n) => n.id)).toEqual(mine.map((n) => n.id));
    expect(mine[0]).toMatchObject({
      title: `${owner.username} is waiting for your vote`,
      url: expect.stringMatching(/^\/groups\/.+\?date=/),
    });
    expect(await list(owner)).toEqual([]);

    // Someone else's id changes nothing for them.
    const alices = await list(alice);
    const cross = await a.request('/api/notifications/read', { json: { ids: [alices[0]!.id] }, cookie: bob.cookie });
    expect(cross.status).toBe(204);
    expect((await list(alice))[0]!.readAt).toBeNull();

    const read = await a.request('/api/notifications/read', { json: { ids: [mine[0]!.id] }, cookie: bob.cookie });
    expect(read.status).toBe(204);
    const unread = await list(bob, '?unread=1');
    expect(unread.map((n) => n.id)).toEqual(mine.slice(1).map((n) => n.id));
    expect((await list(bob)).find((n) => n.id === mine[0]!.id)?.readAt).toEqual(expect.any(String));
    expect((await a.request('/api/notifications/read', { json: { all: true }, cookie: bob.cookie })).status).toBe(204);
    expect(await list(bob, '?unread=1')).toEqual([]);
  });

  it('validates the body and needs a session', async () => {
    for (const json of [{}, { ids: [] }, { all: false }, { ids: ['x'], all: true }, { ids: 'x' }, { all: true, extra: 1 }]) {
      const res = await a.request('/api/notifications/read', { json, cookie: bob.cookie });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_input' });
    }
    expect((await a.request('/api/notifications')).status).toBe(401);
    expect((await a.request('/api/notifications/read', { json: { all: true } })).status).toBe(401);
  });
});

describe('notifications from the member endpoints', () => {
  it('tells a member their role changed, and a removed member that they were removed (not one who leaves)', async () => {
    const group = await createGroup(a, owner, { name: 'Roles', timezone: 'UTC' });
    const carol = await createUser(a);
    const dave = await createUser(a);
    await addMembers(a, group.id, owner, [carol, dave]);
    const socket = await connect(b.wsUrl, { cookie: carol.cookie });
    await socket.sync();
    expect(
      (await a.request(`/api/groups/${group.id}/members/${carol.id}`, { method: 'PATCH', json: { role: 'admin' }, cookie: owner.cookie }))
        .status,
    ).toBe(200);
    expect((await socket.next(isNotification)).data).toMatchObject({
      kind: 'role_changed',
      groupId: group.id,
      title: 'You are now an admin of Roles',
    });
    expect((await a.request(`/api/groups/${group.id}/members/${carol.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await socket.next(isNotification)).data).toMatchObject({
      kind: 'removed_from_group',
      groupId: group.id,
      title: 'You were removed from Roles',
    });
    // The notification outlives the membership (and the group).
    expect((await a.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await list(carol)).map((n) => n.kind)).toEqual(['removed_from_group', 'role_changed']);
    expect((await a.request(`/api/groups/${group.id}/members/${dave.id}`, { method: 'DELETE', cookie: dave.cookie })).status).toBe(404);
    socket.close();
  });

  it('says nothing to someone who leaves', async () => {
    const group = await createGroup(a, owner, { name: 'Leaving', timezone: 'UTC' });
    const erin = await createUser(a);
    await addMembers(a, group.id, owner, [erin]);
    expect((await a.request(`/api/groups/${group.id}/members/${erin.id}`, { method: 'DELETE', cookie: erin.cookie })).status).toBe(204);
    expect(await list(erin)).toEqual([]);
  });
});
