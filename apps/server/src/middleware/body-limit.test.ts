/**
 * The header-decided body limit on a real port (Node's HTTP parser frames the requests): oversize by
 * Content-Length and oversize chunked streams are refused with 413; bodies under the limit arrive
 * whole, by either framing; bodiless requests pass.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../app.ts';
import { TEST_ORIGIN } from '../test/create-test-app.ts';
import { startInstance, tempDir, type Instance } from '../test/live-instances.ts';

let dir: ReturnType<typeof tempDir>;
let inst: Instance;
beforeAll(async () => {
  dir = tempDir();
  inst = await startInstance(dir.dir, { nights: false, webhooks: false });
});
afterAll(async () => {
  await inst.stop();
  dir.remove();
});

interface Sent {
  status: number;
  body: { code?: string; details?: Record<string, string> };
}

/** POSTs `chunks` to /api/auth/login: with Content-Length (their total) or chunked (one write each). */
function post(chunks: string[], framing: 'length' | 'chunked', declaredLength?: number): Promise<Sent> {
  const url = new URL('/api/auth/login', inst.url);
  const total = chunks.reduce((n, s) => n + Buffer.byteLength(s), 0);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        // A connection of its own: a request that declares more than it sends must not leave bytes behind.
        agent: false,
        headers: {
          'content-type': 'application/json',
          origin: TEST_ORIGIN,
          ...(framing === 'length' ? { 'content-length': String(declaredLength ?? total) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Sent['body']) : {} }));
      },
    );
    // The server may answer (and close) before the whole body is sent: that is the point of the test.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    const writeNext = (i: number) => {
      if (i === chunks.length) return req.end();
      if (req.destroyed) return;
      req.write(chunks[i], () => writeNext(i + 1));
    };
    writeNext(0);
  });
}

const login = (pad: number) => JSON.stringify({ email: 'nobody@example.test', password: 'not the right one', pad: 'x'.repeat(pad) });

describe('body limit', () => {
  it('refuses a Content-Length over the limit with 413 before reading the body', async () => {
    // Declares more than the limit and sends nothing: the answer cannot have come from counting bytes.
    const res = await post([], 'length', BODY_LIMIT_BYTES + 1);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    const full = await post([login(BODY_LIMIT_BYTES)], 'length');
    expect(full.status).toBe(413);
  });

  it('refuses an oversize chunked body with 413 while it streams', async () => {
    const chunk = 'x'.repeat(8 * 1024);
    const body = [`{"email":"nobody@example.test","password":"p","pad":"`, ...Array.from({ length: 10 }, () => chunk), '"}'];
    const res = await post(body, 'chunked');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('passes bodies under the limit whole, by Content-Length and chunked', async () => {
    const text = login(BODY_LIMIT_BYTES - 1024);
    // The unknown field at the end of a ~63 KiB body is reported: the body was read to its last byte.
    for (const res of [await post([text], 'length'), await post([text.slice(0, 30_000), text.slice(30_000)], 'chunked')]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect(Object.keys(res.body.details ?? {})).toContain('pad');
    }
    // And a normal small body: the login is judged on its content.
    const small = JSON.stringify({ email: 'nobody@example.test', password: 'not the right one' });
    for (const res of [await post([small], 'length'), await post([small], 'chunked')]) expect(res.status).toBe(401);
  });

  it('lets bodiless requests through', async () => {
    expect((await inst.request('/api/users/me')).status).toBe(401);
    expect((await inst.request('/healthz')).status).toBe(200);
  });
});
