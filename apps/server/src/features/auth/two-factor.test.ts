import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, login, STRONG_PASSWORD, type TestUser } from '../../test/factories.ts';
import { sha256 } from '../../lib/crypto.ts';
import { makeTotp, matchingStep, normalizeRecoveryCode, TOTP_PERIOD } from './totp.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const codeAt = (secret: string, offsetSeconds = 0) => makeTotp(secret).generate({ timestamp: Date.now() + offsetSeconds * 1000 });

async function setUp(user: TestUser): Promise<{ secret: string; otpauthUrl: string }> {
  const res = await t.request('/api/auth/2fa/setup', { method: 'POST', cookie: user.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as { secret: string; otpauthUrl: string };
}

async function enable(user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await setUp(user);
  const res = await t.request('/api/auth/2fa/enable', { json: { code: codeAt(secret) }, cookie: user.cookie });
  expect(res.status).toBe(200);
  const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
  return { secret, recoveryCodes };
}

async function userRow(id: string) {
  const r = await t.services.database.client.execute({ sql: 'SELECT * FROM users WHERE id = ?', args: [id] });
  return r.rows[0]!;
}

describe('TOTP verification window (RFC 6238, 30 s steps)', () => {
  // Deterministic: the instant is fixed, so no test depends on when it runs.
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const now = 1_800_000_000_000 + 12_000;
  const step = Math.floor(now / 1000 / TOTP_PERIOD);
  const code = (deltaSteps: number) => makeTotp(secret).generate({ timestamp: now + deltaSteps * TOTP_PERIOD * 1000 });

  it.each([-1, 0, 1])('accepts the code of step %i relative to now and names that step', (delta) => {
    expect(matchingStep(secret, code(delta), now)).toBe(step + delta);
  });
  it.each([-3, -2, 2, 3])('refuses the code of step %i', (delta) => {
    expect(matchingStep(secret, code(delta), now)).toBeUndefined();
  });
});

describe('two-factor set-up', () => {
  it('needs a signed-in user', async () => {
    expect((await t.request('/api/auth/2fa/setup', { method: 'POST' })).status).toBe(401);
    expect((await t.request('/api/auth/2fa/enable', { json: { code: '123456' } })).status).toBe(401);
    expect((await t.request('/api/auth/2fa/disable', { json: { password: 'x' } })).status).toBe(401);
  });

  it('returns an otpauth URL and stores the seed encrypted, not yet enabled', async () => {
    const user = await createUser(t);
    const { secret, otpauthUrl } = await setUp(user);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('QueueCrew');
    const row = await userRow(user.id);
    expect(row.totp_enabled).toBe(0);
    expect(String(row.totp_secret_enc)).toMatch(/^v1\./);
    expect(String(row.totp_secret_enc)).not.toContain(secret);
    expect(t.services.fieldCipher.decrypt(String(row.totp_secret_enc), `totp:${user.id}`)).toBe(secret);
    // Not enabled yet: signing in still needs only the password.
    expect((await login(t, user.email, STRONG_PASSWORD)).res.status).toBe(200);
  });

  it('refuses a wrong code, then enables with a right one and returns ten recovery codes stored hashed', async () => {
    const user = await createUser(t);
    const { secret } = await setUp(user);
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    const bad = await t.request('/api/auth/2fa/enable', { json: { code: wrong }, cookie: user.cookie });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: Record<string, string> }).details.code).toBeTruthy();

    const res = await t.request('/api/auth/2fa/enable', { json: { code: codeAt(secret) }, cookie: user.cookie });
    expect(res.status).toBe(200);
    const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const rc of recoveryCodes) expect(rc).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = await t.services.database.client.execute({
      sql: 'SELECT code_hash FROM recovery_codes WHERE user_id = ?',
      args: [user.id],
    });
    expect(stored.rows.map((r) => r.code_hash).sort()).toEqual(recoveryCodes.map((rc) => sha256(normalizeRecoveryCode(rc))).sort());
    expect((await userRow(user.id)).totp_enabled).toBe(1);
    const me = await t.request('/api/users/me', { cookie: user.cookie });
    expect(((await me.json()) as { twoFactorEnabled: boolean }).twoFactorEnabled).toBe(true);
    // A second set-up would silently replace the seed: refused while enabled.
    expect((await t.request('/api/auth/2fa/setup', { method: 'POST', cookie: user.cookie })).status).toBe(409);
  });

  it('refuses enable without a set-up, and unknown fields', async () => {
    const user = await createUser(t);
    const res = await t.request('/api/auth/2fa/enable', { json: { code: '123456' }, cookie: user.cookie });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('totp_setup_required');
    const extra = await t.request('/api/auth/2fa/enable', { json: { code: '123456', secret: 'AAAA' }, cookie: user.cookie });
    expect(extra.status).toBe(400);
  });
});

