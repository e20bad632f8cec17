/**
 * Discord sign-in end to end against the fake Discord (a real HTTP server): the real app, a real
 * libSQL file, real cookies. Nothing of our own code is mocked.
 */
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { schema } from '../../db/client.ts';
import { setSetting } from '../../lib/settings.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { cookiesFrom, createUser, STRONG_PASSWORD } from '../../test/factories.ts';
import { createGroup, createInviteCode } from '../../test/group-factories.ts';
import { safeReturnTo } from './oauth.ts';

let fake: FakeDiscord;
let t: TestApp;
let nextDiscordId = 200000000000000000n;

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({
    ...fake.env,
  });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(async () => {
  fake.switches.tokenStatus = null;
  await setSetting(t.services.database.db, 'registration', 'open');
});

/** A fresh Discord user in the fake, so tests do not depend on each other. */
function newDiscordUser(username = 'Fresh Player') {
  nextDiscordId += 1n;
  const user = { id: nextDiscordId.toString(), username, global_name: 'Fresh', avatar: '0123456789abcdef0123456789abcdef' };
  fake.users.set(user.id, user);
  return user;
}

interface Flow {
  res: Response;
  location: URL;
  /** The `Cookie` header value carrying the flow cookie. */
  flowCookie: string;
  setCookie: string;
}

async function start(query = '', sessionCookie?: string): Promise<Flow> {
  const res = await t.request(`/api/auth/discord${query}`, sessionCookie ? { cookie: sessionCookie } : {});
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('qc_discord_oauth=')) ?? '';
  return {
    res,
    location: new URL(res.headers.get('location') ?? '/', 'http://localhost:3000'),
    flowCookie: setCookie.split(';')[0] ?? '',
    setCookie,
  };
}

/** What the browser does at Discord: approve as `userId` (or deny); returns our callback path. */
async function consent(flow: Flow, userId: string | 'deny'): Promise<string> {
  const url = new URL(flow.location);
  url.searchParams.set('auto', userId);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.origin).toBe('http://localhost:3000');
  return `${back.pathname}${back.search}`;
}

async function callback(path: string, cookie: string) {
  const res = await t.request(path, cookie ? { cookie } : {});
  return { res, location: res.headers.get('location') ?? '' };
}

async function signInWithDiscord(userId: string, returnTo?: string) {
  const flow = await start(returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '');
  const { res, location } = await callback(await consent(flow, userId), flow.flowCookie);
  return { res, location, session: cookiesFrom(res).header };
}

async function me(cookie: string) {
  const res = await t.request('/api/users/me', { cookie });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventsOf(userId: string) {
  const rows = await t.services.database.db.select().from(schema.securityEvents).where(eq(schema.securityEvents.userId, userId));
  return rows.map((r) => r.type);
}

describe('contract', () => {
  it('documents the Discord routes in the OpenAPI document', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/auth/config',
      '/api/auth/discord',
      '/api/auth/discord/callback',
      '/api/auth/discord/2fa',
      '/api/users/me/discord',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});

describe('GET /api/auth/config', () => {
  it('says Discord is available and which registration policy applies', async () => {
    const res = await t.request('/api/auth/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ discord: true, registration: 'open', discordInstallUrl: null });
  });
});

describe('authorize redirect', () => {
  it('has the right shape: code flow, identify only, fresh state, S256 PKCE, no forced prompt', async () => {
    const a = await start();
    const b = await start();
    expect(a.res.status).toBe(302);
    expect(a.location.origin + a.location.pathname).toBe(`${fake.url}/oauth2/authorize`);
    const q = a.location.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(fake.clientId);
    expect(q.get('redirect_uri')).toBe('http://localhost:3000/api/auth/discord/callback');
    expect(q.get('scope')).toBe('identify');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(q.has('prompt')).toBe(false);
    expect(b.location.searchParams.get('state')).not.toBe(q.get('state'));
    expect(b.location.searchParams.get('code_challenge')).not.toBe(q.get('code_challenge'));
  });

  it('keeps state and verifier in a short-lived, HttpOnly, Lax, path-scoped, encrypted cookie', async () => {
    const flow = await start('?returnTo=/groups/abc');
    expect(flow.setCookie).toMatch(/HttpOnly/);
    expect(flow.setCookie).toMatch(/SameSite=Lax/);
    expect(flow.setCookie).toMatch(/Path=\/api\/auth\/discord(;|$)/);
    expect(flow.setCookie).toMatch(/Max-Age=600/);
    const value = decodeURIComponent(flow.flowCookie.split('=').slice(1).join('='));
    expect(value).not.toContain(flow.location.searchParams.get('state')!);
    expect(value).not.toContain('groups');
  });

  it('uses a Secure, __Secure- prefixed cookie when the app is served over https', async () => {
    const https = await createTestApp({
      APP_URL: 'https://queuecrew.example',
      ...fake.env,
    });
    try {
      const res = await https.request('/api/auth/discord');
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Secure-qc_discord_oauth='));
      expect(cookie).toMatch(/; Secure/);
      expect(new URL(res.headers.get('location')!).searchParams.get('redirect_uri')).toBe(
        'https://queuecrew.example/api/auth/discord/callback',
      );
    } finally {
      await https.close();
    }
  });

  it('answers 404 discord_not_configured when Discord is not set up', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.request('/api/auth/discord');
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'discord_not_configured' });
      expect(await (await bare.request('/api/auth/config')).json()).toMatchObject({ discord: false });
    } finally {
      await bare.close();
    }
  });
});

