/**
 * Live updates over real sockets on a real port (startServer), with real users, groups and votes made
 * through the HTTP API. Non-delivery is asserted with a barrier (`sync()`), never with a timeout.
 */
import fc from 'fast-check';
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { createUser, login, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { TEST_ORIGIN } from '../../test/create-test-app.ts';
import { connect, refusedStatus, startInstance, tempDir, type Instance, type LiveMessage } from '../../test/live-instances.ts';

let t: Instance;
/** A second instance over the same database with a short sweep: only it re-checks sessions/memberships quickly. */
let sweeper: Instance;
let cleanup: () => void;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  const tmp = tempDir();
  cleanup = tmp.remove;
  // A low subscription cap to reach it in a test. The sweep stays
  // at its default (60 s) here, so revocations seen on `t` prove the control messages, not the sweep.
  t = await startInstance(tmp.dir, { realtime: { maxSubscriptionsPerSocket: 2 } });
  // (also a generous message rate, so the fuzz test exercises parsing rather than the rate limiter)
  sweeper = await startInstance(tmp.dir, { realtime: { sweepMs: 200, messageBurst: 1000, messagesPerSecond: 1000 } });
  [owner, member, outsider] = [await createUser(t), await createUser(t), await createUser(t)];
});

afterAll(async () => {
  await sweeper?.stop();
  await t.stop();
  cleanup();
});

async function groupWithMember() {
  const group = await createGroup(t, owner);
  await addMembers(t, group.id, owner, [member]);
  return group;
}

async function suggest(groupId: string, user: TestUser, gameName: string): Promise<string> {
  const res = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: openDay() }, cookie: user.cookie });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const isEvent = (type: string, groupId: string) => (m: LiveMessage) => m.type === type && m.groupId === groupId;

describe('GET /api/ws: delivery', () => {
  it('counts open sockets in the activeSockets gauge', async () => {
    // First test of the file: no socket was opened before.
    const gauge = async () => (await t.running.services.metrics.activeSockets.get()).values[0]?.value ?? 0;
    const before = await gauge();
    expect(before).toBe(0);
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.sync();
    expect(await gauge()).toBe(1);
    socket.close();
    await socket.closed;
    await expect.poll(gauge).toBe(0);
  });

  it('a vote by one member reaches another member as vote_updated with the right counts', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    expect(await socket.subscribe(group.id)).toEqual({ type: 'subscribed', groupId: group.id });

    const suggestionId = await suggest(group.id, owner, 'Rocket League');
    const created = await socket.next(isEvent('suggestion_created', group.id));
    // The suggestion is its suggester's approval.
    expect(created.data).toMatchObject({
      id: suggestionId,
      gameName: 'Rocket League',
      votes: 1,
      voters: [expect.objectContaining({ id: owner.id })],
    });

    expect((await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    const first = await socket.next(isEvent('vote_updated', group.id));
    expect(first.data).toMatchObject({ suggestionId, votes: 0, voters: [] });
    expect((await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: owner.cookie })).status).toBe(201);
    expect((await socket.next(isEvent('vote_updated', group.id))).data).toMatchObject({
      suggestionId,
      votes: 1,
      voters: [expect.objectContaining({ id: owner.id })],
    });

    expect((await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: member.cookie })).status).toBe(201);
    const second = await socket.next(isEvent('vote_updated', group.id));
    expect(second.data).toMatchObject({ suggestionId, votes: 2 });
    expect((second.data as { voters: { id: string }[] }).voters.map((v) => v.id).sort()).toEqual([owner.id, member.id].sort());
    socket.close();
  });

  it('events of other groups are not delivered, and unsubscribe stops delivery', async () => {
    const mine = await groupWithMember();
    const other = await createGroup(t, owner);
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.subscribe(mine.id);
    await suggest(other.id, owner, 'Hades');
    await suggest(mine.id, owner, 'Celeste');
    const got = await socket.next(isEvent('suggestion_created', mine.id));
    expect((got.data as { gameName: string }).gameName).toBe('Celeste');
    expect(socket.received.some((m) => m.groupId === other.id)).toBe(false);

    socket.send({ type: 'unsubscribe', groupId: mine.id });
    await socket.next((m) => m.type === 'unsubscribed' && m.groupId === mine.id);
    await suggest(mine.id, owner, 'Tetris');
    await socket.sync();
    expect(socket.received.filter(isEvent('suggestion_created', mine.id))).toHaveLength(1);
    socket.close();
  });
});

