/**
 * Web Push end to end: subscriptions and preferences through the real API, notification rows inserted
 * with drizzle (as the notifications feature writes them), and the real worker delivering to the fake
 * push service (scripts/fake-push, a real HTTP server that verifies VAPID and decrypts aes128gcm with
 * the device's private key). The worker's `runOnce(now)` is called with chosen instants, so nothing here
 * waits on timers except the last test, which runs a real server with its real loop.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePush, type FakePush, type FakePushDevice } from '../../../../../scripts/fake-push/server.ts';
import { schema } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { startServer } from '../../server.ts';
import { createTestApp, TEST_ORIGIN, testEnv, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { PushWorker } from './worker.ts';
import type { NotificationKind } from './routes.ts';

let fake: FakePush;
let t: TestApp;
let worker: PushWorker;

beforeAll(async () => {
  fake = await startFakePush();
  t = await createTestApp({ PUSH_ENDPOINT_BASE_URL: fake.url });
  worker = new PushWorker(t.services, { baseDelayMs: 1000, maxAttempts: 3 });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

/** A browser-like device: the key pair and auth secret are made here, the fake gets the private half. */
function newDevice(): FakePushDevice {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return fake.addDevice({ ecdh, auth: randomBytes(16) });
}

async function subscribe(user: TestUser, device: FakePushDevice) {
  const res = await t.request('/api/push/subscriptions', { json: device.subscription, cookie: user.cookie });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

async function notify(userId: string, kind: NotificationKind = 'nudge', createdAt = new Date()) {
  const id = newId();
  await t.services.database.write((tx) =>
    tx.insert(schema.notifications).values({
      id,
      userId,
      kind,
      groupId: 'g1',
      day: '2026-12-02',
      title: 'Voting closes in 30 minutes',
      body: "You haven't voted for tonight yet.",
      url: '/groups/g1/nights/2026-12-02',
      createdAt,
    }),
  );
  return id;
}

const receivedBy = (device: FakePushDevice) => fake.received.filter((r) => r.deviceId === device.id);
const subscriptionsOf = (userId: string) =>
  t.services.database.db.select().from(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.userId, userId));
const outboxOf = (notificationId: string) =>
  t.services.database.db.select().from(schema.pushOutbox).where(eq(schema.pushOutbox.notificationId, notificationId));

