/**
 * Discord signs every interaction it sends us with the application's Ed25519 key: `X-Signature-Ed25519`
 * (hex) over `X-Signature-Timestamp` + the raw body, byte for byte as received. This check replaces
 * every other proof of origin for POST /api/discord/interactions (no cookie, no Origin, no CSRF token).
 * Node's built-in crypto does the Ed25519 work; no dependency.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A timestamp older than this is refused, so a captured request cannot be replayed later. */
export const MAX_AGE_SECONDS = 5 * 60;
/** Clock skew tolerated for a timestamp in the future. */
export const MAX_FUTURE_SKEW_SECONDS = 30;

const keys = new Map<string, KeyObject>();

/** The KeyObject of a raw 32-byte Ed25519 public key given as 64 hex characters (JWK form, RFC 8037). */
export function publicKeyFromHex(hex: string): KeyObject {
  let key = keys.get(hex);
  if (!key) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
    keys.set(hex, key);
  }
  return key;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'future' | 'invalid';

/** Why the request's signature does not hold, or undefined when it does. */
export function signatureProblem(
  publicKeyHex: string,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
  nowMs: number,
): SignatureProblem | undefined {
  if (!signatureHex || !timestamp) return 'missing';
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  const ok = verify(
    null,
    Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
    publicKeyFromHex(publicKeyHex),
    Buffer.from(signatureHex, 'hex'),
  );
  if (!ok) return 'invalid';
  const age = nowMs / 1000 - Number(timestamp);
  if (age > MAX_AGE_SECONDS) return 'stale';
  if (age < -MAX_FUTURE_SKEW_SECONDS) return 'future';
  return undefined;
}
