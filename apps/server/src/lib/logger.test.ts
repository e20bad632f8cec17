import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accessLoggerFor, createLogger, lazyChild } from './logger.ts';

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
