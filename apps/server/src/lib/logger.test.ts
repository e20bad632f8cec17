import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accessLineWriterFor,
  accessLoggerFor,
  batchedDestination,
  createLogger,
  isoTimeField,
  lazyChild,
  type AccessFields,
} from './logger.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('request loggers', () => {
  it('a lazy child carries its bindings and still redacts secrets', async () => {
    const { lines, stream } = capture();
    const logger = lazyChild(createLogger('info', stream), { requestId: 'req-123456789' });
    logger.warn({ password: 'hunter2 hunter2', user: { token: 'tok-secret-value' } }, 'something');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'req-123456789', service: 'queuecrew', level: 'warn', msg: 'something' });
    expect(JSON.stringify(lines[0])).not.toMatch(/hunter2|tok-secret-value/);
    expect(lines[0]!['password']).toBe('[redacted]');
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });

  it('the access logger writes to the same destination with the same base fields and level', async () => {
    const { lines, stream } = capture();
    const base = createLogger('warn', stream);
    const access = accessLoggerFor(base);
    expect(accessLoggerFor(base)).toBe(access);
    access.info({ method: 'GET' }, 'request');
    access.error({ method: 'GET', status: 500 }, 'request failed');
    await flush();
    expect(lines).toEqual([
      expect.objectContaining({ service: 'queuecrew', level: 'error', method: 'GET', status: 500, msg: 'request failed' }),
    ]);
  });
});

describe('batched log destination', () => {
  function sink() {
    const writes: string[] = [];
    return { writes, out: { write: (s: string) => void writes.push(s) } };
  }
  const line = (level: string, msg: string) => `${JSON.stringify({ level, time: 't', service: 'queuecrew', msg })}\n`;

  it('holds lines until flushed, then writes them in order in one write', () => {
    const { writes, out } = sink();
    const dest = batchedDestination(out);
    dest.write(line('info', 'a'));
    dest.write(line('warn', 'b'));
    expect(writes).toEqual([]);
    dest.flush();
    expect(writes).toEqual([line('info', 'a') + line('warn', 'b')]);
    dest.flush();
    expect(writes).toHaveLength(1);
  });

  it('writes an error or fatal line at once, with everything held before it', () => {
    const { writes, out } = sink();
    const dest = batchedDestination(out);
    dest.write(line('info', 'a'));
    dest.write(line('error', 'boom'));
    expect(writes).toEqual([line('info', 'a') + line('error', 'boom')]);
    dest.write(line('fatal', 'down'));
    expect(writes).toEqual([line('info', 'a') + line('error', 'boom'), line('fatal', 'down')]);
  });

  it('writes as soon as 4 KiB are held', () => {
    const { writes, out } = sink();
    const dest = batchedDestination(out);
    const l = line('info', 'x'.repeat(1000));
    for (let i = 0; i < 4; i++) dest.write(l);
    expect(writes).toEqual([l.repeat(4)]);
  });

  it('a logger over it writes complete lines that parse', () => {
    const { writes, out } = sink();
    const dest = batchedDestination(out);
    const logger = createLogger('info', dest);
    logger.info({ password: 'hunter2 hunter2' }, 'hello');
    logger.flush();
    const [entry] = writes
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entry).toMatchObject({ level: 'info', service: 'queuecrew', msg: 'hello', password: '[redacted]' });
  });
});

describe('access lines written by hand', () => {
  afterEach(() => vi.useRealTimers());

  /** Every write to the destination, as written. */
  function raw() {
    const writes: string[] = [];
    return { writes, out: { write: (s: string) => void writes.push(s) } };
  }

  const fields = (over: Partial<AccessFields> = {}): AccessFields => ({
    requestId: 'AbCdEfGh_-12345678',
    method: 'GET',
    route: '/api/groups/:groupId/results',
    path: '/api/groups/g1/results',
    status: 200,
    ms: 1.3,
    ...over,
  });

  // What a client can put into the path (quotes, backslashes, control characters, non-ASCII, long ones),
  // odd numbers, and both levels.
  const cases: Array<[string, AccessFields, boolean]> = [
    ['a plain read', fields(), false],
    ['quotes and backslashes', fields({ path: '/api/"x"\\y\\' }), false],
    ['control characters', fields({ path: '/a\u0000b\u001fc\nd\te' }), false],
    ['non-ASCII and U+2028', fields({ path: '/Ōkami/🎲/\u2028\u2029/café' }), false],
    ['a path over 100 characters', fields({ path: `/${'x"'.repeat(80)}` }), false],
    ['an unmatched route and odd numbers', fields({ route: '', ms: 0, status: 404 }), false],
    ['a negative zero and a non-finite duration', fields({ ms: -0, status: Number.NaN }), false],
    ['a failure', fields({ method: 'POST', status: 503, ms: 12345.6 }), true],
  ];

  it.each(cases)('equals what pino writes for the same fields: %s', (_name, f, failed) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { writes, out } = raw();
    const logger = createLogger('info', out);
    const access = accessLoggerFor(logger);
    const write = accessLineWriterFor(logger);
    // Instants on both sides of second and millisecond-digit boundaries.
    for (const at of [
      '2026-12-02T14:05:11.000Z',
      '2026-12-02T14:05:11.007Z',
      '2026-12-02T14:05:11.058Z',
      '2026-12-02T14:05:11.999Z',
      '2026-12-02T14:05:12.123Z',
      '2027-01-01T00:00:00.010Z',
    ]) {
      vi.setSystemTime(new Date(at));
      if (failed) access.error({ ...f }, 'request failed');
      else access.info({ ...f }, 'request');
      write(f, failed);
    }
    expect(writes).toHaveLength(12);
    for (let i = 0; i < writes.length; i += 2) expect(writes[i + 1]).toBe(writes[i]);
    // And it parses back to the fields.
    const parsed = JSON.parse(writes[1]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: failed ? 'error' : 'info', service: 'queuecrew', requestId: f.requestId, path: f.path });
  });

  it('formats the time as toISOString() does', () => {
    for (const t of [0, 7, 999, 1000, Date.parse('2026-12-02T14:05:11.058Z'), Date.parse('2026-12-02T14:05:11.058Z'), Date.now()]) {
      expect(isoTimeField(t)).toBe(`,"time":"${new Date(t).toISOString()}"`);
    }
  });

  it('follows the logger level: no info lines at warn, error lines still', () => {
    const { writes, out } = raw();
    const write = accessLineWriterFor(createLogger('warn', out));
    write(fields(), false);
    expect(writes).toEqual([]);
    write(fields({ status: 500 }), true);
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]!)).toMatchObject({ level: 'error', msg: 'request failed', status: 500 });
  });

  it('goes through the batched destination: held when fine, written at once (with what was held) on a failure', () => {
    const { writes, out } = raw();
    const dest = batchedDestination(out);
    const write = accessLineWriterFor(createLogger('info', dest));
    write(fields(), false);
    write(fields({ path: '/b' }), false);
    expect(writes).toEqual([]);
    write(fields({ status: 500 }), true);
    expect(writes).toHaveLength(1);
    const lines = writes[0]!
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['level'], l['path'], l['msg']])).toEqual([
      ['info', '/api/groups/g1/results', 'request'],
      ['info', '/b', 'request'],
      ['error', '/api/groups/g1/results', 'request failed'],
    ]);
  });
});
