import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, login, STRONG_PASSWORD, type TestUser } from '../../test/factories.ts';
import { promoteConfiguredAdmins } from './mutations.ts';

let t: TestApp;
let admin: TestUser;
let member: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { email: 'first@example.test', username: 'first_admin' });
  member = await createUser(t, { email: 'second@example.test', username: 'second_member' });
});
afterAll(async () => {
  await t.close();
});

type Page<T> = { items: T[]; total: number; limit: number; offset: number };
type AdminUser = { id: string; username: string; email: string | null; disabled: boolean; isInstanceAdmin: boolean };
type Event = { id: number; type: string; userId: string | null; detail: Record<string, unknown> | null; createdAt: string };

const asAdmin = (path: string, init: Parameters<TestApp['request']>[1] = {}) =>
  t.request(`/api/admin${path}`, { ...init, cookie: admin.cookie });

async function me(user: TestUser) {
  return (await (await t.request('/api/users/me', { cookie: user.cookie })).json()) as { isInstanceAdmin: boolean };
}

describe('who is an instance admin', () => {
  it('the first registered account is, the next ones are not', async () => {
    expect((await me(admin)).isInstanceAdmin).toBe(true);
    expect((await me(member)).isInstanceAdmin).toBe(false);
  });

  it('adding an existing account to ADMIN_EMAILS promotes it at start-up (and records it)', async () => {
    const later = await createUser(t);
    expect((await t.request('/api/admin/settings', { cookie: later.cookie })).status).toBe(404);
    // What server.ts runs at start with config.adminEmails.
    const promoted = await promoteConfiguredAdmins(
      t.services.database,
      [later.email, 'nobody@example.test'],
      t.services.config.session.secret,
    );
    expect(promoted).toEqual([later.id]);
    expect((await t.request('/api/admin/settings', { cookie: later.cookie })).status).toBe(200);
    expect(await promoteConfiguredAdmins(t.services.database, [later.email], t.services.config.session.secret)).toEqual([]);
    const events = (await (await asAdmin(`/security-events?type=role_changed&userId=${later.id}`)).json()) as Page<Event>;
    expect(events.items.map((e) => e.detail)).toEqual([{ instanceAdmin: true, by: 'ADMIN_EMAILS' }]);
    // Demoted again for the rest of this file (only through the database: there is no API for it).
    await t.services.database.client.execute({ sql: 'UPDATE users SET is_instance_admin = 0 WHERE id = ?', args: [later.id] });
  });

  it('a fresh invite-only instance lets its first account (or an ADMIN_EMAILS address) register, then nobody without an invite', async () => {
    const fresh = await createTestApp({ REGISTRATION: 'invite-only' });
    const listed = await createTestApp({ REGISTRATION: 'closed', ADMIN_EMAILS: 'owner@example.test' });
    try {
      const first = await createUser(fresh);
      expect(
        (await fresh.request('/api/users/me', { cookie: first.cookie }).then((r) => r.json())) as { isInstanceAdmin: boolean },
      ).toMatchObject({
        isInstanceAdmin: true,
      });
      await expect(createUser(fresh)).rejects.toThrow(/403/);
      // With ADMIN_EMAILS set, the first stranger is neither let in nor made admin; the listed owner is.
      await expect(createUser(listed)).rejects.toThrow(/403/);
      const owner = await createUser(listed, { email: 'owner@example.test' });
      expect((await listed.request('/api/admin/settings', { cookie: owner.cookie })).status).toBe(200);
    } finally {
      await fresh.close();
      await listed.close();
    }
  });

  it('ADMIN_EMAILS makes a later account an admin too', async () => {
    const other = await createTestApp({ ADMIN_EMAILS: 'Boss@Example.test' });
    try {
      await createUser(other);
      const boss = await createUser(other, { email: 'boss@example.test' });
      const res = await other.request('/api/admin/settings', { cookie: boss.cookie });
      expect(res.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('non-admins do not see the admin API', () => {
  const calls: Array<[string, string, unknown?]> = [
    ['GET', '/settings'],
    ['PUT', '/settings', { registration: 'open' }],
    ['GET', '/users'],
    ['POST', '/users/x/disable'],
    ['POST', '/users/x/enable'],
    ['DELETE', '/users/x'],
    ['GET', '/security-events'],
  ];

  it.each(calls)('%s %s → 404 like an unknown endpoint, and the attempt is audited', async (method, path, json) => {
    const res = await t.request(`/api/admin${path}`, { method, cookie: member.cookie, ...(json ? { json } : {}) });
    expect(res.status).toBe(404);
    const unknown = await t.request('/api/no-such-thing', { cookie: member.cookie });
    expect(((await res.json()) as { code: string }).code).toBe(((await unknown.json()) as { code: string }).code);
    const events = await t.services.database.client.execute({
      sql: "SELECT detail FROM security_events WHERE type = 'permission_denied' AND user_id = ? ORDER BY id DESC LIMIT 1",
      args: [member.id],
    });
    expect(JSON.parse(String(events.rows[0]!.detail))).toMatchObject({ area: 'admin', method, path: `/api/admin${path}` });
  });

  it('signed out → 401', async () => {
    expect((await t.request('/api/admin/settings')).status).toBe(401);
  });
});

describe('registration policy', () => {
  it('reads, changes and enforces the policy, and audits each change', async () => {
    expect(await (await asAdmin('/settings')).json()).toEqual({ registration: 'open' });

    const closed = await asAdmin('/settings', { method: 'PUT', json: { registration: 'closed' } });
    expect(closed.status).toBe(200);
    const reg = await t.request('/api/auth/register', {
      json: { email: 'late@example.test', username: 'late', password: STRONG_PASSWORD },
    });
    expect(reg.status).toBe(403);
    expect(((await reg.json()) as { code: string }).code).toBe('registration_closed');

    await asAdmin('/settings', { method: 'PUT', json: { registration: 'invite-only' } });
    const reg2 = await t.request('/api/auth/register', {
      json: { email: 'late@example.test', username: 'late', password: STRONG_PASSWORD },
    });
    expect(((await reg2.json()) as { code: string }).code).toBe('invite_required');

    await asAdmin('/settings', { method: 'PUT', json: { registration: 'open' } });
    const events = (await (await asAdmin('/security-events?type=registration_policy_changed')).json()) as Page<Event>;
    expect(events.items.map((e) => e.detail)).toEqual([
      { from: 'invite-only', to: 'open' },
      { from: 'closed', to: 'invite-only' },
      { from: 'open', to: 'closed' },
    ]);
    expect(events.items.every((e) => e.userId === admin.id)).toBe(true);
  });

  it.each([{ registration: 'everyone' }, {}, { registration: 'open', extra: true }])('refuses %j with 400', async (json) => {
    const res = await asAdmin('/settings', { method: 'PUT', json });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_input');
  });
});

describe('accounts', () => {
  it('lists accounts newest first with paging, and searches username or email literally', async () => {
    await createUser(t, { email: 'zedunder@example.test', username: 'zed_under' });
    const all = (await (await asAdmin('/users?limit=100')).json()) as Page<AdminUser>;
    expect(all.total).toBeGreaterThanOrEqual(3);
    const first = (await (await asAdmin('/users?limit=1&offset=0')).json()) as Page<AdminUser>;
    const second = (await (await asAdmin('/users?limit=1&offset=1')).json()) as Page<AdminUser>;
    expect(first.items).toHaveLength(1);
    expect(first.items[0]!.id).not.toBe(second.items[0]!.id);
    expect(first.total).toBe(all.total);

    const byName = (await (await asAdmin('/users?q=SECOND_mem')).json()) as Page<AdminUser>;
    expect(byName.items.map((u) => u.id)).toEqual([member.id]);
    const byEmail = (await (await asAdmin('/users?q=first@')).json()) as Page<AdminUser>;
    expect(byEmail.items.map((u) => u.id)).toEqual([admin.id]);
    // % and _ are matched literally, not as wildcards.
    const percent = (await (await asAdmin(`/users?q=${encodeURIComponent('%')}`)).json()) as Page<AdminUser>;
    expect(percent.total).toBe(0);
    const underscore = (await (await asAdmin('/users?q=d_u')).json()) as Page<AdminUser>;
    expect(underscore.items.map((u) => u.username)).toEqual(['zed_under']);
    const wildcard = (await (await asAdmin('/users?q=dxu')).json()) as Page<AdminUser>;
    expect(wildcard.total).toBe(0);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', `q=${'x'.repeat(101)}`])('refuses ?%s with 400', async (query) => {
    expect((await asAdmin(`/users?${query}`)).status).toBe(400);
  });

  it('disabling revokes every session at once and blocks sign-in; enabling lets the user sign in again', async () => {
    const target = await createUser(t);
    const second = await login(t, target.email, STRONG_PASSWORD);
    const res = await asAdmin(`/users/${target.id}/disable`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as AdminUser).disabled).toBe(true);

    expect((await t.request('/api/users/me', { cookie: target.cookie })).status).toBe(401);
    expect((await t.request('/api/users/me', { bearer: second.accessToken })).status).toBe(401);
    const refresh = await t.request('/api/auth/refresh', { method: 'POST', cookie: second.cookie });
    expect(refresh.status).toBe(401);
    const denied = await login(t, target.email, STRONG_PASSWORD);
    expect(denied.res.status).toBe(401);
    expect(((await denied.res.json()) as { code: string }).code).toBe('invalid_credentials');
    const live = await t.services.database.client.execute({
      sql: 'SELECT count(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL',
      args: [target.id],
    });
    expect(live.rows[0]!.n).toBe(0);

    expect((await asAdmin(`/users/${target.id}/enable`, { method: 'POST' })).status).toBe(200);
    expect((await login(t, target.email, STRONG_PASSWORD)).res.status).toBe(200);

    const events = (await (await asAdmin(`/security-events?userId=${target.id}`)).json()) as Page<Event>;
    const types = events.items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['account_disabled', 'account_enabled']));
    expect(events.items.find((e) => e.type === 'account_disabled')!.detail).toEqual({ adminId: admin.id });
  });

  it('an admin cannot disable or delete themself here (409), and unknown ids are 404', async () => {
    expect((await asAdmin(`/users/${admin.id}/disable`, { method: 'POST' })).status).toBe(409);
    expect((await asAdmin(`/users/${admin.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await asAdmin('/users/nobody-here/disable', { method: 'POST' })).status).toBe(404);
    expect((await asAdmin('/users/nobody-here', { method: 'DELETE' })).status).toBe(404);
  });

  it('deleting an account removes it, signs it out, and pseudonymises its audit trail', async () => {
    const target = await createUser(t);
    await login(t, target.email, 'a wrong password here');
    const res = await asAdmin(`/users/${target.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await t.request('/api/users/me', { cookie: target.cookie })).status).toBe(401);
    expect((await login(t, target.email, STRONG_PASSWORD)).res.status).toBe(401);
    expect((await asAdmin(`/users/${target.id}`, { method: 'DELETE' })).status).toBe(404);
    const left = await t.services.database.client.execute({
      sql: 'SELECT count(*) AS n FROM security_events WHERE user_id = ?',
      args: [target.id],
    });
    expect(left.rows[0]!.n).toBe(0);
    const byAdmin = (await (await asAdmin(`/security-events?type=account_deleted&userId=${admin.id}`)).json()) as Page<Event>;
    expect(byAdmin.items[0]!.detail).toMatchObject({ by: 'instance_admin', targetSubject: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});

describe('security event log', () => {
  it('filters by type, user and time range, with paging', async () => {
    await login(t, member.email, 'definitely the wrong one');
    await login(t, member.email, 'definitely the wrong two');
    const failed = (await (await asAdmin(`/security-events?type=login_failed&userId=${member.id}&limit=1`)).json()) as Page<Event>;
    expect(failed.total).toBe(2);
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ type: 'login_failed', userId: member.id, detail: { reason: 'credentials' } });
    const next = (await (await asAdmin(`/security-events?type=login_failed&userId=${member.id}&limit=1&offset=1`)).json()) as Page<Event>;
    expect(next.items[0]!.id).toBeLessThan(failed.items[0]!.id);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = (await (await asAdmin(`/security-events?from=${encodeURIComponent(future)}`)).json()) as Page<Event>;
    expect(none.total).toBe(0);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const beforePast = (await (await asAdmin(`/security-events?to=${encodeURIComponent(past)}`)).json()) as Page<Event>;
    expect(beforePast.total).toBe(0);
    const recent = (await (
      await asAdmin(`/security-events?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)
    ).json()) as Page<Event>;
    expect(recent.total).toBeGreaterThan(0);
  });

  it.each(['from=yesterday', 'type=DROP%20TABLE', 'limit=1000', 'userId='])('refuses ?%s with 400', async (query) => {
    expect((await asAdmin(`/security-events?${query}`)).status).toBe(400);
  });
});

describe('security log readability (issue 14)', () => {
  it('names the account by its username while it exists', async () => {
    const events = (await (await asAdmin(`/security-events?userId=${member.id}`)).json()) as Page<Event & { username: string | null }>;
    expect(events.items.length).toBeGreaterThan(0);
    for (const e of events.items) expect(e.username).toBe('second_member');
    const anonymous = (await (await asAdmin('/security-events')).json()) as Page<Event & { username: string | null }>;
    for (const e of anonymous.items.filter((x) => x.userId === null)) expect(e.username).toBeNull();
  });
});