describe('sign-in with two-factor on', () => {
  it('needs a code (401 totp_required), accepts the next step, and refuses a replayed or older code', async () => {
    const user = await createUser(t);
    const { secret } = await enable(user);
    const noCode = await login(t, user.email, STRONG_PASSWORD);
    expect(noCode.res.status).toBe(401);
    expect(((await noCode.res.json()) as { code: string }).code).toBe('totp_required');

    // The code of the next step is accepted (clock skew of one step)…
    const next = codeAt(secret, TOTP_PERIOD);
    expect((await login(t, user.email, STRONG_PASSWORD, next)).res.status).toBe(200);
    // …and cannot be used again, nor can any code of an earlier step.
    const replay = await login(t, user.email, STRONG_PASSWORD, next);
    expect(replay.res.status).toBe(401);
    expect(((await replay.res.json()) as { code: string }).code).toBe('totp_required');
    expect((await login(t, user.email, STRONG_PASSWORD, codeAt(secret))).res.status).toBe(401);
    expect((await login(t, user.email, STRONG_PASSWORD, codeAt(secret, -TOTP_PERIOD))).res.status).toBe(401);
    // A wrong password with a right code is still the generic credentials error.
    const wrongPw = await login(t, user.email, 'not the password at all', codeAt(secret, 2 * TOTP_PERIOD));
    expect(((await wrongPw.res.json()) as { code: string }).code).toBe('invalid_credentials');
  });

  it('a recovery code signs in once (however it is typed), and is refused the second time', async () => {
    const user = await createUser(t);
    const { recoveryCodes } = await enable(user);
    const rc = recoveryCodes[3]!;
    const first = await login(t, user.email, STRONG_PASSWORD, rc.toUpperCase().replace('-', ''));
    expect(first.res.status).toBe(200);
    const again = await login(t, user.email, STRONG_PASSWORD, rc);
    expect(again.res.status).toBe(401);
    // The other nine still work.
    expect((await login(t, user.email, STRONG_PASSWORD, recoveryCodes[4])).res.status).toBe(200);
    const used = await t.services.database.client.execute({
      sql: 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NOT NULL',
      args: [user.id],
    });
    expect(used.rows[0]!.n).toBe(2);
    const events = await t.services.database.client.execute({
      sql: "SELECT count(*) AS n FROM security_events WHERE user_id = ? AND type = 'recovery_code_used'",
      args: [user.id],
    });
    expect(events.rows[0]!.n).toBe(2);
  });
});

describe('turning two-factor off', () => {
  it('needs the password or a fresh code; afterwards the seed and recovery codes are gone', async () => {
    const user = await createUser(t);
    const { secret } = await enable(user);
    const wrong = await t.request('/api/auth/2fa/disable', { json: { password: 'not my password!!' }, cookie: user.cookie });
    expect(wrong.status).toBe(400);
    const empty = await t.request('/api/auth/2fa/disable', { json: {}, cookie: user.cookie });
    expect(empty.status).toBe(400);
    const ok = await t.request('/api/auth/2fa/disable', { json: { code: codeAt(secret, TOTP_PERIOD) }, cookie: user.cookie });
    expect(ok.status).toBe(204);
    const row = await userRow(user.id);
    expect(row.totp_enabled).toBe(0);
    expect(row.totp_secret_enc).toBeNull();
    const codes = await t.services.database.client.execute({
      sql: 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ?',
      args: [user.id],
    });
    expect(codes.rows[0]!.n).toBe(0);
    expect((await login(t, user.email, STRONG_PASSWORD)).res.status).toBe(200);
    expect((await t.request('/api/auth/2fa/disable', { json: { password: STRONG_PASSWORD }, cookie: user.cookie })).status).toBe(409);
  });

  it('accepts the password', async () => {
    const user = await createUser(t);
    await enable(user);
    expect((await t.request('/api/auth/2fa/disable', { json: { password: STRONG_PASSWORD }, cookie: user.cookie })).status).toBe(204);
  });

  it('records totp_enabled / totp_disabled events that hold no seed, code or password', async () => {
    const user = await createUser(t);
    const { secret, recoveryCodes } = await enable(user);
    await t.request('/api/auth/2fa/disable', { json: { password: STRONG_PASSWORD }, cookie: user.cookie });
    const rows = await t.services.database.client.execute({ sql: 'SELECT * FROM security_events WHERE user_id = ?', args: [user.id] });
    const types = rows.rows.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['totp_enabled', 'totp_disabled']));
    const dump = JSON.stringify(rows.rows);
    for (const s of [secret, STRONG_PASSWORD, ...recoveryCodes]) expect(dump).not.toContain(s);
    expect(t.logs.text).not.toContain(secret);
  });
});

describe('two-factor rate limit', () => {
  it('limits wrong codes per user (429 with Retry-After)', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on' });
    try {
      const user = await createUser(limited);
      await limited.request('/api/auth/2fa/setup', { method: 'POST', cookie: user.cookie });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        statuses.push((await limited.request('/api/auth/2fa/enable', { json: { code: '000000' }, cookie: user.cookie })).status);
      }
      // 1 set-up + 9 wrong codes are within the 10-per-15-minutes budget; the 10th wrong code is not.
      expect(statuses.slice(0, 9).every((s) => s === 400 || s === 200)).toBe(true);
      const last = await limited.request('/api/auth/2fa/enable', { json: { code: '000000' }, cookie: user.cookie });
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
