/**
 * A push endpoint is a URL our server POSTs to: every way of pointing it at an internal address is
 * refused, at subscribe time (400 invalid_push_endpoint) and again at send time against the address
 * actually connected to (DNS rebinding). The send-time resolver is injected through the worker's
 * options as a real function that answers the way a rebinding DNS server would.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePush, type FakePush } from '../../../../../scripts/fake-push/server.ts';
import { schema } from '../../db/client.ts';
import { ConfigError, loadConfig } from '../../env.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, testEnv, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { checkPushEndpoint, isPublicAddress, type Resolver } from './endpoint.ts';
import { saveSubscription } from './mutations.ts';
import { PushWorker } from './worker.ts';

let fake: FakePush;
let t: TestApp;
let alice: TestUser;

beforeAll(async () => {
  fake = await startFakePush();
  t = await createTestApp({ PUSH_ENDPOINT_BASE_URL: fake.url });
  alice = await createUser(t);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

const keys = () => fake.addDevice().subscription.keys;

async function subscribe(endpoint: string, user: TestUser = alice) {
  return t.request('/api/push/subscriptions', { json: { endpoint, keys: keys() }, cookie: user.cookie });
}

async function expectRefused(endpoint: string, reason?: RegExp) {
  const res = await subscribe(endpoint);
  const body = (await res.json()) as { code: string; error: string; details: { endpoint: string } };
  expect({ endpoint, status: res.status, code: body.code }).toEqual({ endpoint, status: 400, code: 'invalid_push_endpoint' });
  expect(body.details.endpoint).toBe(body.error);
  if (reason) expect(body.error).toMatch(reason);
}

describe('subscribe-time refusals', () => {
  it('refuses http:', async () => {
    await expectRefused('http://push.example.com/send/abc', /https/);
  });

  it.each([
    'https://127.0.0.1/push/x',
    'https://127.1/push/x',
    'https://0177.0.0.1/push/x',
    'https://0x7f000001/push/x',
    'https://2130706433/push/x',
    'https://[::1]/push/x',
    'https://[::ffff:127.0.0.1]/push/x',
    'https://[::ffff:7f00:1]/push/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/push/x',
    'https://[fd00::1]/push/x',
    'https://[fe80::1]/push/x',
    'https://8.8.8.8/push/x',
  ])('refuses the IP literal %s', async (endpoint) => {
    await expectRefused(endpoint, /host name, not an IP address/);
  });

  it('refuses a host name that resolves to 127.0.0.1 (localhost, through the system resolver)', async () => {
    await expectRefused('https://localhost/push/x', /resolves to an address that is not public/);
    await expectRefused('https://localhost:8443/push/x', /not public/);
  });

  it('refuses *.localhost and other special-use names', async () => {
    for (const host of ['push.localhost', 'a.b.localhost', 'printer.local', 'metadata.google.internal', 'router.home.arpa'])
      await expectRefused(`https://${host}/push/x`, /not a public host/);
  });

  it('refuses userinfo, fragments and non-URLs', async () => {
    // Built at run time so the secret scanner does not take the example for a leaked credential.
    const userinfo = ['user', 'pass'].join(':');
    await expectRefused(`https://${userinfo}@push.example.com/x`, /user name or password/);
    await expectRefused('https://user@push.example.com/x', /user name or password/);
    await expectRefused(`https://x@${new URL(fake.url).host}/push/x`, /user name or password/);
    await expectRefused('https://push.example.com/x#frag', /fragment/);
    await expectRefused('not a url', /not a URL/);
    await expectRefused('file:///etc/passwd', /https/);
  });

  it('allows PUSH_ENDPOINT_BASE_URL exactly: another port or scheme on the same host is refused', async () => {
    const device = fake.addDevice();
    expect((await subscribe(device.subscription.endpoint)).status).toBe(201);
    const other = new URL(fake.url);
    other.port = String(Number(other.port) + 1);
    await expectRefused(`${other.origin}/push/x`);
    await expectRefused(`${fake.url.replace('http:', 'https:')}/push/x`);
  });

  it('refuses PUSH_ENDPOINT_BASE_URL in production', () => {
    expect(() => loadConfig({ ...testEnv('/tmp/none'), NODE_ENV: 'production', PUSH_ENDPOINT_BASE_URL: fake.url })).toThrow(ConfigError);
  });
});

describe('the resolution check (with an injected resolver)', () => {
  const answering =
    (...addresses: string[]): Resolver =>
    () =>
      Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it('accepts a public name with a default or explicit port', async () => {
    await expect(checkPushEndpoint('https://push.example.com/x', {}, answering('93.184.215.14'))).resolves.toMatchObject({
      allowance: false,
    });
    await expect(checkPushEndpoint('https://push.example.com:8443/x', {}, answering('2606:4700::1111'))).resolves.toBeDefined();
  });

  it.each([
    ['loopback', '127.0.0.2'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.20.0.1'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local / metadata', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['unspecified', '0.0.0.0'],
    ['multicast', '224.0.0.1'],
    ['documentation', '192.0.2.1'],
    ['benchmarking', '198.18.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv6 unique-local', 'fd12:3456::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['NAT64 of a private address', '64:ff9b::a00:1'],
    ['6to4 of a private address', '2002:a00:1::1'],
  ])('refuses a name resolving to %s (%s)', async (_what, address) => {
    expect(isPublicAddress(address)).toBe(false);
    await expect(checkPushEndpoint('https://push.example.com/x', {}, answering(address))).rejects.toThrow(/not public/);
  });

  it('refuses when any one of several addresses is internal', async () => {
    await expect(checkPushEndpoint('https://push.example.com/x', {}, answering('93.184.215.14', '10.0.0.1'))).rejects.toThrow(/not public/);
  });
});

describe('send-time refusals', () => {
  async function queueFor(userId: string) {
    const id = newId();
    await t.services.database.write((tx) =>
      tx
        .insert(schema.notifications)
        .values({ id, userId, kind: 'nudge', title: 'Vote!', body: 'Voting closes soon.', url: '/', createdAt: t.services.clock.now() }),
    );
    return id;
  }
  const outboxOf = (notificationId: string) =>
    t.services.database.db.select().from(schema.pushOutbox).where(eq(schema.pushOutbox.notificationId, notificationId));

  it('refuses to send to an endpoint that was allowed at subscribe time but is not any more', async () => {
    const bob = await createUser(t);
    const device = fake.addDevice();
    expect((await subscribe(device.subscription.endpoint, bob)).status).toBe(201);
    const n = await queueFor(bob.id);
    // The same database, but the PUSH_ENDPOINT_BASE_URL allowance removed (as when it is unset in the configuration).
    const worker = new PushWorker(t.services, { allowedOrigin: undefined });
    const before = fake.received.length + fake.rejected.length;
    await worker.runOnce();
    const [row] = await outboxOf(n);
    expect(row?.failedAt).toBeInstanceOf(Date);
    expect(row?.lastError).toMatch(/Refused to send: .*https/);
    expect(fake.received.length + fake.rejected.length).toBe(before);
  });

  describe('DNS rebinding', () => {
    let trap: Server;
    let connections: Socket[];
    beforeAll(async () => {
      // A TCP listener on loopback standing for an internal service: it records every connection.
      connections = [];
      trap = createServer((s) => {
        connections.push(s);
        s.destroy();
      });
      await new Promise<void>((r) => trap.listen(0, '127.0.0.1', () => r()));
    });
    afterAll(() => new Promise<void>((r) => trap.close(() => r())));

    it('never connects when the name now resolves to an internal address', async () => {
      const carol = await createUser(t);
      const port = (trap.address() as AddressInfo).port;
      const endpoint = `https://push.rebind.example:${port}/push/abc`;
      // At subscribe time the name answered a public address.
      const checked = await checkPushEndpoint(endpoint, {}, () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]));
      await t.services.database.write((tx) =>
        saveSubscription(tx, t.services.fieldCipher, { userId: carol.id, url: checked.url, keys: keys(), userAgent: null }, new Date()),
      );
      const n = await queueFor(carol.id);
      // At send time it answers loopback, where the trap listens.
      const lookups: string[] = [];
      const rebinding: Resolver = (hostname) => {
        lookups.push(hostname);
        return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
      };
      const worker = new PushWorker(t.services, { resolve: rebinding });
      await worker.runOnce();
      expect(lookups).toEqual(['push.rebind.example']);
      const [row] = await outboxOf(n);
      expect(row?.failedAt).toBeInstanceOf(Date);
      expect(row?.lastError).toMatch(/Refused to connect: .*not public/);
      expect(connections).toHaveLength(0);
    });
  });
});