describe('callback state checks', () => {
  it('refuses a callback without state', async () => {
    const flow = await start();
    const path = await consent(flow, newDiscordUser().id);
    const noState = path.replace(/&?state=[^&]*/, '');
    const { res, location } = await callback(noState, flow.flowCookie);
    expect(res.status).toBe(302);
    expect(location).toBe('/sign-in?error=discord_state');
    expect(cookiesFrom(res).values).not.toHaveProperty('qc_access');
  });

  it('refuses a callback without the state cookie (e.g. started in another browser)', async () => {
    const flow = await start();
    const { location } = await callback(await consent(flow, newDiscordUser().id), '');
    expect(location).toBe('/sign-in?error=discord_state');
  });

  it("refuses a foreign state (another flow's state with this browser's cookie)", async () => {
    const mine = await start();
    const theirs = await start();
    const path = await consent(theirs, newDiscordUser().id);
    const { res, location } = await callback(path, mine.flowCookie);
    expect(location).toBe('/sign-in?error=discord_state');
    expect(cookiesFrom(res).values).not.toHaveProperty('qc_access');
  });

  it('refuses a tampered cookie', async () => {
    const flow = await start();
    const path = await consent(flow, newDiscordUser().id);
    const tampered = flow.flowCookie.slice(0, -3) + (flow.flowCookie.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await callback(path, tampered)).location).toBe('/sign-in?error=discord_state');
  });

  it('refuses a replayed callback (state is single-use) and clears the cookie', async () => {
    const flow = await start();
    const path = await consent(flow, newDiscordUser().id);
    const first = await callback(path, flow.flowCookie);
    expect(first.location).toBe('/');
    const cleared = first.res.headers.getSetCookie().find((c) => c.startsWith('qc_discord_oauth='));
    expect(cleared).toMatch(/Max-Age=0/);
    const replay = await callback(path, flow.flowCookie);
    expect(replay.location).toBe('/sign-in?error=discord_state');
    expect(cookiesFrom(replay.res).values).not.toHaveProperty('qc_access');
  });

  it('sends a denied consent to the sign-in page with discord_denied', async () => {
    const flow = await start('?returnTo=/groups/x');
    const { location } = await callback(await consent(flow, 'deny'), flow.flowCookie);
    expect(location).toBe('/sign-in?error=discord_denied&returnTo=%2Fgroups%2Fx');
  });
});

