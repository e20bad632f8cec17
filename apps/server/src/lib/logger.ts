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
 * measured). Never pass anything else to it. Access lines are written through `accessLineWriterFor`,
 * which builds this logger's line by hand.
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

/** The fields of an access line, in the order they are written (middleware/access-log.ts). */
export interface AccessFields {
  requestId: string;
  method: string;
  route: string;
  /** Already through `loggablePath()`. */
  path: string;
  status: number;
  ms: number;
}

/** Writes one access line: `failed` (a 5xx) at level error with "request failed", else info with "request". */
export type AccessLineWriter = (fields: AccessFields, failed: boolean) => void;

type PinoInternals = Record<symbol, unknown>;

/** The second whose `,"time":"YYYY-MM-DDTHH:mm:ss.` prefix is held in `isoPrefix`. */
let isoSecond = Number.NaN;
let isoPrefix = '';

/**
 * `pino.stdTimeFunctions.isoTime()` for the instant `now` (ms): `,"time":"<Date#toISOString()>"`, with
 * the date and time up to the second formatted once per second instead of once per line.
 */
export function isoTimeField(now: number): string {
  const ms = now % 1000;
  const second = now - ms;
  if (second !== isoSecond) {
    const iso = new Date(second).toISOString();
    // Outside years 0–9999 toISOString() has another shape: format every such line in full.
    if (iso.length !== 24) return `,"time":"${new Date(now).toISOString()}"`;
    isoSecond = second;
    isoPrefix = `,"time":"${iso.slice(0, 20)}`;
  }
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

const accessWriters = new WeakMap<Logger, AccessLineWriter>();

/**
 * The writer of access lines for `logger`: the line `accessLoggerFor(logger)` would write for the same
 * fields — the same characters: its level prefix, ISO time, base fields (pino's own cached strings for
 * them), the six fields in their order, the message and the line end — built by hand into the same
 * destination (so batching and the urgent flush of error lines are unchanged). pino's generic per-call
 * serialisation (walking the object, a type switch and escaping scan per value, `toISOString()` per line)
 * was ≈ 10 % of a results read's CPU (issue 15). Strings go through `JSON.stringify` (the path holds what
 * the client sent), which escapes them as pino does (pino leaves a lone surrogate unescaped, which is not
 * valid JSON; JSON.stringify writes it as `\udxxx`). A destination that wants pino's per-line metadata
 * (pino.multistream) gets the lines through pino itself.
 */
export function accessLineWriterFor(logger: Logger): AccessLineWriter {
  let writer = accessWriters.get(logger);
  if (!writer) {
    writer = buildAccessLineWriter(accessLoggerFor(logger));
    accessWriters.set(logger, writer);
  }
  return writer;
}

function buildAccessLineWriter(access: Logger): AccessLineWriter {
  const internals = access as unknown as PinoInternals;
  const stream = internals[pino.symbols.streamSym] as DestinationStream & PinoInternals;
  if (stream[pino.symbols.needsMetadataGsym] === true) {
    return (fields, failed) => (failed ? access.error(fields, 'request failed') : access.info(fields, 'request'));
  }
  const levels = internals[pino.symbols.lsCacheSym] as Record<number, string>;
  const chindings = internals[pino.symbols.chindingsSym] as string;
  const end = internals[pino.symbols.endSym] as string;
  const infoValue = access.levels.values['info']!;
  const errorValue = access.levels.values['error']!;
  const infoHead = levels[infoValue]!;
  const errorHead = levels[errorValue]!;
  const infoTail = `,"msg":"request"${end}`;
  const errorTail = `,"msg":"request failed"${end}`;
  // pino writes a number that is not finite as null.
  const num = (n: number) => (Number.isFinite(n) ? n : null);
  return (f, failed) => {
    if (access.levelVal > (failed ? errorValue : infoValue)) return;
    stream.write(
      `${failed ? errorHead : infoHead}${isoTimeField(Date.now())}${chindings}` +
        `,"requestId":${JSON.stringify(f.requestId)},"method":${JSON.stringify(f.method)},"route":${JSON.stringify(f.route)}` +
        `,"path":${JSON.stringify(f.path)},"status":${num(f.status)},"ms":${num(f.ms)}${failed ? errorTail : infoTail}`,
    );
  };
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
