/**
 * Command registration against the fake Discord (a real HTTP server): client-credentials token with
 * HTTP Basic and the `applications.commands.update` scope, then a bulk-overwrite PUT. Run twice, the
 * commands are the same (same ids, one entry each): idempotent. Also through `npm run discord:commands`.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { COMMANDS, RegisterError, registerCommands } from './index.ts';

const APP_ID = '900000000000000002';
const ROOT = resolve(import.meta.dirname, '../../../../..');
let fake: FakeDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord({ clientId: APP_ID });
});
afterAll(async () => {
  await fake.stop();
});

const options = () => ({ apiUrl: `${fake.url}/api`, applicationId: APP_ID, clientId: fake.clientId, clientSecret: fake.clientSecret });

describe('discord:commands', () => {
  it('registers the four commands with a client-credentials token, and again changes nothing', async () => {
    const first = await registerCommands(options());
    expect(first.registered.sort()).toEqual(['queuecrew', 'rsvp', 'suggest', 'tonight']);
    const ids = fake.commands.map((c) => c.id).sort();
    await registerCommands(options());
    expect(fake.commands).toHaveLength(COMMANDS.length);
    expect(fake.commands.map((c) => c.id).sort()).toEqual(ids);
    const suggest = fake.commands.find((c) => c.name === 'suggest') as unknown as { options: Array<{ autocomplete?: boolean }> };
    expect(suggest.options[0]?.autocomplete).toBe(true);
    const grants = fake.tokenRequests.filter((r) => r.grantType === 'client_credentials');
    expect(grants.length).toBeGreaterThanOrEqual(2);
    expect(grants.every((r) => r.clientAuth === 'basic' && r.status === 200)).toBe(true);
  });

  it('fails clearly with a wrong secret and registers nothing', async () => {
    const before = fake.commandPuts;
    await expect(registerCommands({ ...options(), clientSecret: 'wrong' })).rejects.toBeInstanceOf(RegisterError);
    expect(fake.commandPuts).toBe(before);
  });

  it('runs as `npm run discord:commands` (the script, reading the environment through env.ts)', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      DATA_DIR: tmpdir(),
      DATABASE_ENCRYPTION_KEY: 'test-db-key-0123456789abcdefghijklmnopqrstuvwxyz',
      SESSION_SECRET: 'test-session-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      FIELD_ENCRYPTION_KEY: 'test-field-key-0123456789abcdefghijklmnopqrstuvwxyz',
      BACKUP_KEY: 'test-backup-key-0123456789abcdefghijklmnopqrstuvwxyz',
      DISCORD_CLIENT_ID: fake.clientId,
      DISCORD_CLIENT_SECRET: fake.clientSecret,
      DISCORD_API_URL: `${fake.url}/api`,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
    };
    const puts = fake.commandPuts;
    const { stdout } = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/tsx'), ['scripts/discord-commands.ts'], {
      cwd: ROOT,
      env,
    });
    expect(stdout).toContain('Registered 4 commands');
    expect(fake.commandPuts).toBe(puts + 1);
    expect(fake.commands).toHaveLength(4);
  }, 30_000);
});