describe('code exchange', () => {
  it('is refused by the provider (invalid_grant) when the code does not match the PKCE verifier', async () => {
    const mine = await start();
    const other = await start();
    const otherPath = new URL(await consent(other, newDiscordUser().id), 'http://localhost:3000');
    // The code was issued for the other flow's challenge; the state is this browser's own.
    const path = `/api/auth/discord/callback?code=${otherPath.searchParams.get('code')}&state=${mine.location.searchParams.get('state')}`;
    const before = fake.tokenRequests.length;
    const { res, location } = await callback(path, mine.flowCookie);
    expect(location).toBe('/sign-in?error=discord_failed');
    expect(cookiesFrom(res).values).not.toHaveProperty('qc_access');
    expect(fake.tokenRequests.slice(before)).toEqual([{ grantType: 'authorization_code', clientAuth: 'body', status: 400 }]);
  });

  it('the fake answers exactly like Discord to a wrong verifier: 400 {error: "invalid_grant"}', async () => {
    const flow = await start();
    const code = new URL(await consent(flow, newDiscordUser().id), 'http://localhost:3000').searchParams.get('code')!;
    const res = await fetch(`${fake.url}/api/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:3000/api/auth/discord/callback',
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        code_verifier: 'x'.repeat(43),
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lands on discord_failed when the token endpoint fails', async () => {
    fake.switches.tokenStatus = 500;
    const flow = await start();
    const { location } = await callback(await consent(flow, newDiscordUser().id), flow.flowCookie);
    expect(location).toBe('/sign-in?error=discord_failed');
    expect(t.logs.text).toContain('discord code exchange failed');
  });
});

describe('returnTo', () => {
  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    '%2F%2Fevil.com',
    '/%2Fevil.com',
    '/%5Cevil.com',
    '%5C%5Cevil.com',
    'javascript:alert(1)',
    '/\tevil',
    '\\/evil.com',
    '/%252F%252Fevil.com',
    'evil.com',
    // Dot segments that collapse into a protocol-relative path once the URL is resolved.
    '/.//evil.com',
    '/..//evil.com',
    '/%2e%2e//evil.com',
    '/a/../..//evil.com',
    '/%2E/%2Fevil.com',
  ])('refuses %s (falls back to /)', async (variant) => {
    expect(safeReturnTo(variant, 'http://localhost:3000')).toBe('/');
  });

  it('keeps same-origin paths with their query', () => {
    expect(safeReturnTo('/groups/abc?date=2026-01-02', 'http://localhost:3000')).toBe('/groups/abc?date=2026-01-02');
    expect(safeReturnTo('/invite/XYZ', 'http://localhost:3000')).toBe('/invite/XYZ');
  });

  it.each(['//evil.com', 'https://evil.com', '/\\evil.com', '%2F%2Fevil.com', '/%5Cevil.com', '/.//evil.com', '/a/../..//evil.com'])(
    'a full sign-in with returnTo=%s lands on /',
    async (variant) => {
      const { location } = await signInWithDiscord(newDiscordUser().id, variant);
      expect(location).toBe('/');
    },
  );

  it('a full sign-in lands on a same-origin returnTo', async () => {
    const { location } = await signInWithDiscord(newDiscordUser().id, '/groups/abc');
    expect(location).toBe('/groups/abc');
  });
});

describe('sign-up and sign-in', () => {
  it('creates a Discord-only account with a sanitised username and the CDN avatar, then signs it in again', async () => {
    const du = newDiscordUser('Zoë the Great!!');
    const first = await signInWithDiscord(du.id, '/groups/g1');
    expect(first.location).toBe('/groups/g1');
    const created = await me(first.session);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      username: 'Zoe_the_Great',
      email: null,
      hasPassword: false,
      discordLinked: true,
      avatarUrl: `https://cdn.discordapp.com/avatars/${du.id}/${du.avatar}.png`,
    });
    const id = created.body.id as string;
    expect(await eventsOf(id)).toEqual(expect.arrayContaining(['register', 'discord_linked', 'login_succeeded']));

    const again = await signInWithDiscord(du.id);
    expect((await me(again.session)).body.id).toBe(id);
    const rows = await t.services.database.db.select().from(schema.users).where(eq(schema.users.discordId, du.id));
    expect(rows).toHaveLength(1);
  });

  it('honours a closed registration for new accounts but still signs in existing ones', async () => {
    const existing = newDiscordUser();
    await signInWithDiscord(existing.id);
    await setSetting(t.services.database.db, 'registration', 'closed');
    expect((await signInWithDiscord(newDiscordUser().id)).location).toBe('/sign-in?error=registration_closed');
    const back = await signInWithDiscord(existing.id);
    expect(back.location).toBe('/');
    expect((await me(back.session)).status).toBe(200);
  });

  it('asks for an invite on an invite-only instance, and admits a Discord sign-up that brings one', async () => {
    const admin = await createUser(t);
    const group = await createGroup(t, admin);
    const code = await createInviteCode(t, group.id, admin);
    await setSetting(t.services.database.db, 'registration', 'invite-only');
    expect((await signInWithDiscord(newDiscordUser().id)).location).toBe('/sign-in?error=invite_required');

    const flow = await start(`?invite=${encodeURIComponent(code)}&returnTo=${encodeURIComponent(`/invite/${code}`)}`);
    const { location, res } = await callback(await consent(flow, newDiscordUser().id), flow.flowCookie);
    expect(location).toBe(`/invite/${code}`);
    expect((await me(cookiesFrom(res).header)).status).toBe(200);
    const bogus = await start('?invite=not-a-real-code');
    expect((await callback(await consent(bogus, newDiscordUser().id), bogus.flowCookie)).location).toBe('/sign-in?error=invite_required');
  });
});

