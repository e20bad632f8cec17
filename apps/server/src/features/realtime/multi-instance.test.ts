/**
 * Two server instances sharing one database file and a real redis-server (started here on a free port,
 * stopped afterwards; `bash scripts/ensure-redis.sh` installs it when missing): a vote on instance A
 * reaches a browser on instance B, and revocations on A act on B's sockets at once.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { startRedisServer, type TestRedis } from '../../test/processes.ts';
import { connect, startInstance, tempDir, type Instance, type LiveMessage } from '../../test/live-instances.ts';

let redis: TestRedis;
let redisUrl: string;
let admin: Redis;
let a: Instance;
let b: Instance;
let cleanup: () => void;
let owner: TestUser;
let member: TestUser;

beforeAll(async () => {
  redis = await startRedisServer();
  redisUrl = redis.url;
  admin = new Redis(redisUrl);
  const tmp = tempDir();
  cleanup = tmp.remove;
  // Started one after the other: the second finds the schema migrated by the first.
  a = await startInstance(tmp.dir, { env: { REDIS_URL: redisUrl } });
  b = await startInstance(tmp.dir, { env: { REDIS_URL: redisUrl } });
  owner = await createUser(a);
  member = await createUser(b);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  admin?.disconnect();
  redis?.stop();
  cleanup?.();
});

const isEvent = (type: string, groupId: string) => (m: LiveMessage) => m.type === type && m.groupId === groupId;

async function sharedGroup() {
  const group = await createGroup(a, owner);
  await addMembers(a, group.id, owner, [member]);
  return group;
}

describe('live updates across instances (Redis hub)', () => {
  it('a vote through instance A reaches a member connected to instance B, exactly once everywhere', async () => {
    const group = await sharedGroup();
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    const onA = await connect(a.wsUrl, { cookie: owner.cookie });
    await onB.subscribe(group.id);
    await onA.subscribe(group.id);

    const res = await a.request(`/api/groups/${group.id}/suggestions`, {
      json: { gameName: 'Deep Rock Galactic', date: openDay() },
      cookie: owner.cookie,
    });
    const suggestionId = ((await res.json()) as { id: string }).id;
    // The suggestion is the owner's approval: take it back and give it again, through A.
    expect((await a.request(`/api/suggestions/${suggestionId}/votes`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await onB.next(isEvent('vote_updated', group.id))).data).toMatchObject({ suggestionId, votes: 0 });
    await onA.next(isEvent('vote_updated', group.id));
    expect((await a.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: owner.cookie })).status).toBe(201);

    const got = await onB.next(isEvent('vote_updated', group.id));
    expect(got.data).toMatchObject({ suggestionId, votes: 1, voters: [expect.objectContaining({ id: owner.id })] });
    await onA.next(isEvent('vote_updated', group.id));
    // A vote through B reaches A too, and nobody got anything twice.
    expect((await b.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: member.cookie })).status).toBe(201);
    expect((await onA.next(isEvent('vote_updated', group.id))).data).toMatchObject({ votes: 2 });
    await onB.next(isEvent('vote_updated', group.id));
    await onA.sync();
    await onB.sync();
    expect(onA.received.filter(isEvent('vote_updated', group.id))).toHaveLength(3);
    expect(onB.received.filter(isEvent('vote_updated', group.id))).toHaveLength(3);
    onA.close();
    onB.close();
  });

  it('removing a member through instance A stops delivery to their socket on instance B at once', async () => {
    const group = await sharedGroup();
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    const ownerOnB = await connect(b.wsUrl, { cookie: owner.cookie });
    await onB.subscribe(group.id);
    await ownerOnB.subscribe(group.id);
    expect((await a.request(`/api/groups/${group.id}/members/${member.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect(await onB.next((m) => m.type === 'error' && m.groupId === group.id)).toMatchObject({ code: 'not_found' });

    await a.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Valheim', date: openDay() }, cookie: owner.cookie });
    // The owner's socket on the same instance B got it: the dispatch to B's sockets has happened.
    await ownerOnB.next(isEvent('suggestion_created', group.id));
    await onB.sync();
    expect(onB.received.some(isEvent('suggestion_created', group.id))).toBe(false);
    onB.close();
    ownerOnB.close();
  });

  it('deleting a group through instance A delivers group_deleted on B, then drops the subscription there', async () => {
    const group = await sharedGroup();
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    await onB.subscribe(group.id);
    expect((await a.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    await onB.next(isEvent('group_deleted', group.id));
    expect(await onB.subscribe(group.id)).toMatchObject({ type: 'error', code: 'not_found' });
    onB.close();
  });

  it('signing out through instance A closes that session’s socket on instance B', async () => {
    const u = await createUser(a);
    const onB = await connect(b.wsUrl, { cookie: u.cookie });
    await onB.sync();
    expect((await a.request('/api/auth/logout', { method: 'POST', cookie: u.cookie })).status).toBe(204);
    expect((await onB.closed).code).toBe(4401);
  });

  it('drops malformed messages on the Redis channels and keeps delivering valid ones', async () => {
    const group = await sharedGroup();
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    await onB.subscribe(group.id);
    await admin.publish('qc:hub:events', 'not json');
    await admin.publish('qc:hub:events', JSON.stringify({ type: 'vote_updated' }));
    await admin.publish('qc:hub:control', JSON.stringify({ type: 'access_revoked', groupId: group.id }));
    await admin.publish('qc:hub:events', JSON.stringify({ type: 'group_updated', groupId: group.id, data: { name: 'ok' } }));
    expect((await onB.next(isEvent('group_updated', group.id))).data).toEqual({ name: 'ok' });
    expect(b.logs.text).toContain('redis hub event malformed');
    onB.close();
  });

  it('when an instance loses its Redis subscription, its sockets are told to reconnect (1012) and can', async () => {
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    await onB.sync();
    // Cut every pub/sub connection: both instances' subscribers reconnect and report a gap.
    await admin.client('KILL', 'TYPE', 'pubsub');
    expect((await onB.closed).code).toBe(1012);
    const again = await connect(b.wsUrl, { cookie: member.cookie });
    const group = await sharedGroup();
    await again.subscribe(group.id);
    await a.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Outer Wilds', date: openDay() }, cookie: owner.cookie });
    await again.next(isEvent('suggestion_created', group.id));
    again.close();
  });
});
