import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, generateVapidKeys, loadConfig } from './env.ts';

const strong = (tag: string) => `${tag}-Zq8w3Lr5Tx9Vb2Nm7Kp4Hj6Gf1Dc0Sa`;

describe('configuration', () => {
  it('generates missing development secrets once into data/secrets.json with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-env-'));
    const first = loadConfig({ DATA_DIR: dir });
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.warnings.join(' ')).toMatch(/Generated development secrets/);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.session.secret).toBe(first.session.secret);
    expect(second.warnings).toHaveLength(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('DATABASE_ENCRYPTION_KEY', first.database.encryptionKey);
    // A VAPID key pair for Web Push is generated with them, once.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('VAPID_PUBLIC_KEY', first.push.vapid.publicKey);
    expect(Buffer.from(first.push.vapid.publicKey, 'base64url')).toHaveLength(65);
    expect(second.push.vapid).toEqual(first.push.vapid);
  });

  it('requires every secret in production and reports each problem on its own line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-env-'));
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, APP_URL: 'https://qc.example' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const name of [
      'DATABASE_ENCRYPTION_KEY',
      'SESSION_SECRET',
      'FIELD_ENCRYPTION_KEY',
      'BACKUP_KEY',
      'METRICS_TOKEN',
      'VAPID_PUBLIC_KEY',
      'VAPID_PRIVATE_KEY',
      'VAPID_SUBJECT',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('refuses weak or reused secrets in production', () => {
    const env = {
      NODE_ENV: 'production',
      APP_URL: 'https://qc.example',
      DATABASE_ENCRYPTION_KEY: 'a'.repeat(40),
      SESSION_SECRET: 'my-password-is-very-long-and-secret-123',
      FIELD_ENCRYPTION_KEY: strong('field'),
      BACKUP_KEY: strong('field'),
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      const text = (e as ConfigError).problems.join('\n');
      expect(text).toMatch(/DATABASE_ENCRYPTION_KEY: has too few distinct characters/);
      expect(text).toMatch(/SESSION_SECRET: contains a guessable word/);
      expect(text).toMatch(/each secret must be different/);
    }
  });

  it('accepts strong production secrets and defaults registration to invite-only', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      APP_URL: 'https://qc.example',
      DATABASE_ENCRYPTION_KEY: strong('db'),
      SESSION_SECRET: strong('session'),
      FIELD_ENCRYPTION_KEY: strong('field'),
      BACKUP_KEY: strong('backup'),
      METRICS_TOKEN: 'metrics-token-0123456789abcdef',
      ...vapidEnv(),
    });
    expect(config.registration).toBe('invite-only');
    expect(config.isHttps).toBe(true);
  });

  it('generates VAPID private keys of exactly 32 bytes (also the 1 in 256 with a leading zero byte)', () => {
    for (let i = 0; i < 3000; i += 1) expect(Buffer.from(generateVapidKeys().privateKey, 'base64url')).toHaveLength(32);
  });

  it('validates the VAPID keys and subject in production', () => {
    const base = {
      NODE_ENV: 'production',
      APP_URL: 'https://qc.example',
      DATABASE_ENCRYPTION_KEY: strong('db'),
      SESSION_SECRET: strong('session'),
      FIELD_ENCRYPTION_KEY: strong('field'),
      BACKUP_KEY: strong('backup'),
      METRICS_TOKEN: 'metrics-token-0123456789abcdef',
    };
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    const other = generateVapidKeys();
    expect(problems({ ...base, ...vapidEnv(), VAPID_PUBLIC_KEY: other.publicKey }).join('\n')).toMatch(/VAPID_PUBLIC_KEY: does not belong/);
    expect(problems({ ...base, ...vapidEnv(), VAPID_PUBLIC_KEY: 'abc' }).join('\n')).toMatch(/VAPID_PUBLIC_KEY: must be a base64url P-256/);
    expect(problems({ ...base, ...vapidEnv(), VAPID_PRIVATE_KEY: 'abc' }).join('\n')).toMatch(/VAPID_PRIVATE_KEY/);
    expect(problems({ ...base, ...vapidEnv(), VAPID_SUBJECT: 'http://qc.example' }).join('\n')).toMatch(/VAPID_SUBJECT: must be a mailto:/);
    expect(problems({ ...base, ...vapidEnv(), PUSH_ENDPOINT_BASE_URL: 'http://127.0.0.1:4020' }).join('\n')).toMatch(
      /PUSH_ENDPOINT_BASE_URL: is for development and tests only/,
    );
    expect(problems({ ...base, ...vapidEnv() })).toEqual([]);
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'qc-env-')) })).toThrow(/PORT/);
    expect(() => loadConfig({ REGISTRATION: 'sometimes', DATA_DIR: mkdtempSync(join(tmpdir(), 'qc-env-')) })).toThrow(/REGISTRATION/);
  });

  it('takes DISCORD_PUBLIC_KEY (64 hex) and DISCORD_APPLICATION_ID together, or neither', () => {
    const dir = () => mkdtempSync(join(tmpdir(), 'qc-env-'));
    const key = 'ab'.repeat(32);
    expect(
      loadConfig({ DATA_DIR: dir(), DISCORD_PUBLIC_KEY: key.toUpperCase(), DISCORD_APPLICATION_ID: '900000000000000001' })
        .discordInteractions,
    ).toEqual({
      publicKey: key,
      applicationId: '900000000000000001',
      installUrl: 'https://discord.com/oauth2/authorize?client_id=900000000000000001&scope=applications.commands',
    });
    expect(loadConfig({ DATA_DIR: dir() }).discordInteractions).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: dir(), DISCORD_PUBLIC_KEY: key })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => loadConfig({ DATA_DIR: dir(), DISCORD_PUBLIC_KEY: 'not-hex', DISCORD_APPLICATION_ID: '1' })).toThrow(/DISCORD_PUBLIC_KEY/);
  });
});

function vapidEnv() {
  const pair = generateVapidKeys();
  return { VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey, VAPID_SUBJECT: 'mailto:ops@qc.example' };
}
