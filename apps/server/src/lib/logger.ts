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

/** A line pino wrote at level error or fatal (the level formatter below puts the level first). */
const URGENT = /^\{"level":"(?:error|fatal)"/;
const BATCH_BYTES = 4096;
const BATCH_MS = 100;

export interface BatchedDestination extends DestinationStream {
  /** Writes what is held now (also on an error or fatal line, at 4 KiB, after 100 ms and at exit). */
  flush(cb?: (err?: Error) => void): void;
}

/**
 * Log lines for `out`, written in batches: one write(2) per line was the largest single cost of a
 * small request (≈ 25–30 µs of a `healthz GET`'s CPU with the access line on; bench, decision 119).
 * A line is held for at most 100 ms or until 4 KiB are waiting, and an error or fatal line is written
 * at once together with everything before it, so order is kept and failures are never late. At process
 * exit what is held is written synchronously; only a SIGKILL can lose the last ≤ 100 ms of lines.
 */
export function batchedDestination(out: DestinationStream): BatchedDestination {
  let held = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (cb?: (err?: Error) => void) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (held) {
      const chunk = held;
      held = '';
      out.write(chunk);
    }
    cb?.();
  };
  process.on('exit', () => flush());
  return {
    write(line: string) {
      held += line;
      if (held.length >= BATCH_BYTES || URGENT.test(line)) flush();
      else timer ??= setTimeout(flush, BATCH_MS).unref();
    },
    flush,
  };
}

let stdoutLines: BatchedDestination | undefined;

/** The process's stdout for log lines (one batcher per process, over a synchronous pino destination). */
function stdoutDestination(): BatchedDestination {
  return (stdoutLines ??= batchedDestination(pino.destination({ dest: 1, sync: true })));
}

/** The root logger: to `destination`, or (servers) to stdout in batches (`batchedDestination`). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'queuecrew' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? stdoutDestination(),
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
