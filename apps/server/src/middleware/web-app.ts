/**
 * Serves the built web app (apps/web/dist) from the same process: hashed assets with long caching,
 * and index.html for every other path (client-side routing), with the CSP nonce injected.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../lib/context.ts';
import { notFound } from '../lib/errors.ts';
import { cspNonceOf } from './security-headers.ts';
import type { Services } from '../services.ts';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>QueueCrew</title></head><body><main><h1>QueueCrew</h1><p>The web app has not been built yet. Run <code>npm run build</code>, or use the API at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

/**
 * Files at the root of the build (apps/web/public): the installable-app manifest, the service worker
 * (at the root so its scope is the whole app without Service-Worker-Allowed), the offline page it falls
 * back to, and the icons. Exact paths only: nothing else in dist is reachable outside /assets.
 */
const ROOT_FILES: Record<string, { type: string; cache: string }> = {
  '/sw.js': { type: 'text/javascript; charset=utf-8', cache: 'no-cache' },
  '/manifest.webmanifest': { type: 'application/manifest+json; charset=utf-8', cache: 'no-cache' },
  '/offline.html': { type: 'text/html; charset=utf-8', cache: 'no-cache' },
  '/offline.css': { type: 'text/css; charset=utf-8', cache: 'no-cache' },
  '/icons/icon-192.png': { type: 'image/png', cache: 'public, max-age=86400' },
  '/icons/icon-512.png': { type: 'image/png', cache: 'public, max-age=86400' },
  '/icons/maskable-512.png': { type: 'image/png', cache: 'public, max-age=86400' },
};

export function webApp(services: Services) {
  const dist = services.config.webDistDir;
  const indexPath = resolve(dist, 'index.html');
  const app = new Hono<AppEnv>();
  let indexHtml: string | undefined;
  let indexMtime = 0;
  // Re-read index.html when a new build replaced it, so a rebuild never serves links to deleted assets.
  const loadIndex = () => {
    if (!existsSync(indexPath)) return undefined;
    const mtime = statSync(indexPath).mtimeMs;
    if (indexHtml === undefined || mtime !== indexMtime) {
      indexHtml = readFileSync(indexPath, 'utf8');
      indexMtime = mtime;
    }
    return indexHtml;
  };
  const assets = serveStatic({ root: dist, rewriteRequestPath: (p) => p });
  // Only GET and HEAD reach the files; other methods fall through to the app's 404.
  app.on(['GET', 'HEAD'], '/assets/*', async (c) => {
    // Range is ignored (RFC 9110 allows it): the static server passes ranges unchecked to createReadStream,
    // so a reversed or out-of-bounds range threw (500). Hashed assets are small and immutable anyway.
    c.req.raw.headers.delete('range');
    const res = await assets(c, () => Promise.resolve());
    // A missing asset is a 404, not the HTML shell: a <script> must never receive a page.
    if (!res) throw notFound('This file');
    // Set on the response itself: onFound's c.header() runs after the body exists and is lost with a
    // standard Response (only node-server's own Response shim happened to keep it).
    res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
    return res;
  });
  app.on(['GET', 'HEAD'], Object.keys(ROOT_FILES), (c) => {
    const file = ROOT_FILES[c.req.path];
    const path = resolve(dist, `.${c.req.path}`);
    if (!file || !path.startsWith(dist) || !existsSync(path)) throw notFound('This file');
    c.header('Content-Type', file.type);
    c.header('Cache-Control', file.cache);
    if (c.req.method === 'HEAD') return c.body(null);
    return c.body(new Uint8Array(readFileSync(path)));
  });
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    const html = loadIndex();
    if (!html) return c.html(PLACEHOLDER);
    const nonce = cspNonceOf(c);
    c.header('Cache-Control', 'no-cache');
    return c.html(html.replaceAll('<script ', `<script nonce="${nonce}" `).replaceAll('<link ', `<link nonce="${nonce}" `));
  });
  return app;
}