describe('GET /api/ws: who may connect and subscribe', () => {
  it('refuses a foreign Origin (403), even with a valid session cookie, without opening a socket', async () => {
    expect(await refusedStatus(t.wsUrl, { cookie: member.cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(t.wsUrl, { cookie: member.cookie, origin: 'http://localhost:3000.evil.example' })).toBe(403);
    expect(t.logs.text).toContain('ws_origin_refused');
  });

  it('refuses a cookie-authenticated upgrade without Origin (only bearer clients may omit it)', async () => {
    expect(await refusedStatus(t.wsUrl, { cookie: member.cookie, origin: null })).toBe(403);
  });

  it('refuses an unauthenticated upgrade (401): no cookie, or a forged token', async () => {
    expect(await refusedStatus(t.wsUrl, {})).toBe(401);
    expect(await refusedStatus(t.wsUrl, { cookie: 'qc_access=not.a.jwt' })).toBe(401);
    expect(await refusedStatus(t.wsUrl, { origin: null, protocols: ['queuecrew', 'bearer.eyJhbGciOiJub25lIn0.e30.'] })).toBe(401);
  });

  it('limits (re)connections per user (429, shared limiter) when rate limits are on', async () => {
    const limited = await startInstance(t.dir, { env: { RATE_LIMITS: 'on' } });
    try {
      for (let i = 0; i < 60; i += 1) {
        const s = await connect(limited.wsUrl, { cookie: outsider.cookie });
        s.close();
        await s.closed;
      }
      expect(await refusedStatus(limited.wsUrl, { cookie: outsider.cookie })).toBe(429);
      // Another user is not affected.
      const other = await connect(limited.wsUrl, { cookie: member.cookie });
      other.close();
    } finally {
      await limited.stop();
    }
  });

  it('answers a plain GET with 426 and the error format', async () => {
    const res = await t.request('/api/ws', { cookie: member.cookie });
    expect(res.status).toBe(426);
    expect(await res.json()).toMatchObject({ code: 'upgrade_required' });
  });

  it('accepts a bearer subprotocol without Origin and echoes only "queuecrew"', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { origin: null, protocols: ['queuecrew', `bearer.${member.accessToken}`] });
    expect(socket.ws.protocol).toBe('queuecrew');
    expect(await socket.subscribe(group.id)).toMatchObject({ type: 'subscribed' });
    socket.close();
    // A bearer offered without our protocol name is refused rather than echoed back.
    expect(await refusedStatus(t.wsUrl, { origin: null, protocols: [`bearer.${member.accessToken}`] })).toBe(400);
  });

  it('accepts an Authorization: Bearer header without Origin (non-browser client)', async () => {
    const socket = await connect(t.wsUrl, { origin: null, headers: { authorization: `Bearer ${member.accessToken}` } });
    await socket.sync();
    socket.close();
    expect(await refusedStatus(t.wsUrl, { origin: null, headers: { authorization: 'Bearer forged' } })).toBe(401);
  });

  it('a non-member and an unknown group get not_found, and the socket stays usable', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: outsider.cookie });
    expect(await socket.subscribe(group.id)).toMatchObject({ type: 'error', code: 'not_found', groupId: group.id });
    expect(await socket.subscribe('no-such-group')).toMatchObject({ type: 'error', code: 'not_found' });
    // Nothing of the group reaches the outsider.
    await suggest(group.id, owner, 'Stardew Valley');
    await socket.sync();
    expect(socket.received.some((m) => m.type === 'suggestion_created')).toBe(false);
    socket.close();
  });
});

