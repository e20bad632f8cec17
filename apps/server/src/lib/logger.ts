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

const accessLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger for access lines: same destination, level, base fields and format as `logger`, without
 * the redaction pass. An access line is a fixed shape built by middleware/access-log.ts — method,
 * route pattern, `loggablePath()` of the path, status, duration, request id — none of them a field
 * the redaction paths name, so redacting it only costs time: ≈ 30 µs of a request's CPU (issue 15,
 * measured). Never pass anything else to it.
 */
export function accessLoggerFor(logger: Logger): Logger {
  let access = accessLoggers.get(logger);
  if (!access) {
    access = pino(
      {
        level: logger.level,
        base: logger.bindings(),
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym],
    );
    accessLoggers.set(logger, access);
  }
  return access;
}

/**
 * A child logger carrying `bindings`, made the first time something logs through it. Most requests
 * log nothing but their access line (written by `accessLoggerFor`), so building a pino child for each
 * of them was wasted work.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_target, key) {
      child ??= parent.child(bindings);
      const value: unknown = Reflect.get(child, key, child);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(child) : value;
    },
    set(_target, key, value) {
      child ??= parent.child(bindings);
      return Reflect.set(child, key, value, child);
    },
  });
}
