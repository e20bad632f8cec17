import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accessLoggerFor, batchedDestination, createLogger, lazyChild } from './logger.ts';

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
