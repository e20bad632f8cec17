/**
 * Recovery codes after set-up: how many are left, and ten new ones for the password,
 * after which the old ones no longer sign in. Audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, login, STRONG_PASSWORD, type TestUser } from '../../test/factories.ts';
import { makeTotp } from './totp.ts';

let t: TestApp;
let user: TestUser;
let oldCodes: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  user = await createUser(t);
  const setup = (await (await t.request('/api/auth/2fa/setup', { method: 'POST', cookie: user.cookie })).json()) as { secret: string };
  const res = await t.request('/api/auth/2fa/enable', { json: { code: makeTotp(setup.secret).generate() }, cookie: user.cookie });
  oldCodes = ((await res.json()) as { recoveryCodes: string[] }).recoveryCodes;
});
afterAll(() => t.close());

const left = async () =>
  ((await (await t.request('/api/auth/2fa/recovery-codes', { cookie: user.cookie })).json()) as { left: number }).left;

describe('recovery codes', () => {
  it('counts what is left, and a used code counts down', async () => {
    expect(await left()).toBe(10);
    expect((await login(t, user.email, user.password, oldCodes[0])).res.status).toBe(200);
    expect(await left()).toBe(9);
  });

  it('regenerates only with the right password; the old codes stop working', async () => {
    const wrong = await t.request('/api/auth/2fa/recovery-codes', { json: { password: 'not my password at all' }, cookie: user.cookie });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: 'invalid_input', details: { password: expect.any(String) } });
    const missing = await t.request('/api/auth/2fa/recovery-codes', { json: {}, cookie: user.cookie });
    expect(missing.status).toBe(400);
    const extra = await t.request('/api/auth/2fa/recovery-codes', {
      json: { password: STRONG_PASSWORD, userId: 'x' },
      cookie: user.cookie,
    });
    expect(extra.status).toBe(400);

    const res = await t.request('/api/auth/2fa/recovery-codes', { json: { password: STRONG_PASSWORD }, cookie: user.cookie });
    expect(res.status).toBe(200);
    const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(await left()).toBe(10);
    expect((await login(t, user.email, user.password, oldCodes[1])).res.status).toBe(401);
    expect((await login(t, user.email, user.password, recoveryCodes[0])).res.status).toBe(200);
    const events = await t.services.database.client.execute({
      sql: "SELECT count(*) AS n FROM security_events WHERE type = 'recovery_codes_regenerated' AND user_id = ?",
      args: [user.id],
    });
    expect(Number(events.rows[0]?.n)).toBe(1);
  });

  it('needs a signed-in user with two-factor on', async () => {
    expect((await t.request('/api/auth/2fa/recovery-codes')).status).toBe(401);
    const other = await createUser(t);
    const res = await t.request('/api/auth/2fa/recovery-codes', { json: { password: STRONG_PASSWORD }, cookie: other.cookie });
    expect(res.status).toBe(409);
  });
});