describe('delivery through the fake push service', () => {
  it('delivers exactly {title, body, url}, encrypted and VAPID-signed, once', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    const n = await notify(user.id);
    const now = new Date();
    const tick = await worker.runOnce(now);
    expect(tick).toMatchObject({ queued: 1, delivered: 1 });
    const [got] = receivedBy(device);
    expect(got?.payload).toEqual({
      title: 'Voting closes in 30 minutes',
      body: "You haven't voted for tonight yet.",
      url: `${TEST_ORIGIN}/groups/g1/nights/2026-12-02`,
    });
    expect(got?.claims.aud).toBe(fake.url);
    expect(got?.claims.sub).toMatch(/^(mailto:|https:)/);
    expect(got?.vapidKey).toBe(t.services.config.push.vapid.publicKey);
    expect(got?.ttl).toBeGreaterThan(0);
    expect(fake.rejected.filter((r) => r.deviceId === device.id)).toEqual([]);
    const [row] = await outboxOf(n);
    expect(row?.deliveredAt).toBeInstanceOf(Date);
    const notification = await t.services.database.db.select().from(schema.notifications).where(eq(schema.notifications.id, n)).get();
    expect(notification?.pushQueuedAt).toBeInstanceOf(Date);
    // A second pass sends nothing again.
    await worker.runOnce(new Date(now.getTime() + 60_000));
    expect(receivedBy(device)).toHaveLength(1);
  });

  it('stores the endpoint and keys encrypted (the raw row holds neither)', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    const raw = await t.services.database.client.execute({
      sql: 'SELECT endpoint_hash, endpoint_enc, keys_enc FROM push_subscriptions WHERE user_id = ?',
      args: [user.id],
    });
    const text = JSON.stringify(raw.rows);
    expect(raw.rows).toHaveLength(1);
    for (const secret of [device.subscription.endpoint, device.id, device.subscription.keys.p256dh, device.subscription.keys.auth])
      expect(text).not.toContain(secret);
    expect(String(raw.rows[0]!.endpoint_enc)).toMatch(/^v1\./);
    expect(String(raw.rows[0]!.keys_enc)).toMatch(/^v1\./);
  });

  it('a 410 from the push service deletes the subscription', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    fake.answer(device.id, 410);
    const n = await notify(user.id);
    const tick = await worker.runOnce();
    expect(tick.gone).toBe(1);
    expect(await subscriptionsOf(user.id)).toHaveLength(0);
    expect(await outboxOf(n)).toHaveLength(0);
  });

  it('a 404 deletes it too', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    fake.answer(device.id, 404);
    await notify(user.id);
    await worker.runOnce();
    expect(await subscriptionsOf(user.id)).toHaveLength(0);
  });

  it('a 500 is retried with backoff, then delivered', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    fake.answer(device.id, 500, 1);
    const n = await notify(user.id);
    const now = new Date();
    expect((await worker.runOnce(now)).retrying).toBe(1);
    const [retry] = await outboxOf(n);
    expect(retry?.attempts).toBe(1);
    expect(retry?.lastError).toMatch(/500/);
    expect(retry?.nextAttemptAt.getTime()).toBe(now.getTime() + 1000);
    // Not due yet: nothing is sent.
    await worker.runOnce(new Date(now.getTime() + 500));
    expect(receivedBy(device)).toHaveLength(0);
    expect((await worker.runOnce(new Date(now.getTime() + 1000))).delivered).toBe(1);
    expect(receivedBy(device)).toHaveLength(1);
    expect(await subscriptionsOf(user.id)).toHaveLength(1);
  });

  it('gives up after maxAttempts of 5xx, keeping the subscription', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    fake.answer(device.id, 503, 10);
    const n = await notify(user.id);
    let at = Date.now();
    for (let i = 0; i < 3; i += 1) {
      await worker.runOnce(new Date(at));
      at += 10_000;
    }
    const [row] = await outboxOf(n);
    expect(row?.failedAt).toBeInstanceOf(Date);
    expect(row?.attempts).toBe(3);
    expect(await subscriptionsOf(user.id)).toHaveLength(1);
  });

  it('a preference switched off sends nothing for that kind, and other kinds still go', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    const res = await t.request('/api/users/me/notification-settings', {
      method: 'PATCH',
      json: { push: { nudge: false } },
      cookie: user.cookie,
    });
    expect(res.status).toBe(200);
    const off = await notify(user.id, 'nudge');
    await worker.runOnce();
    expect(await outboxOf(off)).toHaveLength(0);
    expect(receivedBy(device)).toHaveLength(0);
    const queued = await t.services.database.db.select().from(schema.notifications).where(eq(schema.notifications.id, off)).get();
    expect(queued?.pushQueuedAt).toBeInstanceOf(Date);
    await notify(user.id, 'night_closed');
    await worker.runOnce();
    expect(receivedBy(device)).toHaveLength(1);
  });

  it("one user's notification never reaches another user's device; each device of the user gets it", async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const a1 = newDevice();
    const a2 = newDevice();
    const b1 = newDevice();
    await subscribe(a, a1);
    await subscribe(a, a2);
    await subscribe(b, b1);
    await notify(a.id);
    await worker.runOnce();
    expect(receivedBy(a1)).toHaveLength(1);
    expect(receivedBy(a2)).toHaveLength(1);
    expect(receivedBy(b1)).toHaveLength(0);
  });

  it('does not push stale notifications (a backlog older than maxNotificationAgeMs)', async () => {
    const user = await createUser(t);
    const device = newDevice();
    await subscribe(user, device);
    const old = await notify(user.id, 'nudge', new Date(Date.now() - 7 * 3600_000));
    await worker.runOnce();
    expect(await outboxOf(old)).toHaveLength(0);
    expect(receivedBy(device)).toHaveLength(0);
  });

  it('counts deliveries in the metrics', async () => {
    const text = await t.services.metrics.registry.getSingleMetricAsString('queuecrew_push_deliveries_total');
    expect(text).toMatch(/outcome="delivered"\} [1-9]/);
    expect(text).toMatch(/outcome="gone"\} [1-9]/);
  });
});

