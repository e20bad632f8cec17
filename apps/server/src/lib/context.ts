/**
 * The typed Hono context shared by every middleware and handler, and the services it carries (built
 * once per process by services.ts).
 */
import type { Logger } from 'pino';
import type { Config } from '../env.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { FieldCipher } from './crypto.ts';
import type { Hub } from './hub.ts';
import type { Metrics } from './metrics.ts';
import type { TokenService } from './tokens.ts';
import type { RateLimiter, RateLimitState } from './rate-limit.ts';
import type { ReadCaches } from './read-caches.ts';

export interface AuthInfo {
  userId: string;
  sessionId: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    services: Services;
    /** Set by the session middleware when the request carries a valid access token. */
    auth: AuthInfo | undefined;
    /** Client IP address (X-Forwarded-For only when TRUST_PROXY is on). */
    ip: string;
    /** CSP nonce for HTML responses (made on first use: middleware/security-headers.ts cspNonceOf). */
    cspNonce: string | undefined;
    /** The rate-limit rules this request counted against (for the `RateLimit` response headers). */
    rateLimits: RateLimitState[] | undefined;
  };
}

export interface Services {
  config: Config;
  database: Database;
  logger: Logger;
  fieldCipher: FieldCipher;
  tokens: TokenService;
  /** Live events across instances (in-process, or Redis when REDIS_URL is set). */
  hub: Hub;
  metrics: Metrics;
  /** "Now" for day-of-group decisions; tests swap in a ManualClock (see lib/clock.ts). */
  clock: Clock;
  /** Rate limits and sign-in lockout (memory, or Redis when REDIS_URL is set, so instances share counters). */
  rateLimiter: RateLimiter;
  /** Sessions, memberships, groups, nights and results kept in memory, checked against the database per request. */
  caches: ReadCaches;
}
