import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { cookiesFrom, createUser, login, STRONG_PASSWORD } from '../../test/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('register', () => {
  it('creates an account, signs in with HttpOnly cookies and returns the user', async () => {
    const res = await t.request('/api/auth/register', { json: { email: 'Ana@Example.test', username: 'ana', password: STRONG_PASSWORD } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { email: string; username: string } };
    expect(body.user).toMatchObject({ email: 'ana@example.test', username: 'ana', twoFactorEnabled: false });
    const setCookies = res.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith('qc_access='))!;
    const refresh = setCookies.find((c) => c.startsWith('qc_refresh='))!;
    expect(access).toMatch(/HttpOnly/);
    expect(access).toMatch(/SameSite=Lax/);
    expect(refresh).toMatch(/HttpOnly/);
    expect(refresh).toMatch(/SameSite=Strict/);
    expect(refresh).toMatch(/Path=\/api\/auth/);
    const me = await t.request('/api/users/me', { cookie: cookiesFrom(res).header });
    expect(me.status).toBe(200);
  });

  it('answers 409 for a taken email, case-insensitively', async () => {
    const res = await t.request('/api/auth/register', { json: { email: 'ANA@example.test', username: 'ana2', password: STRONG_PASSWORD } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'email_taken' });
  });

  it.each([
    ['short', 'short1!'],
    ['long', 'x'.repeat(129)],
    ['common', 'password1234'],
    ['repetitive', 'aaaaaaaaaaaaaaaa'],
    ['keyboard walk', 'qwertyuiop123'],
    ['contains the username', 'carlos_rivera_2024'],
  ])('refuses a %s password with a field message', async (_label, password) => {
    const res = await t.request('/api/auth/register', { json: { email: 'weak@example.test', username: 'carlos_rivera', password } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(body.details.password).toBeTruthy();
  });

  it('refuses unknown fields instead of applying them', async () => {
    const res = await t.request('/api/auth/register', {
      json: { email: 'x@example.test', username: 'xx', password: STRONG_PASSWORD, isInstanceAdmin: true },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: Record<string, string> }).details).toHaveProperty('isInstanceAdmin');
  });
});

describe('login', () => {
  it('gives the same error for an unknown email and a wrong password', async () => {
    const u = await createUser(t);
    const wrong = await login(t, u.email, 'not the right password at all');
    const unknown = await login(t, 'nobody@example.test', 'not the right password at all');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(await wrong.res.json()).toEqual(await unknown.res.json());
  });

  it('signs in with the right password', async () => {
    const u = await createUser(t);
    const { res, cookie } = await login(t, u.email, u.password);
    expect(res.status).toBe(200);
    expect((await t.request('/api/users/me', { cookie })).status).toBe(200);
  });

  it('does not log the password or any token', async () => {
    const u = await createUser(t);
    const { accessToken, refreshToken } = await login(t, u.email, u.password);
    expect(t.logs.text).not.toContain(u.password);
    expect(t.logs.text).not.toContain(accessToken);
    expect(t.logs.text).not.toContain(refreshToken);
  });
});

describe('refresh', () => {
  it('rotates the refresh token; reusing the old one revokes the whole session', async () => {
    const u = await createUser(t);
    const first = await t.request('/api/auth/refresh', { method: 'POST', cookie: `qc_refresh=${u.refreshToken}` });
    expect(first.status).toBe(200);
    const rotated = cookiesFrom(first).values['qc_refresh']!;
    expect(rotated).not.toBe(u.refreshToken);
    const reuse = await t.request('/api/auth/refresh', { method: 'POST', cookie: `qc_refresh=${u.refreshToken}` });
    expect(reuse.status).toBe(401);
    // The family is gone: the newest token and the access token both stop working.
    const after = await t.request('/api/auth/refresh', { method: 'POST', cookie: `qc_refresh=${rotated}` });
    expect(after.status).toBe(401);
    expect((await t.request('/api/users/me', { bearer: u.accessToken })).status).toBe(401);
  });
});

describe('logout', () => {
  it('revokes the session server-side and sends Clear-Site-Data', async () => {
    const u = await createUser(t);
    const res = await t.request('/api/auth/logout', { method: 'POST', cookie: u.cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get('clear-site-data')).toContain('cookies');
    expect((await t.request('/api/users/me', { bearer: u.accessToken })).status).toBe(401);
    expect((await t.request('/api/auth/refresh', { method: 'POST', cookie: `qc_refresh=${u.refreshToken}` })).status).toBe(401);
  });
});

describe('access tokens', () => {
  const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString()) as Record<string, unknown>;
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('refuses a tampered payload', async () => {
    const u = await createUser(t);
    const [h, p, s] = u.accessToken.split('.');
    const forged = `${h}.${encode({ ...decode(p!), sub: 'someone-else' })}.${s}`;
    expect((await t.request('/api/users/me', { bearer: forged })).status).toBe(401);
  });

  it('refuses alg:none', async () => {
    const u = await createUser(t);
    const [, p] = u.accessToken.split('.');
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${p}.`;
    expect((await t.request('/api/users/me', { bearer: none })).status).toBe(401);
  });

  it('refuses a wrong audience, wrong issuer, other key and an expired token', async () => {
    const u = await createUser(t);
    const claims = decode(u.accessToken.split('.')[1]!);
    const key = new TextEncoder().encode('some-other-key-that-is-long-enough-000');
    const mk = (o: Partial<{ aud: string; iss: string; exp: number }>) =>
      new SignJWT({ sid: claims['sid'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(claims['sub']))
        .setIssuer(o.iss ?? String(claims['iss']))
        .setAudience(o.aud ?? String(claims['aud']))
        .setIssuedAt()
        .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 600)
        .sign(key);
    for (const token of [await mk({ aud: 'other' }), await mk({ iss: 'https://evil.test' }), await mk({}), await mk({ exp: 1 })]) {
      expect((await t.request('/api/users/me', { bearer: token })).status).toBe(401);
    }
  });
});

describe('sessions and password', () => {
  it('lists sessions, revokes one, and a password change signs out the others', async () => {
    const u = await createUser(t);
    const second = await login(t, u.email, u.password);
    const list = await t.request('/api/auth/sessions', { cookie: u.cookie });
    const sessions = (await list.json()) as Array<{ id: string; current: boolean }>;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const change = await t.request('/api/auth/password', {
      cookie: u.cookie,
      json: { currentPassword: u.password, newPassword: 'another fine passphrase 99' },
    });
    expect(change.status).toBe(204);
    expect((await t.request('/api/users/me', { cookie: second.cookie })).status).toBe(401);
    expect((await t.request('/api/users/me', { cookie: u.cookie })).status).toBe(200);
    expect((await login(t, u.email, 'another fine passphrase 99')).res.status).toBe(200);
  });

  it('requires the current password to change it', async () => {
    const u = await createUser(t);
    const res = await t.request('/api/auth/password', { cookie: u.cookie, json: { newPassword: 'another fine passphrase 99' } });
    expect(res.status).toBe(400);
  });
});