describe('the fake push service refuses what a real one refuses', () => {
  const vapid = () => t.services.config.push.vapid;
  const details = (device: FakePushDevice, audience?: string, privateKey = vapid().privateKey) => {
    const d = webpush.generateRequestDetails(device.subscription, '{"title":"x"}', {
      vapidDetails: { subject: 'mailto:ops@queuecrew.invalid', publicKey: vapid().publicKey, privateKey },
      TTL: 60,
    });
    if (audience) {
      // Re-sign for another audience with the right key: only aud differs.
      const h = webpush.getVapidHeaders(audience, 'mailto:ops@queuecrew.invalid', vapid().publicKey, vapid().privateKey, 'aes128gcm');
      d.headers.Authorization = h.Authorization;
    }
    return d;
  };
  const post = (endpoint: string, headers: Record<string, unknown>, body: Uint8Array) =>
    fetch(endpoint, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
      body: new Blob([new Uint8Array(body)]),
    });
  const otherPrivateKey = () => {
    const other = createECDH('prime256v1');
    other.generateKeys();
    return other.getPrivateKey().toString('base64url');
  };

  it('checks the VAPID signature, audience, TTL, encoding and ciphertext', async () => {
    const device = newDevice();
    const ok = details(device);
    expect((await post(device.subscription.endpoint, ok.headers, ok.body)).status).toBe(201);
    const noAuth = { ...ok.headers, Authorization: undefined };
    delete noAuth.Authorization;
    expect((await post(device.subscription.endpoint, noAuth, ok.body)).status).toBe(401);
    const otherKey = details(device, undefined, otherPrivateKey());
    expect((await post(device.subscription.endpoint, otherKey.headers, otherKey.body)).status).toBe(403);
    const wrongAud = details(device, 'https://push.example.com');
    expect((await post(device.subscription.endpoint, wrongAud.headers, wrongAud.body)).status).toBe(403);
    const noTtl = { ...ok.headers };
    delete noTtl.TTL;
    expect((await post(device.subscription.endpoint, noTtl, ok.body)).status).toBe(400);
    expect((await post(device.subscription.endpoint, { ...ok.headers, 'Content-Encoding': 'aesgcm' }, ok.body)).status).toBe(415);
    const garbled = Buffer.from(ok.body);
    garbled[garbled.length - 1]! ^= 1;
    expect((await post(device.subscription.endpoint, ok.headers, garbled)).status).toBe(400);
    expect(receivedBy(device)).toHaveLength(1);
  });
});

