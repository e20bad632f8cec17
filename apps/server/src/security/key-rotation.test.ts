/**
 * Key rotation keeps everyone signed in and every encrypted field readable:
 *   1. an instance runs with the old keys and writes encrypted fields (TOTP seed, invite code, webhook);
 *   2. it restarts with new keys + the old ones as *_PREVIOUS: old tokens still verify, new tokens carry
 *      the new kid, old fields still decrypt;
 *   3. `npm run rotate-keys` (the real CLI, in a child process) re-encrypts every field;
 *   4. it restarts with only the new keys: fields decrypt, the 2FA seed still works, and a token signed
 *      with the retired secret is refused.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import { loadConfig } from '../env.ts';
import { keyId } from '../lib/crypto.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices, type Services } from '../services.ts';
import { LogCapture, TEST_ORIGIN, testEnv } from '../test/create-test-app.ts';
import { cookiesFrom, STRONG_PASSWORD } from '../test/factories.ts';
import { makeTotp, TOTP_PERIOD } from '../features/auth/totp.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../../..');

const OLD = { session: 'old-session-secret-5f0c2a9e7b1d4c3a8e6f9b2d7c1a4e8f', field: 'old-field-key-9d3b7e1c5a8f2d6b4e0c9a7f3e1d5b8c' };
const NEW = { session: 'new-session-secret-2b8e4d1f7a3c9e5b0d6f2a8c4e1b7d3f', field: 'new-field-key-7c1e5a9d3f8b2e6c0a4d9f3b7e1c5a2d' };

interface Instance {
  services: Services;
  request(path: string, init?: { json?: unknown; method?: string; cookie?: string; bearer?: string }): Promise<Response>;
  close(): void;
}

let dir: string;
const envFor = (keys: Record<string, string>, dataDir = dir) => testEnv(dataDir, keys);

async function instance(keys: Record<string, string>, dataDir = dir): Promise<Instance> {
  const config = loadConfig(envFor(keys, dataDir));
  const logger = createLogger('warn', new LogCapture());
  const database = await openDatabase(config, logger);
  const services = createServices(config, database, logger);
  const app = createApp(services);
  return {
    services,
    async request(path, init = {}) {
      const headers = new Headers();
      const method = init.method ?? (init.json !== undefined ? 'POST' : 'GET');
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      if (method !== 'GET') headers.set('origin', TEST_ORIGIN);
      if (init.cookie) headers.set('cookie', init.cookie);
      if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
      return app.request(`${TEST_ORIGIN}${path}`, {
        method,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
      });
    },
    close: () => database.close(),
  };
}

async function rotateKeysCli(keys: Record<string, string>, ...args: string[]) {
  return rotateKeysCliIn(dir, keys, ...args);
}
async function rotateKeysCliIn(dataDir: string, keys: Record<string, string>, ...args: string[]) {
  const env = { ...process.env, ...envFor(keys, dataDir) } as Record<string, string>;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/rotate-keys.ts', ...args], { cwd: ROOT, env });
    return { code: 0, report: JSON.parse(stdout) as Report };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, report: (err.stdout ? JSON.parse(err.stdout) : undefined) as Report, stderr: err.stderr };
  }
}
interface Report {
  ok: boolean;
  fieldEncryption: {
    currentKid: string;
    fields: Array<{ field: string; total: number; rotated: number; current: number; unreadable: string[] }>;
  };
  jwt: { currentKid: string; previousKids: string[] };
}

const oldKeys = { SESSION_SECRET: OLD.session, FIELD_ENCRYPTION_KEY: OLD.field };
const rotatingKeys = {
  SESSION_SECRET: NEW.session,
  SESSION_SECRET_PREVIOUS: OLD.session,
  FIELD_ENCRYPTION_KEY: NEW.field,
  FIELD_ENCRYPTION_KEY_PREVIOUS: OLD.field,
};
const newKeys = { SESSION_SECRET: NEW.session, FIELD_ENCRYPTION_KEY: NEW.field };

const email = 'rotate@example.test';
let oldAccessToken: string;
let totpSecret: string;
let groupId: string;
let inviteCode: string;
let recoveryCodes: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qc-rotate-'));
  const a = await instance(oldKeys);
  try {
    const reg = await a.request('/api/auth/register', { json: { email, username: 'rotator', password: STRONG_PASSWORD } });
    expect(reg.status).toBe(201);
    const cookie = cookiesFrom(reg).header;
    oldAccessToken = cookiesFrom(reg).values.qc_access!;
    totpSecret = ((await (await a.request('/api/auth/2fa/setup', { method: 'POST', cookie })).json()) as { secret: string }).secret;
    const enabled = await a.request('/api/auth/2fa/enable', { json: { code: makeTotp(totpSecret).generate() }, cookie });
    expect(enabled.status).toBe(200);
    recoveryCodes = ((await enabled.json()) as { recoveryCodes: string[] }).recoveryCodes;
    const group = await a.request('/api/groups', { json: { name: 'Rotation crew' }, cookie });
    groupId = ((await group.json()) as { id: string }).id;
    const invite = await a.request(`/api/groups/${groupId}/invites`, { json: {}, cookie });
    expect(invite.status).toBe(201);
    inviteCode = ((await invite.json()) as { code: string }).code;
    const hook = await a.request(`/api/groups/${groupId}`, {
      method: 'PATCH',
      json: { discordWebhookUrl: 'https://discord.com/api/webhooks/123456789012345678/abcDEF_token-123' },
      cookie,
    });
    expect(hook.status).toBe(200);
  } finally {
    a.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function encryptedValues(s: Services) {
  const q = async (sql: string) => (await s.database.client.execute(sql)).rows.map((r) => String(r.v));
  return [
    ...(await q('SELECT totp_secret_enc AS v FROM users WHERE totp_secret_enc IS NOT NULL')),
    ...(await q('SELECT code_enc AS v FROM invites')),
    ...(await q('SELECT discord_webhook_enc AS v FROM groups WHERE discord_webhook_enc IS NOT NULL')),
  ];
}

describe('rotating SESSION_SECRET and FIELD_ENCRYPTION_KEY', () => {
  it('during rotation: old tokens still verify, new ones use the new kid, old fields still decrypt', async () => {
    const b = await instance(rotatingKeys);
    try {
      expect(decodeProtectedHeader(oldAccessToken).kid).toBe(keyId(OLD.session));
      expect((await b.request('/api/users/me', { bearer: oldAccessToken })).status).toBe(200);
      // A recovery code here: the next TOTP step is kept for the check after rotation.
      const login = await b.request('/api/auth/login', { json: { email, password: STRONG_PASSWORD, totp: recoveryCodes[0] } });
      expect(login.status).toBe(200);
      const fresh = cookiesFrom(login).values.qc_access!;
      expect(decodeProtectedHeader(fresh).kid).toBe(keyId(NEW.session));
      expect((await b.request('/api/users/me', { bearer: fresh })).status).toBe(200);
      const invites = (await (await b.request(`/api/groups/${groupId}/invites`, { bearer: fresh })).json()) as Array<{ code: string }>;
      expect(invites.map((i) => i.code)).toEqual([inviteCode]);
      const values = await encryptedValues(b.services);
      expect(values).toHaveLength(3);
      for (const v of values) expect(v.split('.')[1]).toBe(keyId(OLD.field));
    } finally {
      b.close();
    }
  });

  it('`rotate-keys --check` reports the fields still on the old key (exit 1), `rotate-keys` re-encrypts them all', async () => {
    const before = await rotateKeysCli(rotatingKeys, '--check');
    expect(before.code).toBe(1);
    expect(before.report.ok).toBe(false);

    const rotation = await rotateKeysCli(rotatingKeys);
    expect(rotation.code).toBe(0);
    expect(rotation.report.fieldEncryption.fields.map((f) => [f.field, f.total, f.rotated, f.unreadable.length])).toEqual([
      ['users.totp_secret_enc', 1, 1, 0],
      ['invites.code_enc', 1, 1, 0],
      ['groups.discord_webhook_enc', 1, 1, 0],
      // Web Push devices are rotated too (none were subscribed here; features/push covers their encryption).
      ['push_subscriptions.endpoint_enc', 0, 0, 0],
      ['push_subscriptions.keys_enc', 0, 0, 0],
    ]);
    expect(rotation.report.jwt).toMatchObject({ currentKid: keyId(NEW.session), previousKids: [keyId(OLD.session)] });

    const after = await rotateKeysCli(rotatingKeys, '--check');
    expect(after.code).toBe(0);
    expect(after.report.fieldEncryption.fields.every((f) => f.current === f.total)).toBe(true);
  });

  it('after rotation, with only the new keys: every field decrypts and the retired secret no longer verifies', async () => {
    const c = await instance(newKeys);
    try {
      for (const v of await encryptedValues(c.services)) expect(v.split('.')[1]).toBe(keyId(NEW.field));
      // The TOTP seed decrypts with the new key: sign-in with a code works (the next step: the current
      // one was used to enable 2FA).
      const login = await c.request('/api/auth/login', {
        json: { email, password: STRONG_PASSWORD, totp: makeTotp(totpSecret).generate({ timestamp: Date.now() + TOTP_PERIOD * 1000 }) },
      });
      expect(login.status).toBe(200);
      const token = cookiesFrom(login).values.qc_access!;
      const invites = (await (await c.request(`/api/groups/${groupId}/invites`, { bearer: token })).json()) as Array<{ code: string }>;
      expect(invites.map((i) => i.code)).toEqual([inviteCode]);
      const group = (await (await c.request(`/api/groups/${groupId}`, { bearer: token })).json()) as {
        discordWebhook: { configured: boolean; masked: string };
      };
      expect(group.discordWebhook.configured).toBe(true);
      expect(group.discordWebhook.masked).toMatch(/^https:\/\/discord\.com\/api\/webhooks\//);
      // SESSION_SECRET_PREVIOUS removed: a token signed with the old secret is refused.
      expect((await c.request('/api/users/me', { bearer: oldAccessToken })).status).toBe(401);
    } finally {
      c.close();
    }
  });

  it('refuses to lose data: with the old key gone too early, unreadable values are reported and the exit code is 1', async () => {
    const other = { SESSION_SECRET: NEW.session, FIELD_ENCRYPTION_KEY: 'third-field-key-4e8a2c6f0b9d3e7a1c5f8b2d6e0a4c9f' };
    const res = await rotateKeysCli(other);
    expect(res.code).toBe(1);
    expect(res.report.fieldEncryption.fields.every((f) => f.unreadable.length === f.total)).toBe(true);
    expect(res.stderr).toMatch(/FIELD_ENCRYPTION_KEY_PREVIOUS/);
  });

  it('`rotate-keys --database` re-encrypts the database file: the new key opens it, the old one no longer does', async () => {
    const DB_OLD = 'test-db-key-0123456789abcdefghijklmnopqrstuvwxyz';
    const DB_NEW = 'new-db-key-8f3a1c7e5b9d2f6a0c4e8b1d7f3a9c5e';
    // A copy nobody in this test process holds open (as when the server is stopped); VACUUM INTO keeps
    // the copy encrypted with the same key (docs/decisions/040).
    const copyDir = mkdtempSync(join(tmpdir(), 'qc-rekey-'));
    const source = createClient({ url: `file:${join(dir, 'queuecrew.db')}`, encryptionKey: DB_OLD });
    await source.execute({ sql: 'VACUUM INTO ?', args: [join(copyDir, 'queuecrew.db')] });
    source.close();
    try {
      const keys = { ...newKeys, DATABASE_ENCRYPTION_KEY: DB_OLD, DATABASE_ENCRYPTION_KEY_NEW: DB_NEW };
      const res = await rotateKeysCliIn(copyDir, keys, '--database');
      expect(res.stderr ?? '', res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.report).toMatchObject({ ok: true, integrity: 'ok', users: 1 });
      // The old key no longer opens the file; the new one does, with the data intact.
      await expect(instance({ ...newKeys, DATABASE_ENCRYPTION_KEY: DB_OLD }, copyDir)).rejects.toThrow(/DATABASE_ENCRYPTION_KEY is wrong/);
      const d = await instance({ ...newKeys, DATABASE_ENCRYPTION_KEY: DB_NEW }, copyDir);
      try {
        const login = await d.request('/api/auth/login', { json: { email, password: STRONG_PASSWORD, totp: recoveryCodes[1] } });
        expect(login.status).toBe(200);
      } finally {
        d.close();
      }
      // Running it again with the old key as current is refused with a clear message, not a stack.
      const again = await rotateKeysCliIn(copyDir, keys, '--database');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/DATABASE_ENCRYPTION_KEY does not open/);
      expect(again.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  it('`rotate-keys --revoke-sessions` signs everybody out at once and records it', async () => {
    const e = await instance(newKeys);
    try {
      const login = await e.request('/api/auth/login', { json: { email, password: STRONG_PASSWORD, totp: recoveryCodes[2] } });
      const token = cookiesFrom(login).values.qc_access!;
      expect((await e.request('/api/users/me', { bearer: token })).status).toBe(200);
      const res = await rotateKeysCli(newKeys, '--revoke-sessions');
      expect(res.code).toBe(0);
      expect((res.report as unknown as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
      // The same server process, no restart: the access token stops working on the next request.
      expect((await e.request('/api/users/me', { bearer: token })).status).toBe(401);
      expect((await e.request('/api/auth/refresh', { method: 'POST', cookie: cookiesFrom(login).header })).status).toBe(401);
      const events = await e.services.database.client.execute("SELECT detail FROM security_events WHERE type = 'sessions_revoked_all'");
      expect(JSON.parse(String(events.rows.at(-1)!.detail))).toMatchObject({ by: 'operator' });
    } finally {
      e.close();
    }
  });
});
