/**
 * `npm run rotate-keys` — key rotation without signing anyone out (docs/security.md, "Key rotation").
 *
 *   npm run rotate-keys -- --new-secret   print a fresh random secret to put in the environment
 *   npm run rotate-keys                   re-encrypt every encrypted field with FIELD_ENCRYPTION_KEY
 *                                         (FIELD_ENCRYPTION_KEY_PREVIOUS must still hold the old key)
 *   npm run rotate-keys -- --check        report what still uses an old key; exit 1 if anything does
 *   npm run rotate-keys -- --revoke-sessions  sign everybody out now (incident response)
 *   npm run rotate-keys -- --database     re-encrypt the database file with DATABASE_ENCRYPTION_KEY_NEW
 *                                         (server stopped); then make that key DATABASE_ENCRYPTION_KEY
 *
 * JWT signing keys need no data migration: SESSION_SECRET signs, SESSION_SECRET_PREVIOUS still verifies
 * (tokens carry a `kid`). Access tokens live 10 minutes, so the previous secret can go after that.
 * Prints a JSON report; exit 1 on failure or, with --check, when old keys are still in use.
 */
import { randomBytes } from 'node:crypto';
import { DatabaseStartError, openDatabase } from '../db/client.ts';
import { ConfigError, loadConfig } from '../env.ts';
import { FieldCipher, keyId } from '../lib/crypto.ts';
import { createLogger } from '../lib/logger.ts';
import { databaseHolder } from '../features/ops/index.ts';
import { RekeyError, rekeyDatabase, revokeAllSessions, rotateFields } from './key-rotation.ts';

const args = new Set(process.argv.slice(2));
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

if (args.has('--new-secret')) {
  out({ secret: randomBytes(32).toString('base64url') });
  process.exit(0);
}

if (args.has('--database')) {
  try {
    const result = await rekeyDatabase(loadConfig(), databaseHolder);
    out({
      ok: true,
      mode: 'database',
      ...result,
      next: 'Set DATABASE_ENCRYPTION_KEY to the new key, remove DATABASE_ENCRYPTION_KEY_NEW, start the server. Keep the old key as long as backups made with it are kept.',
    });
    process.exit(0);
  } catch (e) {
    if (e instanceof RekeyError || e instanceof ConfigError) {
      process.stderr.write(`Database re-key failed. ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const database = await openDatabase(config, logger);
  const cipher = new FieldCipher(config.fieldEncryption.key, config.fieldEncryption.previousKeys);
  const check = args.has('--check');
  try {
    if (args.has('--revoke-sessions')) {
      out({ ok: true, mode: 'revoke-sessions', revoked: await revokeAllSessions(database, config.session.secret) });
      process.exit(0);
    }
    const fields = await rotateFields(database, cipher, { dryRun: check });
    const unreadable = fields.reduce((n, f) => n + f.unreadable.length, 0);
    const pending = fields.reduce((n, f) => n + f.rotated + f.skipped, 0);
    out({
      ok: unreadable === 0 && (!check || pending === 0),
      mode: check ? 'check' : 'rotate',
      fieldEncryption: { currentKid: cipher.currentKid, previousKids: config.fieldEncryption.previousKeys.map(keyId), fields },
      jwt: {
        currentKid: keyId(config.session.secret),
        previousKids: config.session.previousSecrets.map(keyId),
        note: `Tokens signed with a previous secret stay valid until they expire (${config.session.accessTtlSeconds} s); remove SESSION_SECRET_PREVIOUS after that.`,
      },
    });
    if (unreadable > 0) {
      process.stderr.write(
        `${unreadable} value(s) cannot be decrypted with the configured keys: put the old key back into FIELD_ENCRYPTION_KEY_PREVIOUS and run again.\n`,
      );
      process.exitCode = 1;
    } else if (check && pending > 0) {
      process.stderr.write(
        `${pending} value(s) still use an old key: run \`npm run rotate-keys\` before removing FIELD_ENCRYPTION_KEY_PREVIOUS.\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    database.close();
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseStartError) {
    process.stderr.write(`Key rotation failed. ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