describe('subscriptions API', () => {
  it('answers the VAPID public key to a signed-in user only', async () => {
    expect((await t.request('/api/push/vapid-key')).status).toBe(401);
    const user = await createUser(t);
    const res = await t.request('/api/push/vapid-key', { cookie: user.cookie });
    expect(res.status).toBe(200);
    const { publicKey } = (await res.json()) as { publicKey: string };
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
  });

  it('needs a session', async () => {
    const res = await t.request('/api/push/subscriptions', { json: newDevice().subscription });
    expect(res.status).toBe(401);
  });

  it('is idempotent for the same endpoint, and accepts the browser toJSON() shape', async () => {
    const user = await createUser(t);
    const device = newDevice();
    const first = await subscribe(user, device);
    const again = await t.request('/api/push/subscriptions', {
      json: { ...device.subscription, expirationTime: null },
      cookie: user.cookie,
    });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(await subscriptionsOf(user.id)).toHaveLength(1);
  });

  it('moves an endpoint to the account that subscribes it last', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const device = newDevice();
    await subscribe(a, device);
    await subscribe(b, device);
    expect(await subscriptionsOf(a.id)).toHaveLength(0);
    expect(await subscriptionsOf(b.id)).toHaveLength(1);
    await notify(a.id);
    await worker.runOnce();
    expect(receivedBy(device)).toHaveLength(0);
  });

  it('keeps at most 10 devices per account, dropping the oldest', async () => {
    const user = await createUser(t);
    const devices = Array.from({ length: 11 }, () => newDevice());
    for (const d of devices) await subscribe(user, d);
    const rows = await subscriptionsOf(user.id);
    expect(rows).toHaveLength(10);
    const first = await t.request('/api/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: devices[0]!.subscription.endpoint },
      cookie: user.cookie,
    });
    expect(first.status).toBe(204);
    expect(await subscriptionsOf(user.id)).toHaveLength(10);
  });

  it('DELETE removes only the caller’s own subscription', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const device = newDevice();
    await subscribe(a, device);
    const foreign = await t.request('/api/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: device.subscription.endpoint },
      cookie: b.cookie,
    });
    expect(foreign.status).toBe(204);
    expect(await subscriptionsOf(a.id)).toHaveLength(1);
    const own = await t.request('/api/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: device.subscription.endpoint },
      cookie: a.cookie,
    });
    expect(own.status).toBe(204);
    expect(await subscriptionsOf(a.id)).toHaveLength(0);
  });

  it.each([
    ['p256dh not base64url', { p256dh: 'not base64!', auth: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'keys.p256dh'],
    ['p256dh 64 bytes', { p256dh: Buffer.alloc(64, 4).toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'keys.p256dh'],
    [
      'p256dh compressed',
      { p256dh: Buffer.concat([Buffer.from([2]), randomBytes(64)]).toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
      'keys.p256dh',
    ],
    [
      'p256dh off the curve',
      { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
      'keys.p256dh',
    ],
    ['auth 15 bytes', { p256dh: 'P', auth: Buffer.alloc(15).toString('base64url') }, 'keys.auth'],
    ['auth 17 bytes', { p256dh: 'P', auth: Buffer.alloc(17).toString('base64url') }, 'keys.auth'],
    ['an unknown key field', { p256dh: 'P', auth: 'A', extra: 1 }, 'keys.extra'],
  ])('refuses %s (400 naming the field)', async (_what, keys, field) => {
    const user = await createUser(t);
    const good = newDevice().subscription;
    const body = {
      endpoint: good.endpoint,
      keys: {
        ...keys,
        p256dh: keys.p256dh === 'P' ? good.keys.p256dh : keys.p256dh,
        auth: keys.auth === 'A' ? good.keys.auth : keys.auth,
      },
    };
    const res = await t.request('/api/push/subscriptions', { json: body, cookie: user.cookie });
    expect(res.status).toBe(400);
    const err = (await res.json()) as { code: string; details: Record<string, string> };
    expect(err.code).toBe('invalid_input');
    expect(Object.keys(err.details)).toContain(field);
  });

  it('refuses unknown top-level fields (userId cannot be smuggled in)', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const res = await t.request('/api/push/subscriptions', {
      json: { ...newDevice().subscription, userId: other.id },
      cookie: user.cookie,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: Record<string, string> }).details).toHaveProperty('userId');
    expect(await subscriptionsOf(other.id)).toHaveLength(0);
  });
});