describe('linking', () => {
  it('links Discord to the signed-in local account, and unlinks it (the account has a password)', async () => {
    const local = await createUser(t);
    const du = newDiscordUser();
    const flow = await start('?link=1&returnTo=/settings', local.cookie);
    const { location } = await callback(await consent(flow, du.id), `${local.cookie}; ${flow.flowCookie}`);
    expect(location).toBe('/settings');
    expect((await me(local.cookie)).body).toMatchObject({ id: local.id, discordLinked: true });
    expect(await eventsOf(local.id)).toContain('discord_linked');

    // Signing in with that Discord account now reaches the same local account.
    expect((await me((await signInWithDiscord(du.id)).session)).body.id).toBe(local.id);

    const res = await t.request('/api/users/me/discord', { method: 'DELETE', cookie: local.cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: Record<string, unknown> }).user).toMatchObject({ discordLinked: false, avatarUrl: null });
    expect(await eventsOf(local.id)).toContain('discord_unlinked');
  });

  it('refuses to link a Discord account that belongs to another account (discord_taken)', async () => {
    const du = newDiscordUser();
    await signInWithDiscord(du.id);
    const local = await createUser(t);
    const flow = await start('?link=1', local.cookie);
    const { location } = await callback(await consent(flow, du.id), `${local.cookie}; ${flow.flowCookie}`);
    expect(location).toBe('/sign-in?error=discord_taken&link=1');
    expect((await me(local.cookie)).body).toMatchObject({ discordLinked: false });
  });

  it('refuses to start a link without a session', async () => {
    const flow = await start('?link=1');
    expect(flow.res.headers.get('location')).toBe('/sign-in?error=discord_link_signed_out&link=1');
  });

  it('still links when the access cookie expired during the consent screen but the session is live', async () => {
    const local = await createUser(t);
    const flow = await start('?link=1', local.cookie);
    // Back from Discord without the (expired, 10-minute) access cookie; the session itself is still live.
    const { res, location } = await callback(await consent(flow, newDiscordUser().id), flow.flowCookie);
    expect(location).toBe('/');
    expect(cookiesFrom(res).values).not.toHaveProperty('qc_access');
    expect((await me(local.cookie)).body).toMatchObject({ discordLinked: true });
  });

  it('does not link when the session that started the link signed out meanwhile', async () => {
    const local = await createUser(t);
    const flow = await start('?link=1', local.cookie);
    expect((await t.request('/api/auth/logout', { method: 'POST', cookie: local.cookie })).status).toBe(204);
    const { res, location } = await callback(await consent(flow, newDiscordUser().id), flow.flowCookie);
    expect(location).toBe('/sign-in?error=discord_link_signed_out&link=1');
    expect(cookiesFrom(res).values).not.toHaveProperty('qc_access');
    const row = await t.services.database.db.select().from(schema.users).where(eq(schema.users.id, local.id)).get();
    expect(row?.discordId).toBeNull();
  });

  it('does not link to another account than the one signed in at the callback', async () => {
    const starter = await createUser(t);
    const other = await createUser(t);
    const flow = await start('?link=1', starter.cookie);
    const { location } = await callback(await consent(flow, newDiscordUser().id), `${other.cookie}; ${flow.flowCookie}`);
    expect(location).toBe('/sign-in?error=discord_link_signed_out&link=1');
    expect((await me(starter.cookie)).body).toMatchObject({ discordLinked: false });
    expect((await me(other.cookie)).body).toMatchObject({ discordLinked: false });
  });

  it('never unlinks a Discord-only account: without a password, and without an email even after setting one', async () => {
    const { session } = await signInWithDiscord(newDiscordUser().id);
    const refused = await t.request('/api/users/me/discord', { method: 'DELETE', cookie: session });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'password_required' });

    const set = await t.request('/api/auth/password', { json: { newPassword: STRONG_PASSWORD }, cookie: session });
    expect(set.status).toBe(204);
    const res = await t.request('/api/users/me/discord', { method: 'DELETE', cookie: session });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'email_required' });
    expect((await me(session)).body).toMatchObject({ discordLinked: true, hasPassword: true });
  });

  it('needs a session to unlink', async () => {
    expect((await t.request('/api/users/me/discord', { method: 'DELETE' })).status).toBe(401);
  });
});

