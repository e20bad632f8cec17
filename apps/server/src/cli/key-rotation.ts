/**
 * Re-encrypts every encrypted field with the current FIELD_ENCRYPTION_KEY. Old values stay readable
 * during the rotation because FieldCipher also holds FIELD_ENCRYPTION_KEY_PREVIOUS; once this has run
 * (and `--check` reports nothing left), the previous key can be removed from the environment.
 *
 * Each field is listed once below, with the associated data (AAD) its feature binds it to: a value
 * moved to another row would fail to decrypt, so the AAD must match the feature's own helper exactly.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import { schema, type Database } from '../db/client.ts';
import type { FieldCipher } from '../lib/crypto.ts';
import { totpAad } from '../features/auth/totp.ts';
import { inviteAad } from '../features/invites/data.ts';
import { webhookAad } from '../features/discord/webhooks.ts';

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
