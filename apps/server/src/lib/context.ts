/** The typed Hono context shared by every middleware and handler. */
import type { Logger } from 'pino';
import type { Services } from '../services.ts';

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
  };
}
