/**
 * Re-encrypts every encrypted field with the current FIELD_ENCRYPTION_KEY. Old values stay readable
 * during the rotation because FieldCipher also holds FIELD_ENCRYPTION_KEY_PREVIOUS; once this has run
 * (and `--check` reports nothing left), the previous key can be removed from the environment.
 *
 * Each field is listed once below, with the associated data (AAD) its feature binds it to: a value
 * moved to another row would fail to decrypt, so the AAD must match the feature's own helper exactly.
 */
import { createClient } from '@libsql/client';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { localPath, schema, type Database } from '../db/client.ts';
import type { Config } from '../env.ts';
import { recordSecurityEvent } from '../lib/audit.ts';
import type { FieldCipher } from '../lib/crypto.ts';
import { totpAad } from '../features/auth/totp.ts';
import { inviteAad } from '../features/invites/data.ts';
import { webhookAad } from '../features/announcements/webhooks.ts';
import { pushEndpointAad, pushKeysAad } from '../features/push/index.ts';

interface EncryptedValue {
  id: string;
  value: string;
  aad: string;
}

interface EncryptedField {
  name: string;
  read(database: Database): Promise<EncryptedValue[]>;
  /** Compare-and-set: a value changed meanwhile by the running server is left alone (and counted). */
  write(database: Database, row: EncryptedValue, next: string): Promise<boolean>;
}

export const ENCRYPTED_FIELDS: EncryptedField[] = [
  {
    name: 'users.totp_secret_enc',
    async read(database) {
      const rows = await database.db
        .select({ id: schema.users.id, value: schema.users.totpSecretEnc })
        .from(schema.users)
        .where(isNotNull(schema.users.totpSecretEnc));
      return rows.map((r) => ({ id: r.id, value: r.value!, aad: totpAad(r.id) }));
    },
    async write(database, row, next) {
      const done = await database.write((tx) =>
        tx
          .update(schema.users)
          .set({ totpSecretEnc: next })
          .where(and(eq(schema.users.id, row.id), eq(schema.users.totpSecretEnc, row.value)))
          .returning({ id: schema.users.id }),
      );
      return done.length === 1;
    },
  },
  {
    name: 'invites.code_enc',
    async read(database) {
      const rows = await database.db
        .select({ id: schema.invites.id, groupId: schema.invites.groupId, value: schema.invites.codeEnc })
        .from(schema.invites);
      return rows.map((r) => ({ id: r.id, value: r.value, aad: inviteAad(r.groupId) }));
    },
    async write(database, row, next) {
      const done = await database.write((tx) =>
        tx
          .update(schema.invites)
          .set({ codeEnc: next })
          .where(and(eq(schema.invites.id, row.id), eq(schema.invites.codeEnc, row.value)))
          .returning({ id: schema.invites.id }),
      );
      return done.length === 1;
    },
  },
  {
    name: 'groups.discord_webhook_enc',
    async read(database) {
      const rows = await database.db
        .select({ id: schema.groups.id, value: schema.groups.discordWebhookEnc })
        .from(schema.groups)
        .where(isNotNull(schema.groups.discordWebhookEnc));
      return rows.map((r) => ({ id: r.id, value: r.value!, aad: webhookAad(r.id) }));
    },
    async write(database, row, next) {
      const done = await database.write((tx) =>
        tx
          .update(schema.groups)
          .set({ discordWebhookEnc: next })
          .where(and(eq(schema.groups.id, row.id), eq(schema.groups.discordWebhookEnc, row.value)))
          .returning({ id: schema.groups.id }),
      );
      return done.length === 1;
    },
  },
  {
    name: 'push_subscriptions.endpoint_enc',
    async read(database) {
      const rows = await database.db
        .select({ id: schema.pushSubscriptions.id, value: schema.pushSubscriptions.endpointEnc })
        .from(schema.pushSubscriptions);
      return rows.map((r) => ({ id: r.id, value: r.value, aad: pushEndpointAad(r.id) }));
    },
    async write(database, row, next) {
      const done = await database.write((tx) =>
        tx
          .update(schema.pushSubscriptions)
          .set({ endpointEnc: next })
          .where(and(eq(schema.pushSubscriptions.id, row.id), eq(schema.pushSubscriptions.endpointEnc, row.value)))
          .returning({ id: schema.pushSubscriptions.id }),
      );
      return done.length === 1;
    },
  },
  {
    name: 'push_subscriptions.keys_enc',
    async read(database) {
      const rows = await database.db
        .select({ id: schema.pushSubscriptions.id, value: schema.pushSubscriptions.keysEnc })
        .from(schema.pushSubscriptions);
      return rows.map((r) => ({ id: r.id, value: r.value, aad: pushKeysAad(r.id) }));
    },
    async write(database, row, next) {
      const done = await database.write((tx) =>
        tx
          .update(schema.pushSubscriptions)
          .set({ keysEnc: next })
          .where(and(eq(schema.pushSubscriptions.id, row.id), eq(schema.pushSubscriptions.keysEnc, row.value)))
          .returning({ id: schema.pushSubscriptions.id }),
      );
      return done.length === 1;
    },
  },
];

