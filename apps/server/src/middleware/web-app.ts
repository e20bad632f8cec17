/**
 * Serves the built web app (apps/web/dist) from the same process: hashed assets with long caching,
 * and index.html for every other path (client-side routing), with the CSP nonce injected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../lib/context.ts';
import type { Services } from '../services.ts';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>QueueCrew</title></head><body><main><h1>QueueCrew</h1><p>The web app has not been built yet. Run <code>npm run build</code>, or use the API at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

export function webApp(services: Services) {
  const dist = services.config.webDistDir;
  const indexPath = resolve(dist, 'index.html');
  const app = new Hono<AppEnv>();
  let indexHtml: string | undefined;
  const loadIndex = () => {
    if (indexHtml === undefined && existsSync(indexPath)) indexHtml = readFileSync(indexPath, 'utf8');
    return indexHtml;
  };
  app.use(
    '/assets/*',
    serveStatic({
      root: dist,
      rewriteRequestPath: (p) => p,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    const html = loadIndex();
    if (!html) return c.html(PLACEHOLDER);
    const nonce = c.get('cspNonce');
    c.header('Cache-Control', 'no-cache');
    return c.html(html.replaceAll('<script ', `<script nonce="${nonce}" `).replaceAll('<link ', `<link nonce="${nonce}" `));
  });
  return app;
}
