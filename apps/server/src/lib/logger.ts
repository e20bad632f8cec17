/**
 * Structured JSON logs (pino). Anything that could hold a secret is redacted by path, so a mistaken
 * `logger.info({ body })` still cannot leak a password, token, cookie or TOTP code.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths that carry a secret in a segment: an invite code lets whoever holds it join the group, so the
 * API routes and the web page that take one in the path are logged with the code masked; so is the
 * token of a calendar feed URL (the URL is its holder's only credential).
 */
const SECRET_PATH_SEGMENTS = [/^(\/api\/invites\/)[^/]+/, /^(\/invite\/)[^/]+/, /^(\/api\/calendar\/)[^/]+/];

/** The request path as it may be written to a log line. */
export function loggablePath(path: string): string {
  for (const pattern of SECRET_PATH_SEGMENTS) if (pattern.test(path)) return path.replace(pattern, '$1[redacted]');
  return path;
}

export const REDACT_PATHS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'code',
  'totp',
  'secret',
  'cookie',
  'authorization',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.totp',
  '*.secret',
  '*.cookie',
  '*.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
  'res.headers["set-cookie"]',
  'body.password',
  'body.currentPassword',
  'body.newPassword',
  'body.totp',
  'body.code',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'queuecrew' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
