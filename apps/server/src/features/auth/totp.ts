/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step) with replay protection: the last accepted time step
 * is stored and a code for that step or an earlier one is refused. The seed is stored encrypted with
 * FIELD_ENCRYPTION_KEY. Recovery codes are stored as SHA-256 hashes and each works once.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { and, eq, isNull, or, lt } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { schema } from '../../db/client.ts';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';

export const TOTP_PERIOD = 30;

export function makeTotp(secretBase32: string, label = 'QueueCrew'): TOTP {
  return new TOTP({
    issuer: 'QueueCrew',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** Normalises a recovery code as typed (spaces, dashes, case) before hashing. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

/** The time step a 6-digit code is valid for, within ±1 step of now, or undefined. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | undefined {
  const delta = makeTotp(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}

export async function verifySecondFactor(c: Context<AppEnv>, user: typeof schema.users.$inferSelect, code: string): Promise<boolean> {
  const { database, fieldCipher } = c.get('services');
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    if (!user.totpSecretEnc) return false;
    const secret = fieldCipher.decrypt(user.totpSecretEnc, totpAad(user.id));
    const step = matchingStep(secret, trimmed);
    if (step === undefined) return false;
    // Accept the step only if it is newer than the last one used, atomically (no replay).
    return database.write(async (tx) => {
      const updated = await tx
        .update(schema.users)
        .set({ totpLastStep: step })
        .where(and(eq(schema.users.id, user.id), or(isNull(schema.users.totpLastStep), lt(schema.users.totpLastStep, step))))
        .returning({ id: schema.users.id });
      return updated.length === 1;
    });
  }
  const hash = sha256(normalizeRecoveryCode(trimmed));
  return database.write(async (tx) => {
    const used = await tx
      .update(schema.recoveryCodes)
      .set({ usedAt: new Date() })
      .where(and(eq(schema.recoveryCodes.userId, user.id), eq(schema.recoveryCodes.codeHash, hash), isNull(schema.recoveryCodes.usedAt)))
      .returning({ id: schema.recoveryCodes.id });
    if (used.length !== 1) return false;
    await auditRequest(c, { type: 'recovery_code_used', userId: user.id }, tx);
    return true;
  });
}

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: codes are read and typed by people

/** Ten single-use codes like `k7m2p-x9q4r`, 50 bits each, drawn without modulo bias. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  while (codes.length < count) {
    const chars: string[] = [];
    while (chars.length < 10) {
      const byte = randomBytes(1)[0]!;
      // 248 = 8 × 31: bytes at or above it would favour the first letters.
      if (byte < 248) chars.push(RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]!);
    }
    const code = `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** A fresh 160-bit seed (RFC 4226 recommends 160 bits) and the otpauth:// URL for the QR code. */
export function newTotpSecret(label: string): { secret: string; otpauthUrl: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, otpauthUrl: makeTotp(secret, label).toString() };
}

export const totpAad = (userId: string) => `totp:${userId}`;