export interface FieldReport {
  field: string;
  total: number;
  /** Already encrypted with the current key. */
  current: number;
  /** Re-encrypted by this run (or, in check mode, that would be). */
  rotated: number;
  /** Changed by the server during the run: run again. */
  skipped: number;
  /** Cannot be decrypted with any configured key (the old key was removed too early). */
  unreadable: string[];
}

export async function rotateFields(database: Database, cipher: FieldCipher, options: { dryRun?: boolean } = {}): Promise<FieldReport[]> {
  const reports: FieldReport[] = [];
  for (const field of ENCRYPTED_FIELDS) {
    const report: FieldReport = { field: field.name, total: 0, current: 0, rotated: 0, skipped: 0, unreadable: [] };
    for (const row of await field.read(database)) {
      report.total += 1;
      if (!cipher.needsRotation(row.value)) {
        report.current += 1;
        continue;
      }
      let plain: string;
      try {
        plain = cipher.decrypt(row.value, row.aad);
      } catch {
        report.unreadable.push(row.id);
        continue;
      }
      if (options.dryRun) {
        report.rotated += 1;
        continue;
      }
      // One short transaction per row: the running server's writes are never held up for long.
      if (await field.write(database, row, cipher.encrypt(plain, row.aad))) report.rotated += 1;
      else report.skipped += 1;
    }
    reports.push(report);
  }
  return reports;
}

export class RekeyError extends Error {}

/**
 * Re-encrypts the embedded database file from DATABASE_ENCRYPTION_KEY to DATABASE_ENCRYPTION_KEY_NEW
 * (libSQL's `PRAGMA rekey`), then proves the new key opens it and the old one no longer does. The server
 * must be stopped: another connection would keep writing pages with the old key.
 */
export async function rekeyDatabase(
  config: Config,
  isHeld: (config: Config) => number | undefined,
): Promise<{ file: string; integrity: string; users: number }> {
  const file = localPath(config.database.url);
  const next = config.database.newEncryptionKey;
  if (!file) throw new RekeyError('Only an embedded database file can be re-keyed here; a libsql:// server manages its own encryption.');
  if (!next)
    throw new RekeyError('Set DATABASE_ENCRYPTION_KEY_NEW to the new key (generate one with: npm run rotate-keys -- --new-secret).');
  if (next === config.database.encryptionKey) throw new RekeyError('DATABASE_ENCRYPTION_KEY_NEW is the current key: generate a new one.');
  const holder = isHeld(config);
  if (holder) throw new RekeyError(`A QueueCrew server (pid ${holder}) is using the database: stop it first, then run this again.`);

  const old = createClient({ url: config.database.url, encryptionKey: config.database.encryptionKey });
  try {
    try {
      await old.execute('SELECT count(*) FROM sqlite_master');
    } catch {
      throw new RekeyError(`DATABASE_ENCRYPTION_KEY does not open ${file}: set it to the key the database uses now.`);
    }
    // Fold the WAL into the file and leave WAL mode: libSQL refuses to re-key in WAL mode. The server
    // switches back to WAL when it next opens the database (db/client.ts).
    await old.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    await old.execute('PRAGMA journal_mode = DELETE');
    // PRAGMA takes no bound parameters; the key is validated config, quotes doubled all the same.
    await old.execute(`PRAGMA rekey = '${next.replaceAll("'", "''")}'`);
  } finally {
    old.close();
  }
  const fresh = createClient({ url: config.database.url, encryptionKey: next });
  try {
    const integrity = String((await fresh.execute('PRAGMA integrity_check')).rows[0]?.[0]);
    const users = Number((await fresh.execute('SELECT count(*) FROM users')).rows[0]?.[0]);
    if (integrity !== 'ok') throw new RekeyError(`The re-keyed database failed its integrity check: ${integrity}`);
    return { file, integrity, users };
  } finally {
    fresh.close();
  }
}

/**
 * Incident response: ends every live session at once (each request re-checks its session row, so
 * access tokens stop working immediately too). Recorded in the audit log.
 */
export async function revokeAllSessions(database: Database, auditSecret: string): Promise<number> {
  return database.write(async (tx) => {
    const revoked = await tx
      .update(schema.sessions)
      .set({ revokedAt: new Date(), revokedReason: 'revoked_by_operator' })
      .where(isNull(schema.sessions.revokedAt))
      .returning({ id: schema.sessions.id });
    await recordSecurityEvent(tx, auditSecret, { type: 'sessions_revoked_all', detail: { by: 'operator', sessions: revoked.length } });
    return revoked.length;
  });
}
