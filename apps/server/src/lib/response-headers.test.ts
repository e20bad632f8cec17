/**
 * `responseHeaders()` on a real port: the same edits made through it and through `res.headers` put the
 * same headers and body on the wire, for every kind of response a route makes (JSON, text, HTML, a
 * Response with no headers, headers given in mixed case, a bodiless 204, a stream, headers set with
 * c.header() before the body) — whether it took the plain-object path or the `Headers` one.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseHeaders, setHeaders, type HeaderEditor } from './response-headers.ts';

/** What the security-header and request-id middleware do to a finished response. */
function edit(h: HeaderEditor): void {
  const type = h.get('content-type') ?? '';
  h.set('Content-Security-Policy', type.includes('text/html') ? "script-src 'self'" : "default-src 'none'");
  h.set('X-Frame-Options', 'DENY');
  // A list made once, lower-case names, set in order (security-headers.ts).
  setHeaders(h, [
    ['x-dns-prefetch-control', 'off'],
    ['cross-origin-opener-policy', 'same-origin'],
  ]);
  if (h.get('Referrer-Policy') !== 'no-referrer') h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  h.delete('X-Powered-By');
  if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  h.set('X-Request-Id', 'req-0123456789');
}

const ROUTES: Record<string, (c: Context) => Response | Promise<Response>> = {
  '/json': (c) => c.json({ ok: true, text: 'héllo' }),
  '/json-201': (c) => c.json({ id: 'x' }, 201),
  '/text': (c) => c.text('plain'),
  '/html': (c) => c.html('<p>hi</p>'),
  '/bare': () => new Response('no headers at all'),
  '/mixed-case': () =>
    new Response('x', { headers: { 'Content-Type': 'text/css', 'cache-control': 'public, max-age=60', 'X-Powered-By': 'me' } }),
  '/no-type': () => new Response('x', { headers: { 'X-Thing': 'a' } }),
  '/referrer': (c) => c.body('feed', 200, { 'Content-Type': 'text/calendar', 'Referrer-Policy': 'no-referrer' }),
  '/prepared': (c) => {
    c.header('Cache-Control', 'private');
    return c.json({ prepared: true });
  },
  '/empty': (c) => c.body(null, 204),
  '/bytes': (c) => c.body(new Uint8Array([1, 2, 3]), 200, { 'Content-Type': 'application/octet-stream' }),
  '/stream': () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('streamed'));
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/plain' } },
    ),
};

/** Paths whose response `responseHeaders()` edited as a WHATWG Headers (the rest: in place). */
const editedAsHeaders = new Set<string>();

function appWith(editor: (res: Response) => HeaderEditor) {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    const h = editor(c.res);
    if (editor === responseHeaders && h instanceof Headers) editedAsHeaders.add(c.req.path);
    edit(h);
  });
  for (const [path, handler] of Object.entries(ROUTES)) app.get(path, handler);
  return app;
}

function listen(app: Hono): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

let viaEditor: { server: ServerType; url: string };
let viaHeaders: { server: ServerType; url: string };
beforeAll(async () => {
  viaEditor = await listen(appWith(responseHeaders));
  viaHeaders = await listen(appWith((res) => res.headers));
});
afterAll(() => {
  viaEditor.server.close();
  viaHeaders.server.close();
});

async function sent(url: string) {
  const res = await fetch(url);
  const headers = Object.fromEntries([...res.headers].filter(([k]) => k !== 'date'));
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()).toString('base64') };
}

describe('responseHeaders()', () => {
  for (const path of Object.keys(ROUTES)) {
    it(`sends what res.headers would: ${path}`, async () => {
      const a = await sent(`${viaEditor.url}${path}`);
      const b = await sent(`${viaHeaders.url}${path}`);
      expect(a).toEqual(b);
      expect(a.headers['x-request-id']).toBe('req-0123456789');
      expect(a.headers['x-powered-by']).toBeUndefined();
    });
  }

  it('edits the plain header object of lightweight responses in place, anything else through Headers', async () => {
    for (const path of Object.keys(ROUTES)) await sent(`${viaEditor.url}${path}`);
    // A bodiless response is a native Response; c.header() before the body, or c.body() with more than
    // one header, made a Headers already.
    expect([...editedAsHeaders].sort()).toEqual(['/empty', '/prepared', '/referrer']);
  });

  it('keeps a response stricter Referrer-Policy and its own Cache-Control', async () => {
    expect((await sent(`${viaEditor.url}/referrer`)).headers['referrer-policy']).toBe('no-referrer');
    expect((await sent(`${viaEditor.url}/mixed-case`)).headers['cache-control']).toBe('public, max-age=60');
  });
});
