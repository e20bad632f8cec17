/**
 * Admin-issued one-time password reset links (docs/decisions/108, docs/security.md "Password reset
 * links"): the attacks first — expired, reused, replaced and someone else's token, guessing, leaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, login, type TestUser } from '../../test/factories.ts';

const NEW_PASSWORD = 'violet kettle marches sideways 19';
let t: TestApp;
let admin: TestUser;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  admin = await createUser(t); // the first account is the instance admin
});
afterAll(async () => {
  await t.close();
});

async function issue(userId: string, as: TestUser = admin) {
  return t.request(`/api/admin/users/${userId}/password-reset-link`, { method: 'POST', cookie: as.cookie });
}
async function issueToken(userId: string): Promise<string> {
  const res = await issue(userId);
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  return new URL(url).hash.replace('#token=', '');
}
const reset = (token: string, newPassword = NEW_PASSWORD, cookie?: string) =>
  t.request('/api/auth/password-reset', { json: { token, newPassword }, ...(cookie ? { cookie } : {}) });
const errorCode = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('issuing a reset link', () => {
  it('gives the admin a link with the token in the fragment, expiring in 24 hours', async () => {
    const user = await createUser(t);
    const res = await issue(user.id);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { url: string; expiresAt: string };
    expect(body.url).toMatch(/^http:\/\/localhost:3000\/reset-password#token=[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - clock.now().getTime()).toBe(24 * 60 * 60 * 1000);
  });

  it('is refused to non-admins (404), for oneself, and for unknown accounts', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const asMember = await issue(other.id, user);
    expect(asMember.status).toBe(404);
    const self = await issue(admin.id);
    expect(self.status).toBe(409);
    expect(await errorCode(self)).toBe('cannot_change_self');
    expect((await issue('no-such-user')).status).toBe(404);
  });

  it('is refused for a disabled account', async () => {
    const user = await createUser(t);
    expect((await t.request(`/api/admin/users/${user.id}/disable`, { method: 'POST', cookie: admin.cookie })).status).toBe(200);
    const res = await issue(user.id);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('account_disabled');
  });
});

describe('using a reset link', () => {
  it('sets the new password, revokes every session of the account, and is audited', async () => {
    const user = await createUser(t);
    const second = await login(t, user.email, user.password);
    expect(second.res.status).toBe(200);
    const token = await issueToken(user.id);
    const res = await reset(token);
    expect(res.status).toBe(204);
    // Both of the user's sessions are gone; the admin's is untouched.
    for (const cookie of [user.cookie, second.cookie]) {
      expect((await t.request('/api/users/me', { cookie })).status).toBe(401);
    }
    expect((await t.request('/api/users/me', { cookie: admin.cookie })).status).toBe(200);
    expect((await login(t, user.email, user.password)).res.status).toBe(401);
    expect((await login(t, user.email, NEW_PASSWORD)).res.status).toBe(200);
    const events = (await (await t.request(`/api/admin/security-events?userId=${user.id}`, { cookie: admin.cookie })).json()) as {
      items: Array<{ type: string; detail: Record<string, unknown> | null }>;
    };
    const types = events.items.map((e) => e.type);
    expect(types).toContain('password_reset_link_created');
    expect(types).toContain('password_reset_used');
    expect(events.items.find((e) => e.type === 'password_reset_link_created')?.detail).toMatchObject({ adminId: admin.id });
  });

  it('works only once', async () => {
    const user = await createUser(t);
    const token = await issueToken(user.id);
    expect((await reset(token)).status).toBe(204);
    const again = await reset(token, 'another fine passphrase 77');
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe('reset_link_invalid');
    expect((await login(t, user.email, NEW_PASSWORD)).res.status).toBe(200);
  });

  it('does not work after 24 hours', async () => {
    const user = await createUser(t);
    const token = await issueToken(user.id);
    const start = clock.now();
    try {
      clock.set(start.getTime() + 24 * 60 * 60 * 1000 + 1000);
      const res = await reset(token);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('reset_link_invalid');
    } finally {
      clock.set(start);
    }
    expect((await login(t, user.email, user.password)).res.status).toBe(200);
  });

  it('stops working when a newer link is created for the account', async () => {
    const user = await createUser(t);
    const first = await issueToken(user.id);
    const second = await issueToken(user.id);
    expect(await errorCode(await reset(first))).toBe('reset_link_invalid');
    expect((await reset(second)).status).toBe(204);
  });

  it("changes only the account the token was issued for, whoever sends it (another user's token)", async () => {
    const owner = await createUser(t);
    const mallory = await createUser(t);
    const token = await issueToken(owner.id);
    // Mallory, signed in, uses the owner's link: it cannot become a reset of her own account.
    expect((await reset(token, NEW_PASSWORD, mallory.cookie)).status).toBe(204);
    expect((await login(t, mallory.email, NEW_PASSWORD)).res.status).toBe(401);
    expect((await login(t, mallory.email, mallory.password)).res.status).toBe(200);
    expect((await t.request('/api/users/me', { cookie: mallory.cookie })).status).toBe(200);
    expect((await login(t, owner.email, NEW_PASSWORD)).res.status).toBe(200);
    // And a token issued for one account does not unlock a link of another: each is checked by its hash alone.
    const a = await createUser(t);
    const b = await createUser(t);
    const tokenA = await issueToken(a.id);
    await issueToken(b.id);
    expect((await reset(tokenA)).status).toBe(204);
    expect((await login(t, b.email, NEW_PASSWORD)).res.status).toBe(401);
  });

  it('refuses a weak password without using up the link', async () => {
    const user = await createUser(t);
    const token = await issueToken(user.id);
    const weak = await reset(token, 'password12345');
    expect(weak.status).toBe(400);
    const body = (await weak.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(body.details.newPassword).toBeTruthy();
    expect((await reset(token)).status).toBe(204);
  });

  it('answers malformed input in the error format, never a 500', async () => {
    for (const json of [{}, { token: 'short', newPassword: NEW_PASSWORD }, { token: 'x'.repeat(43) }, { token: 1, newPassword: 2 }]) {
      const res = await t.request('/api/auth/password-reset', { json });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('invalid_input');
    }
    const unknown = await reset('A'.repeat(43));
    expect(unknown.status).toBe(400);
    expect(await errorCode(unknown)).toBe('reset_link_invalid');
  });

  it('never writes the token (or its hash) to the log or the audit trail', async () => {
    const user = await createUser(t);
    const token = await issueToken(user.id);
    expect((await reset(token)).status).toBe(204);
    const rows = await t.services.database.client.execute('SELECT detail FROM security_events');
    const audit = rows.rows.map((r) => String(r.detail)).join('\n');
    for (const secret of [token, sha256(token)]) {
      expect(t.logs.text).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
  });
});

describe('guessing tokens', () => {
  it('is rate limited per address: the 11th try in 15 minutes gets 429', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const res = await limited.request('/api/auth/password-reset', {
          json: { token: `${'B'.repeat(40)}${String(i).padStart(3, '0')}`, newPassword: NEW_PASSWORD },
        });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
      expect(statuses[10]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