describe('notification settings', () => {
  it('defaults every kind to on, PATCH changes only what it names', async () => {
    const user = await createUser(t);
    const get = await t.request('/api/users/me/notification-settings', { cookie: user.cookie });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({
      push: { night_closing_soon: true, night_closed: true, nudge: true, removed_from_group: true, role_changed: true },
    });
    const patch = await t.request('/api/users/me/notification-settings', {
      method: 'PATCH',
      json: { push: { role_changed: false, night_closing_soon: false } },
      cookie: user.cookie,
    });
    expect(patch.status).toBe(200);
    const after = (await (await t.request('/api/users/me/notification-settings', { cookie: user.cookie })).json()) as {
      push: Record<string, boolean>;
    };
    expect(after.push).toEqual({
      night_closing_soon: false,
      night_closed: true,
      nudge: true,
      removed_from_group: true,
      role_changed: false,
    });
  });

  it.each([
    [{ push: { spam: true } }, 'push.spam'],
    [{ push: { nudge: 'no' } }, 'push.nudge'],
    [{ push: {}, email: {} }, 'email'],
    [{}, 'push'],
  ])('refuses %j (400 naming %s)', async (json, field) => {
    const user = await createUser(t);
    const res = await t.request('/api/users/me/notification-settings', { method: 'PATCH', json, cookie: user.cookie });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as { details: Record<string, string> }).details)).toContain(field);
  });

  it('needs a session', async () => {
    expect((await t.request('/api/users/me/notification-settings')).status).toBe(401);
  });
});

describe('fuzzing', () => {
  // Endpoints are strings that are not resolvable https URLs (no DNS here): the point is the shapes.
  const endpoint = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'https://',
      'https://[',
      'https://a..b/x',
      'http://0/',
      'https://%00/',
      'https://xn--/',
      `${'https://a.b/'.padEnd(3000, 'x')}`,
    ),
  );
  const keyValue = fc.oneof(fc.string(), fc.base64String(), fc.constant(null), fc.integer(), fc.array(fc.string()));

  it('never answers 5xx to any subscription or settings body, always the error format', async () => {
    const user = await createUser(t);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ endpoint, keys: fc.record({ p256dh: keyValue, auth: keyValue }) }, { requiredKeys: [] }), fc.anything()),
        fc.oneof(fc.record({ push: fc.dictionary(fc.string(), fc.oneof(fc.boolean(), fc.string())) }), fc.anything()),
        async (subscription, settings) => {
          for (const [path, method, json] of [
            ['/api/push/subscriptions', 'POST', subscription],
            ['/api/push/subscriptions', 'DELETE', subscription],
            ['/api/users/me/notification-settings', 'PATCH', settings],
          ] as const) {
            const res = await t.request(path, { method, json: json ?? null, cookie: user.cookie });
            expect(res.status, `${method} ${path} ${JSON.stringify(json)}`).toBeLessThan(500);
            if (res.status >= 400) expect(Object.keys((await res.json()) as object)).toEqual(expect.arrayContaining(['error', 'code']));
            else await res.body?.cancel();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the server runs the loop', () => {
  it('a notification written to the database reaches the device without anyone calling runOnce()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-push-'));
    const running = await startServer({
      env: testEnv(dir, { PUSH_ENDPOINT_BASE_URL: fake.url }),
      webhooks: false,
      push: { intervalMs: 50 },
    });
    try {
      const client = {
        request: (path: string, init: RequestInit & { json?: unknown; cookie?: string } = {}) => serverRequest(running.url, path, init),
      };
      const user = await createUser(client);
      const device = newDevice();
      const res = await client.request('/api/push/subscriptions', { json: device.subscription, cookie: user.cookie });
      expect(res.status).toBe(201);
      const before = fake.received.length;
      await running.services.database.write((tx) =>
        tx.insert(schema.notifications).values({
          id: newId(),
          userId: user.id,
          kind: 'night_closed',
          title: 'Tonight: Deep Rock Galactic',
          body: '4 approvals',
          url: '/',
          createdAt: new Date(),
        }),
      );
      const all = await fake.waitFor(before + 1);
      expect(all.at(-1)).toMatchObject({ deviceId: device.id, payload: { title: 'Tonight: Deep Rock Galactic', body: '4 approvals' } });
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function serverRequest(base: string, path: string, init: RequestInit & { json?: unknown; cookie?: string }) {
  const { json, cookie, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  headers.set('origin', TEST_ORIGIN);
  if (cookie) headers.set('cookie', cookie);
  return fetch(`${base}${path}`, {
    ...rest,
    method: rest.method ?? (json !== undefined ? 'POST' : 'GET'),
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
}