describe('GET /api/ws: losing access', () => {
  it('a removed member stops receiving the group events at once', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.subscribe(group.id);
    expect((await t.request(`/api/groups/${group.id}/members/${member.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect(await socket.next((m) => m.type === 'error' && m.groupId === group.id)).toMatchObject({ code: 'not_found' });

    await suggest(group.id, owner, 'Portal 2');
    await socket.sync();
    expect(socket.received.some(isEvent('suggestion_created', group.id))).toBe(false);
    // And cannot come back by subscribing again.
    expect(await socket.subscribe(group.id)).toMatchObject({ type: 'error', code: 'not_found' });
    socket.close();
  });

  it('a member who leaves stops receiving the group events', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.subscribe(group.id);
    expect((await t.request(`/api/groups/${group.id}/members/${member.id}`, { method: 'DELETE', cookie: member.cookie })).status).toBe(204);
    await socket.next((m) => m.type === 'error' && m.groupId === group.id);
    await suggest(group.id, owner, 'Factorio');
    await socket.sync();
    expect(socket.received.some(isEvent('suggestion_created', group.id))).toBe(false);
    socket.close();
  });

  it('a deleted group delivers group_deleted, then nothing; the subscription is gone', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.subscribe(group.id);
    expect((await t.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    await socket.next(isEvent('group_deleted', group.id));
    expect(await socket.subscribe(group.id)).toMatchObject({ type: 'error', code: 'not_found' });
    socket.close();
  });

  it('a membership removed behind the app’s back is caught by the periodic re-check', async () => {
    const group = await groupWithMember();
    const socket = await connect(sweeper.wsUrl, { cookie: member.cookie });
    await socket.subscribe(group.id);
    // Written behind the app's back: no control message, only the sweep against the database can notice.
    await t.running.services.database.write((tx) =>
      tx
        .delete(schema.memberships)
        .where(eq(schema.memberships.userId, member.id))
        .then(() => undefined),
    );
    expect(await socket.next((m) => m.type === 'error' && m.groupId === group.id)).toMatchObject({ code: 'not_found' });
    socket.close();
    await addMembers(t, group.id, owner, [member]);
  });
});

describe('GET /api/ws: sessions', () => {
  it('signing out closes that session’s socket with 4401', async () => {
    const u = await createUser(t);
    const socket = await connect(t.wsUrl, { cookie: u.cookie });
    await socket.sync();
    expect((await t.request('/api/auth/logout', { method: 'POST', cookie: u.cookie })).status).toBe(204);
    expect((await socket.closed).code).toBe(4401);
  });

  it('"sign out everywhere else" closes the other sessions’ sockets and keeps the current one', async () => {
    const u = await createUser(t);
    const { cookie: otherCookie } = await login(t, u.email, u.password);
    const current = await connect(t.wsUrl, { cookie: u.cookie });
    const elsewhere = await connect(t.wsUrl, { cookie: otherCookie });
    expect((await t.request('/api/auth/sessions', { method: 'DELETE', cookie: u.cookie })).status).toBe(204);
    expect((await elsewhere.closed).code).toBe(4401);
    await current.sync();
    current.close();
  });

  it('changing the password closes the other sessions’ sockets', async () => {
    const u = await createUser(t);
    const { cookie: otherCookie } = await login(t, u.email, u.password);
    const current = await connect(t.wsUrl, { cookie: u.cookie });
    const elsewhere = await connect(t.wsUrl, { cookie: otherCookie });
    const res = await t.request('/api/auth/password', {
      json: { currentPassword: u.password, newPassword: 'a brand new passphrase 77' },
      cookie: u.cookie,
    });
    expect(res.status).toBe(204);
    expect((await elsewhere.closed).code).toBe(4401);
    await current.sync();
    current.close();
  });

  it('presenting a rotated refresh token again (theft) closes that session’s socket', async () => {
    const u = await createUser(t);
    const socket = await connect(t.wsUrl, { cookie: u.cookie });
    await socket.sync();
    const stolen = `qc_refresh=${u.refreshToken}`;
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: stolen })).status).toBe(200);
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: stolen })).status).toBe(401);
    expect((await socket.closed).code).toBe(4401);
  });

  it('a session revoked directly in the database is closed by the periodic re-check', async () => {
    const u = await createUser(t);
    const socket = await connect(sweeper.wsUrl, { cookie: u.cookie });
    await socket.sync();
    await t.running.services.database.write((tx) =>
      tx
        .update(schema.sessions)
        .set({ revokedAt: new Date(), revokedReason: 'test' })
        .where(eq(schema.sessions.userId, u.id))
        .then(() => undefined),
    );
    expect((await socket.closed).code).toBe(4401);
  });
});

describe('GET /api/ws: bad input never hurts', () => {
  it('answers bad messages with bad_request and keeps the socket usable', async () => {
    const group = await groupWithMember();
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    const bad = [
      'not json',
      '{"type":"subscribe"',
      '42',
      'null',
      '[]',
      '{"type":"dance","groupId":"x"}',
      '{"type":"subscribe"}',
      '{"type":"subscribe","groupId":42}',
      '{"type":"subscribe","groupId":"../../etc"}',
      JSON.stringify({ type: 'subscribe', groupId: group.id, role: 'owner' }),
      '{"__proto__":{"polluted":true},"type":"subscribe","groupId":"x"}',
    ];
    for (const message of bad) {
      socket.send(message);
      expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_request' });
    }
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_request' });
    expect(await socket.subscribe(group.id)).toEqual({ type: 'subscribed', groupId: group.id });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    socket.close();
  });

  it('fuzz: any text or JSON gets exactly one well-formed answer and the socket stays open', async () => {
    const socket = await connect(sweeper.wsUrl, { cookie: outsider.cookie });
    const message = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record({ type: fc.constantFrom('subscribe', 'unsubscribe', 'ping', ''), groupId: fc.anything() })
        .map((v) => JSON.stringify(v) ?? ''),
      fc.record({ type: fc.constantFrom('subscribe', 'unsubscribe'), groupId: fc.string({ maxLength: 80 }) }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(message, async (text) => {
        const before = socket.received.length;
        socket.send(text);
        await socket.sync();
        const answers = socket.received.slice(before, -1);
        expect(answers).toHaveLength(1);
        const [answer] = answers;
        expect(['error', 'unsubscribed']).toContain(answer!.type);
        if (answer!.type === 'error') expect(['bad_request', 'not_found']).toContain(answer!.code);
      }),
      { numRuns: 150 },
    );
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a message over the size limit closes that socket with 1009; the server keeps serving', async () => {
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    socket.send(JSON.stringify({ type: 'subscribe', groupId: 'x'.repeat(10_000) }));
    expect((await socket.closed).code).toBe(1009);
    const again = await connect(t.wsUrl, { cookie: member.cookie });
    await again.sync();
    again.close();
  });

  it('rate-limits a flood of messages with rate_limited, without closing the socket', async () => {
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    for (let i = 0; i < 40; i += 1) socket.send({ type: 'unsubscribe', groupId: `g${i}` });
    await socket.next((m) => m.type === 'error' && m.code === 'rate_limited');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('limits subscriptions per socket (2 on this instance)', async () => {
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    const [a, b, c] = [await groupWithMember(), await groupWithMember(), await groupWithMember()];
    expect(await socket.subscribe(a.id)).toMatchObject({ type: 'subscribed' });
    // Subscribing to the same group twice does not count twice.
    expect(await socket.subscribe(a.id)).toMatchObject({ type: 'subscribed' });
    expect(await socket.subscribe(b.id)).toMatchObject({ type: 'subscribed' });
    expect(await socket.subscribe(c.id)).toMatchObject({ type: 'error', code: 'too_many_subscriptions' });
    socket.send({ type: 'unsubscribe', groupId: a.id });
    expect(await socket.subscribe(c.id)).toMatchObject({ type: 'subscribed' });
    socket.close();
  });

  it('terminates a socket that stops answering pings (heartbeat)', async () => {
    // An instance of its own with a short heartbeat, so no other test's socket can miss a pong while the
    // machine is busy.
    const h = await startInstance(t.dir, { realtime: { heartbeatMs: 100 } });
    try {
      const silent = await connect(h.wsUrl, { cookie: member.cookie, ws: { autoPong: false } });
      expect((await silent.closed).code).toBe(1006); // terminated without a close frame
    } finally {
      await h.stop();
    }
  });
});

/** Writes raw bytes to the server and collects what comes back until it closes (or we reset it). */
function rawExchange(text: string, reset = false): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = tcpConnect(t.running.port, '127.0.0.1', () => {
      s.write(text);
      if (reset) {
        // Reset right after sending: the server may still be checking the upgrade.
        setImmediate(() => {
          s.resetAndDestroy();
          resolve('');
        });
      }
    });
    s.on('data', (d: Buffer) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
  });
}

const upgradeRequest = (target: string, extraHeaders = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${TEST_ORIGIN}\r\n${extraHeaders}\r\n`;

describe('GET /api/ws: hostile handshakes never crash the process', () => {
  it('a malformed request target gets 400, another path 404, and the server keeps serving', async () => {
    expect(await rawExchange(upgradeRequest('http://['))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(upgradeRequest('http://a:b@[::1'))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(upgradeRequest('/api/other'))).toMatch(/^HTTP\/1\.1 404 /);
    expect(await rawExchange(upgradeRequest('/api/ws?%zz', 'X-Odd: \xe9\xff\r\n'))).toMatch(/^HTTP\/1\.1 401 /);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('peers resetting the connection during the handshake do not crash the server', async () => {
    for (let i = 0; i < 20; i += 1) await rawExchange(upgradeRequest('/api/ws', `Cookie: ${member.cookie}\r\n`), true);
    const socket = await connect(t.wsUrl, { cookie: member.cookie });
    await socket.sync();
    socket.close();
  });
});
