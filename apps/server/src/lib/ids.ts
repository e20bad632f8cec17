/** Opaque identifiers and unguessable tokens. */
import { randomBytes } from 'node:crypto';

/** A 128-bit random id, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A bearer secret with `bytes` bytes of entropy (default 32 = 256 bits). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
