/**
 * Steam linking through the real app against the fake Steam (a real HTTP server that signs assertions
 * and answers check_authentication truthfully). Attacks first: each must be refused, and those caught by
 * our own checks must be refused before Steam is even asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSteam, type FakeSteam } from '../../../../../scripts/fake-steam/server.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';

let fake: FakeSteam;
let t: TestApp;
let ann: TestUser;
let ben: TestUser;
const STEAM_A = '76561198000000001';
const STEAM_B = '76561198000000002';

beforeAll(async () => {
  fake = await startFakeSteam();
  t = await createTestApp({ STEAM_OPENID_URL: fake.openidUrl, STEAM_API_URL: fake.url, STEAM_WEB_API_KEY: fake.apiKey });
  [ann, ben] = await Promise.all([createUser(t), createUser(t)]);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

/** Starts linking as `user`; returns the return_to Steam must send back (it carries the state). */
async function start(user: TestUser, returnTo = '/account'): Promise<{ returnTo: string; location: URL }> {
  const res = await t.request(`/api/auth/steam?returnTo=${encodeURIComponent(returnTo)}`, { cookie: user.cookie });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { returnTo: location.searchParams.get('openid.return_to')!, location };
}

/** Delivers an assertion to our callback as the browser would (the return_to's path and state + the fields). */
async function callback(user: TestUser | null, returnTo: string, params: Record<string, string>): Promise<string> {
  const url = new URL(returnTo);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await t.request(`${url.pathname}${url.search}`, user ? { cookie: user.cookie } : {});
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function me(user: TestUser): Promise<{ steamLinked: boolean }> {
  return (await (await t.request('/api/users/me', { cookie: user.cookie })).json()) as { steamLinked: boolean };
}

describe('Steam OpenID: refusals', () => {
  it('a forged signature (tampered claimed_id) is refused by check_authentication', async () => {
    const { returnTo } = await start(ann);
    const a = fake.assertion(returnTo, STEAM_A);
    const other = `https://steamcommunity.com/openid/id/${STEAM_B}`;
    const before = fake.checks.total;
    expect(await callback(ann, returnTo, { ...a, 'openid.claimed_id': other, 'openid.identity': other })).toBe(
      '/account?error=steam_invalid',
    );
    expect(fake.checks.total).toBe(before + 1);
    expect((await me(ann)).steamLinked).toBe(false);
  });

  it('another op_endpoint is refused before Steam is asked', async () => {
    const { returnTo } = await start(ann);
    const before = fake.checks.total;
    const a = fake.assertion(returnTo, STEAM_A, { opEndpoint: 'https://evil.example/openid/login' });
    expect(await callback(ann, returnTo, a)).toBe('/account?error=steam_invalid');
    expect(fake.checks.total).toBe(before);
  });

  it('a foreign return_to is refused; so is a state that is not the signed-in user’s', async () => {
    const { returnTo } = await start(ann);
    const before = fake.checks.total;
    const foreign = fake.assertion('https://evil.example/api/auth/steam/callback?state=x', STEAM_A);
    expect(await callback(ann, returnTo, foreign)).toBe('/account?error=steam_invalid');
    expect(fake.checks.total).toBe(before);
    // Ben's state (a valid assertion for it) delivered to Ann's session.
    const bens = await start(ben);
    expect(await callback(ann, bens.returnTo, fake.assertion(bens.returnTo, STEAM_A))).toBe('/account?error=steam_state');
    // An unknown state.
    const made = returnTo.replace(/state=[^&]+/, 'state=not-ours');
    expect(await callback(ann, made, fake.assertion(made, STEAM_A))).toBe('/account?error=steam_state');
    expect((await me(ann)).steamLinked).toBe(false);
  });

  it('a claimed_id that is not a Steam id (or differs from identity) is refused before Steam is asked', async () => {
    const { returnTo } = await start(ann);
    const before = fake.checks.total;
    const a = fake.assertion(returnTo, STEAM_A);
    for (const claimed of [
      'https://evil.example/openid/id/76561198000000001',
      'https://steamcommunity.com/openid/id/123',
      'http://steamcommunity.com/openid/id/76561198000000001',
    ]) {
      expect(await callback(ann, returnTo, { ...a, 'openid.claimed_id': claimed, 'openid.identity': claimed })).toBe(
        '/account?error=steam_invalid',
      );
    }
    expect(await callback(ann, returnTo, { ...a, 'openid.identity': `https://steamcommunity.com/openid/id/${STEAM_B}` })).toBe(
      '/account?error=steam_invalid',
    );
    expect(await callback(ann, returnTo, { ...a, 'openid.signed': 'signed,op_endpoint,return_to' })).toBe('/account?error=steam_invalid');
    expect(fake.checks.total).toBe(before);
  });

  it('a nonce older than 5 minutes is refused; cancel and signed-out land on their errors', async () => {
    const { returnTo } = await start(ann);
    const old = fake.assertion(returnTo, STEAM_A, { nonceTime: new Date(Date.now() - 6 * 60_000) });
    expect(await callback(ann, returnTo, old)).toBe('/account?error=steam_expired');
    expect(await callback(ann, returnTo, { 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.mode': 'cancel' })).toBe(
      '/account?error=steam_denied',
    );
    expect(await callback(null, returnTo, fake.assertion(returnTo, STEAM_A))).toBe('/account?error=steam_signed_out');
    expect((await t.request('/api/auth/steam')).headers.get('location')).toBe('/account?error=steam_signed_out');
  });
});

describe('Steam OpenID: linking', () => {
  let linkedNonce = '';

  it('links through the real redirect chain and lands on returnTo', async () => {
    const { location } = await start(ann, '/groups/abc?tab=library');
    expect(location.origin + location.pathname).toBe(fake.openidUrl);
    expect(location.searchParams.get('openid.mode')).toBe('checkid_setup');
    expect(location.searchParams.get('openid.realm')).toBe('http://localhost:3000');
    expect(location.searchParams.get('openid.return_to')).toMatch(
      /^http:\/\/localhost:3000\/api\/auth\/steam\/callback\?state=[\w-]{20,}$/,
    );
    const atSteam = await fetch(location, { redirect: 'manual' });
    expect(atSteam.status).toBe(302);
    const back = new URL(atSteam.headers.get('location')!);
    linkedNonce = back.searchParams.get('openid.response_nonce')!;
    const res = await t.request(`${back.pathname}${back.search}`, { cookie: ann.cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/groups/abc?tab=library');
    expect((await me(ann)).steamLinked).toBe(true);
    // The same callback again: the state is single-use.
    const again = await t.request(`${back.pathname}${back.search}`, { cookie: ann.cookie });
    expect(again.headers.get('location')).toBe('/account?error=steam_state');
  });

  it('a replayed response nonce is refused, even for a fresh state', async () => {
    const { returnTo } = await start(ann);
    const replay = fake.assertion(returnTo, STEAM_A, { nonce: linkedNonce });
    expect(await callback(ann, returnTo, replay)).toBe('/account?error=steam_replayed');
  });

  it('a Steam account linked to another account is refused for Ben', async () => {
    const { returnTo } = await start(ben);
    expect(await callback(ben, returnTo, fake.assertion(returnTo, STEAM_A))).toBe('/account?error=steam_in_use');
    expect((await me(ben)).steamLinked).toBe(false);
  });

  it('returnTo to another origin falls back to a same-origin path', async () => {
    const { returnTo } = await start(ben, 'https://evil.example/x');
    expect(await callback(ben, returnTo, fake.assertion(returnTo, STEAM_B))).toBe('/');
  });

  it('unlinks', async () => {
    const res = await t.request('/api/users/me/steam', { method: 'DELETE', cookie: ann.cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { steamLinked: boolean }).steamLinked).toBe(false);
    expect((await t.request('/api/users/me/steam', { method: 'DELETE' })).status).toBe(401);
  });
});
