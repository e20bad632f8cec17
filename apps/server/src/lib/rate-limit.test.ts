/**
 * Rate limits: the two stores behave the same (memory; Redis against a real redis-server started here),
 * and the HTTP limits answer 429 with Retry-After on every route family they cover.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { createUser, STRONG_PASSWORD } from '../test/factories.ts';
import { freePort, startRedisServer, type TestRedis } from '../test/processes.ts';
import { lockDurationMs, MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from './rate-limit.ts';

function storeContract(name: string, make: () => { store: RateLimitStore; advance?: (ms: number) => void }) {
  describe(`${name} store`, () => {
    it('counts hits in a window and reports the time left', async () => {
      const { store } = make();
      const key = `k-${Math.random()}`;
      expect((await store.hit(key, 60_000)).count).toBe(1);
      expect((await store.hit(key, 60_000)).count).toBe(2);
      const third = await store.hit(key, 60_000);
      expect(third.count).toBe(3);
      expect(third.resetInMs).toBeGreaterThan(0);
      expect(third.resetInMs).toBeLessThanOrEqual(60_000);
      await store.reset(key);
      expect((await store.hit(key, 60_000)).count).toBe(1);
    });

    it('blocks a key for a while, and forgets the block on reset', async () => {
      const { store } = make();
      const key = `b-${Math.random()}`;
      expect(await store.blockedFor(key)).toBe(0);
      await store.block(key, 120_000);
      const left = await store.blockedFor(key);
      expect(left).toBeGreaterThan(60_000);
      expect(left).toBeLessThanOrEqual(120_000);
      await store.reset(key);
      expect(await store.blockedFor(key)).toBe(0);
    });
  });
}

describe('lock duration', () => {
  it('grows 1, 2, 4, 8 minutes from the fifth failure, capped at an hour', () => {
    expect([1, 4, 5, 6, 7, 8, 20].map(lockDurationMs)).toEqual([0, 0, 60_000, 120_000, 240_000, 480_000, 3_600_000]);
  });
});

let clock = 1_000_000;
storeContract('memory', () => ({ store: new MemoryRateLimitStore({ now: () => clock }) }));

describe('memory store expiry and bounds', () => {
  it('starts a new window once the old one has passed', async () => {
    const store = new MemoryRateLimitStore({ now: () => clock });
    await store.hit('w', 1000);
    await store.hit('w', 1000);
    clock += 1001;
    expect((await store.hit('w', 1000)).count).toBe(1);
    await store.block('x', 500);
    clock += 501;
    expect(await store.blockedFor('x')).toBe(0);
  });

  it('never holds more than maxEntries keys (an address-spraying attack cannot exhaust memory)', async () => {
    const store = new MemoryRateLimitStore({ maxEntries: 100, now: () => clock });
    for (let i = 0; i < 1000; i++) await store.hit(`ip-${i}`, 60_000);
    // The newest keys are kept and counting.
    expect((await store.hit('ip-999', 60_000)).count).toBe(2);
    let live = 0;
    for (let i = 0; i < 1000; i++) if ((await store.blockedFor(`ip-${i}`)) > 0) live += 1;
    expect(live).toBeLessThanOrEqual(100);
  });
});

describe('Redis', () => {
  let redis: TestRedis | undefined;
  let port = 0;
  const clients: Redis[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    port = redis.port;
  });

  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const c of clients) await c.quit();
    redis?.stop();
  });

  storeContract('redis', () => {
    const client = new Redis({ port, host: '127.0.0.1' });
    clients.push(client);
    return { store: new RedisRateLimitStore(client, `qc:test:${Math.random()}:`) };
  });

  it('two instances sharing REDIS_URL share the lockout: failures on one lock the account on the other', async () => {
    const env = { RATE_LIMITS: 'on', REDIS_URL: `redis://127.0.0.1:${port}` };
    const a = await createTestApp(env);
    apps.push(a);
    const user = await createUser(a);
    const b = await createTestApp(env);
    apps.push(b);
    for (let i = 0; i < 5; i++) {
      const res = await a.request('/api/auth/login', { json: { email: user.email, password: `wrong password ${i}` } });
      expect(res.status).toBe(401);
    }
    // Instance b has its own database (the account does not even exist there): the lock lives in Redis.
    const res = await b.request('/api/auth/login', { json: { email: user.email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing personal in Redis: keys hold hashes, not the email.
    const inspect = new Redis({ port, host: '127.0.0.1' });
    clients.push(inspect);
    const keys = await inspect.keys('qc:rl:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(user.email);
  });

  it('when Redis is unreachable the limiter lets requests through and logs an alert instead of failing sign-in', async () => {
    const deadPort = await freePort();
    const c = await createTestApp({ RATE_LIMITS: 'on', REDIS_URL: `redis://127.0.0.1:${deadPort}` });
    apps.push(c);
    const user = await createUser(c);
    const res = await c.request('/api/auth/login', { json: { email: user.email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect(c.logs.text).toContain('"alert":"rate_limit_store_unavailable"');
  });
});

describe('HTTP limits (429 with Retry-After)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function expectLimitedAfter(n: number, send: () => Promise<Response>, limiter: string) {
    for (let i = 0; i < n; i++) expect((await send()).status).not.toBe(429);
    const res = await send();
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'rate_limited', error: expect.stringMatching(/Wait \d+/) });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const metric = await t.services.metrics.rateLimitHits.get();
    expect(metric.values.find((v) => v.labels.limiter === limiter)?.value).toBeGreaterThan(0);
  }

  it('register: per account (the same email) and per IP', async () => {
    await expectLimitedAfter(
      5,
      () => t.request('/api/auth/register', { json: { email: 'same@example.test', username: 'same', password: 'password1234' } }),
      'register_account',
    );
    let i = 0;
    // 5 of the 10 per-IP registrations were spent above.
    await expectLimitedAfter(
      4,
      () => t.request('/api/auth/register', { json: { email: `r${i++}@example.test`, username: 'rr', password: 'password1234' } }),
      'register_ip',
    );
  });

  it('refresh: per session (the same refresh token)', async () => {
    await expectLimitedAfter(
      30,
      () => t.request('/api/auth/refresh', { method: 'POST', headers: { cookie: 'qc_refresh=stolen-token' } }),
      'refresh_session',
    );
  });

  it('invite accept: per user', async () => {
    const user = await createAnyUser();
    await expectLimitedAfter(
      20,
      () => t.request('/api/invites/not-a-real-code/accept', { method: 'POST', cookie: user.cookie }),
      'invite_accept_user',
    );
  });

  it('writes: per user, whatever the route', async () => {
    const user = await createAnyUser();
    await expectLimitedAfter(120, () => t.request('/api/users/me', { method: 'PATCH', json: {}, cookie: user.cookie }), 'writes_user');
    // Another user is not affected.
    const other = await createAnyUser();
    expect((await t.request('/api/users/me', { method: 'PATCH', json: {}, cookie: other.cookie })).status).toBe(200);
  });

  it('every limited request says where it stands (RateLimit-Policy and RateLimit headers, 429 included)', async () => {
    const user = await createAnyUser();
    const first = await t.request('/api/users/me', { method: 'PATCH', json: {}, cookie: user.cookie });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"writes_user";q=120;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"writes_user";r=119;t=(60|59)$/);
    // A request that counts against no rule carries neither header.
    const read = await t.request('/api/users/me', { cookie: user.cookie });
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit')).toBeNull();
    // A 429 thrown before the handler names the rule it broke, with nothing left.
    const refresh = () => t.request('/api/auth/refresh', { method: 'POST', headers: { cookie: 'qc_refresh=headers-token' } });
    let res = await refresh();
    expect(res.headers.get('ratelimit-policy')).toBe('"refresh_ip";q=120;w=900, "refresh_session";q=30;w=900');
    for (let i = 0; i < 30 && res.status !== 429; i++) res = await refresh();
    expect(res.status).toBe(429);
    expect(res.headers.get('ratelimit')).toMatch(/"refresh_session";r=0;t=\d+$/);
  });

  // The first test spends this address's register budget on purpose; later tests still need users, so
  // set-up clears that one counter in the store (test set-up only, the limits under test are untouched).
  let made = 0;
  async function createAnyUser() {
    made += 1;
    await t.services.rateLimiter.store.reset(`register_ip:unknown`);
    return createUser(t, { email: `writer${made}@example.test` });
  }
});
