/**
 * The API reference at /api/docs: Redoc (self-hosted from node_modules, no CDN) renders the served
 * OpenAPI document on the server, in a worker thread, once per process. Its styles are served from our
 * origin as /api/docs/redoc.css, so the page needs no script and no inline style: it runs under the same
 * strict CSP as every other HTML page (style-src 'self') and works offline and without JavaScript.
 * The first request waits for the first rendering (a few seconds); if it takes longer, the page says so
 * and offers a link to load it again (no timed refresh: WCAG 2.2.1).
 * docs/decisions/111-api-reference-renderer.md says why.
 */
import { Worker } from 'node:worker_threads';

export const DOCS_CSS_PATH = '/api/docs/redoc.css';

export interface ApiReference {
  /** The rendered reference (HTML for inside <body>). */
  body: string;
  /** The styles Redoc's components need, as a stylesheet. */
  css: string;
}

const REDOC_OPTIONS = { disableSearch: true, hideDownloadButton: false, expandResponses: '200,201', pathInMiddlePanel: true };

/** Renders `spec` with Redoc (React's renderToString plus styled-components' style sheet) in a worker. */
export function renderApiReference(spec: object): Promise<ApiReference> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./docs-render-worker.mjs', import.meta.url), {
      workerData: { spec, options: REDOC_OPTIONS },
    });
    // A test process or a stopping server does not wait for a rendering nobody will read.
    worker.unref();
    worker.once('message', (reference: ApiReference) => {
      resolve(reference);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`API reference worker exited with ${code}`)));
  });
}

const page = (head: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>QueueCrew API reference</title>${head}</head>
<body>${body}</body></html>`;

const CONTRACT_LINK = '<p>The machine-readable contract is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>';

export function docsPage(reference: ApiReference | undefined): string {
  if (!reference) {
    return page(
      '',
      `<main><h1>QueueCrew API reference</h1><p role="status">The reference is being prepared. <a href="/api/docs">Load it again</a> in a few seconds.</p>${CONTRACT_LINK}</main>`,
    );
  }
  return page(`<link rel="stylesheet" href="${DOCS_CSS_PATH}">`, `${CONTRACT_LINK}<main id="redoc">${reference.body}</main>`);
}
