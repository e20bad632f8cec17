/**
 * Access tokens: short-lived JWTs (HS256, pinned), with `iss`, `aud`, `exp`, `sub` (user id) and `sid`
 * (session id). Signed with the current SESSION_SECRET; previous secrets still verify (by `kid`) until
 * they are rotated out, so a key rotation signs nobody out.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { deriveKey, keyId } from './crypto.ts';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

const ALG = 'HS256';
/** Verified tokens remembered per process (≈ 0.5 KB each); the oldest is dropped first. */
const VERIFIED_CACHE_MAX = 10_000;

export class TokenService {
  readonly #keys: Array<{ kid: string; key: Uint8Array }>;
  /**
   * Hot-path optimisation (bench/README.md): HMAC verification through WebCrypto costs about a
   * millisecond and a thread-pool hop per request. A token string that verified once is the same
   * token, so its claims are remembered until its own `exp`. This skips only the signature check:
   * the session is still checked on every request (authenticate(), through the read caches that
   * recheck the database before each answer), so logout and revocation take effect at once, and a
   * process restart (e.g. a key rotation) starts with an empty cache.
   *
   * Keyed by the token's signature segment (43 characters, not the whole ≈ 300: hashing the key is
   * most of a lookup), and a hit counts only if the whole token is the one that verified.
   */
  readonly #verified = new Map<string, { token: string; claims: AccessClaims; expMs: number }>();
  constructor(
    current: string,
    previous: readonly string[],
    readonly issuer: string,
    readonly ttlSeconds: number,
  ) {
    this.#keys = [current, ...previous].map((s) => ({ kid: keyId(s), key: new Uint8Array(deriveKey(s, 'jwt-hs256')) }));
  }

  get audience(): string {
    return `${this.issuer}/api`;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const { kid, key } = this.#keys[0]!;
    return new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: ALG, typ: 'JWT', kid })
      .setSubject(claims.userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(key);
  }

  /**
   * The claims of a token that verified before and has not expired since, without a promise; undefined
   * when it is not remembered (or expired), and then only verify() can tell.
   */
  verifiedClaims(token: string): AccessClaims | undefined {
    const signature = signatureOf(token);
    const hit = this.#verified.get(signature);
    if (hit === undefined || hit.token !== token) return undefined;
    if (hit.expMs > Date.now()) return hit.claims;
    this.#verified.delete(signature);
    return undefined;
  }

  /** Returns the claims, or undefined for any invalid, expired, tampered or foreign token. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    const hit = this.verifiedClaims(token);
    if (hit) return hit;
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const entry = this.#keys.find((k) => k.kid === header.kid);
          if (!entry) throw new errors.JWSSignatureVerificationFailed('unknown key id');
          return entry.key;
        },
        { algorithms: [ALG], issuer: this.issuer, audience: this.audience, requiredClaims: ['exp', 'sub', 'iat'] },
      );
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return undefined;
      const claims = { userId: payload.sub, sessionId: payload.sid };
      if (this.#verified.size >= VERIFIED_CACHE_MAX) this.#verified.delete(this.#verified.keys().next().value!);
      this.#verified.set(signatureOf(token), { token, claims, expMs: payload.exp! * 1000 });
      return claims;
    } catch {
      return undefined;
    }
  }
}

/** The last segment of a JWT (its signature): the key under which a verified token is remembered. */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
