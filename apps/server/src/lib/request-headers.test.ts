/**
 * `requestHeader()` on a real port answers what `c.req.header()` answers, for single, repeated and
 * missing headers in any spelling (raw HTTP, so names can repeat and keep their case).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestHeader } from './request-headers.ts';

const NAMES = [
  'origin',
  'referer',
  'cookie',
  'authorization',
  'content-type',
  'x-request-id',
  'x-forwarded-for',
  'sec-fetch-site',
  'absent',
];

let server: ServerType;
let port: number;
beforeAll(async () => {
  const app = new Hono().get('/', (c) =>
    c.json(Object.fromEntries(NAMES.map((n) => [n, { helper: requestHeader(c, n) ?? null, hono: c.req.header(n) ?? null }]))),
  );
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
});
afterAll(() => void server.close());

function rawGet(headerLines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`),
    );
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve(data.slice(data.indexOf('\r\n\r\n') + 4)));
    socket.on('error', reject);
  });
}

it('answers what c.req.header() answers', async () => {
  const body = await rawGet([
    'Origin: https://a.example',
    'ORIGIN: https://b.example',
    'Referer: https://a.example/x',
    'referer: https://b.example/y',
    'Cookie: a=1',
    'cookie: b=2',
    'Authorization: Bearer one',
    'authorization: Bearer two',
    'X-Request-Id: abcdefgh12345678',
    'X-Forwarded-For: 10.0.0.1, 10.0.0.2',
    'x-forwarded-for: 10.0.0.3',
    'Sec-Fetch-Site: same-origin',
  ]);
  const seen = JSON.parse(body) as Record<string, { helper: string | null; hono: string | null }>;
  for (const name of NAMES) expect(seen[name]!.helper, name).toBe(seen[name]!.hono);
  expect(seen['origin']!.helper).toBe('https://a.example, https://b.example');
  expect(seen['x-forwarded-for']!.helper).toBe('10.0.0.1, 10.0.0.2, 10.0.0.3');
  expect(seen['absent']!.helper).toBeNull();
});
