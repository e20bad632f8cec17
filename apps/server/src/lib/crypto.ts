/**
 * Hashing and encryption helpers: SHA-256 for token lookup, HMAC for pseudonyms, AES-256-GCM for
 * sensitive fields (with key ids so that old keys keep decrypting until rotated out), argon2id for
 * passwords.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

export function sha256(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmacSha256(key: string | Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Derives a 32-byte key for one purpose from a configured secret (HKDF-SHA256). */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `queuecrew:${purpose}`, 32));
}

/** A short, non-secret identifier of a key (for `kid` headers and ciphertext prefixes). */
export function keyId(secret: string): string {
  return sha256(`kid:${secret}`).slice(0, 8);
}

/**
 * Authenticated encryption of small text fields. Format: `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url).
 * The first key encrypts; every key (current and previous) can decrypt.
 */
export class FieldCipher {
  readonly #keys: Array<{ kid: string; key: Buffer }>;
  constructor(current: string, previous: readonly string[] = []) {
    this.#keys = [current, ...previous].map((s) => ({ kid: keyId(s), key: deriveKey(s, 'field-encryption') }));
  }
  get currentKid(): string {
    return this.#keys[0]!.kid;
  }
  encrypt(plaintext: string, aad = ''): string {
    const { kid, key } = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', kid, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }
  decrypt(value: string, aad = ''): string {
    const [v, kid, iv, ct, tag] = value.split('.');
    const entry = this.#keys.find((k) => k.kid === kid);
    if (v !== 'v1' || !entry || !iv || ct === undefined || !tag) throw new Error('cannot decrypt field: unknown key or format');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
  /** True when the value was encrypted with an older key and should be re-encrypted. */
  needsRotation(value: string): boolean {
    return value.split('.')[1] !== this.currentKid;
  }
}

// OWASP password storage cheat sheet: argon2id, m=19 MiB, t=2, p=1 is the minimum; we use more memory.
const ARGON2_OPTIONS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the account is unknown, so timing matches. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
