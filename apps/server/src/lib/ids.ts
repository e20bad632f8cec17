/** Opaque identifiers and unguessable tokens. */
import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Every request takes 32 random bytes (its request id and its CSP nonce). One CSPRNG call per request
 * each costs more than the rest of the id handling (bench healthz GET profile), so ids and nonces are
 * cut from a 4 KiB block filled by the same CSPRNG — the technique `uuid` and Node's randomUUID() use.
 * Secrets (newToken) still get fresh bytes of their own, so no token ever shares memory with an id.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `n` (≤ 256) bytes from the CSPRNG, for identifiers and nonces — not for secrets. */
export function randomIdBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    // A new block each time: the previous one may still be referenced by ids handed out from it.
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

/** A 128-bit random id, base64url (22 characters). */
export function newId(): string {
  return randomIdBytes(16).toString('base64url');
}

/** A bearer secret with `bytes` bytes of entropy (default 32 = 256 bits). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
