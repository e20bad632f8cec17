/** The typed Hono context shared by every middleware and handler. */
import type { Logger } from 'pino';
import type { Services } from '../services.ts';
import type { RateLimitState } from './rate-limit.ts';

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
    /** CSP nonce for HTML responses. */
    cspNonce: string;
    /** The rate-limit rules this request counted against (for the `RateLimit` response headers). */
    rateLimits: RateLimitState[] | undefined;
  };
}