describe('accounts with two-factor authentication', () => {
  async function enable2fa(cookie: string) {
    const setup = await t.request('/api/auth/2fa/setup', { method: 'POST', cookie });
    expect(setup.status).toBe(200);
    const { secret } = (await setup.json()) as { secret: string };
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    const res = await t.request('/api/auth/2fa/enable', { json: { code }, cookie });
    expect(res.status).toBe(200);
    return ((await res.json()) as { recoveryCodes: string[] }).recoveryCodes;
  }

  it('asks for the second factor after Discord before any session exists', async () => {
    const local = await createUser(t);
    const du = newDiscordUser();
    const flow = await start('?link=1', local.cookie);
    expect((await callback(await consent(flow, du.id), `${local.cookie}; ${flow.flowCookie}`)).location).toBe('/');
    const recoveryCodes = await enable2fa(local.cookie);

    const { res, location } = await signInWithDiscord(du.id, '/groups/2fa');
    expect(location).toBe('/sign-in?step=discord-2fa&returnTo=%2Fgroups%2F2fa');
    const cookies = cookiesFrom(res);
    expect(cookies.values).not.toHaveProperty('qc_access');
    expect(cookies.values).not.toHaveProperty('qc_refresh');
    const pending = res.headers.getSetCookie().find((c) => c.startsWith('qc_discord_2fa='))!;
    expect(pending).toMatch(/HttpOnly/);
    expect(pending).toMatch(/SameSite=Strict/);
    const pendingCookie = pending.split(';')[0]!;

    const wrong = await t.request('/api/auth/discord/2fa', { json: { totp: '000000' }, cookie: pendingCookie });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'totp_required' });

    const ok = await t.request('/api/auth/discord/2fa', { json: { totp: recoveryCodes[0] }, cookie: pendingCookie });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { id: local.id }, returnTo: '/groups/2fa' });
    expect((await me(cookiesFrom(ok).header)).body.id).toBe(local.id);
  });

  it('refuses to finish without the pending sign-in cookie', async () => {
    const res = await t.request('/api/auth/discord/2fa', { json: { totp: '123456' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'discord_2fa_expired' });
  });
});

/** A fresh instance (no account yet) for the bootstrap rules; the helpers above use `t`, so it is swapped. */
describe('the first account, by the same registration rule as email sign-up', () => {
  let shared: TestApp;
  const freshInstance = async (env: Record<string, string> = {}) => {
    await t.close();
    t = await createTestApp({ ...fake.env, ...env });
  };
  beforeAll(() => {
    shared = t;
  });
  afterAll(async () => {
    await t.close();
    t = shared;
  });
  const isAdmin = async (discordId: string) =>
    (await t.services.database.db.select().from(schema.users).where(eq(schema.users.discordId, discordId)).get())?.isInstanceAdmin;

  it('lets the very first account in on a closed instance, as its admin (no ADMIN_EMAILS)', async () => {
    t = await createTestApp({ ...fake.env });
    await setSetting(t.services.database.db, 'registration', 'closed');
    const du = newDiscordUser();
    expect((await signInWithDiscord(du.id)).location).toBe('/');
    expect(await isAdmin(du.id)).toBe(true);
    expect((await signInWithDiscord(newDiscordUser().id)).location).toBe('/sign-in?error=registration_closed');
  });

  it('does not make the first Discord account an admin when ADMIN_EMAILS names the admins', async () => {
    await freshInstance({ ADMIN_EMAILS: 'boss@example.com' });
    const du = newDiscordUser();
    expect((await signInWithDiscord(du.id)).location).toBe('/');
    expect(await isAdmin(du.id)).toBe(false);
  });
});
