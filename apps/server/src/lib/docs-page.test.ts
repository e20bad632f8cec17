/** /api/docs: Redoc's rendering of the served document, under the strict CSP, with nothing from elsewhere. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { docsPage } from './docs-page.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // The first request starts the rendering (a worker thread) and waits for it; a slow rendering gets a
  // page that says so and links to itself, with no timed refresh (WCAG 2.2.1).
  const first = await (await t.request('/api/docs')).text();
  expect(first).not.toContain('http-equiv="refresh"');
  if (first.includes('being prepared')) expect(first).toContain('<a href="/api/docs">Load it again</a>');
  await t.request('/api/docs/redoc.css');
}, 120_000);
afterAll(async () => {
  await t.close();
});

/** Every URL the page or its stylesheet would make the browser load (links to follow are not loads). */
function loadedUrls(html: string, css: string): string[] {
  const attrs = [...html.matchAll(/\s(?:src|srcset|poster|data|action)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
  const links = [...html.matchAll(/<link\b[^>]*\shref="([^"]*)"/gi)].map((m) => m[1]!);
  const cssUrls = [...css.matchAll(/url\(\s*['"]?([^'")]*)/gi)].map((m) => m[1]!);
  const imports = [...css.matchAll(/@import\s+['"]([^'"]+)/gi)].map((m) => m[1]!);
  return [...attrs, ...links, ...cssUrls, ...imports];
}

describe('GET /api/docs', () => {
  it('before the first rendering is ready: says so and links to itself, with no timed refresh (WCAG 2.2.1)', () => {
    const html = docsPage(undefined);
    expect(html).toContain('role="status"');
    expect(html).toContain('<a href="/api/docs">Load it again</a>');
    expect(html).toContain('<a href="/api/openapi.json">/api/openapi.json</a>');
    expect(html).not.toMatch(/http-equiv="refresh"|<script\b/i);
  });

  it('renders every operation of the served document with Redoc, with no script, under the strict CSP', async () => {
    const res = await t.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).toContain('<link rel="stylesheet" href="/api/docs/redoc.css">');
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { summary?: string }>> };
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) if (op.summary) expect(html).toContain(escape(op.summary).replace(/'/g, '&#x27;'));
    }
  });

  it('loads nothing from another origin: every URL in the page and its stylesheet is our own or a fragment', async () => {
    const html = await (await t.request('/api/docs')).text();
    const cssRes = await t.request('/api/docs/redoc.css');
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers.get('content-type')).toMatch(/^text\/css/);
    const css = await cssRes.text();
    expect(css.length).toBeGreaterThan(1000);
    const urls = loadedUrls(html, css);
    expect(urls.length).toBeGreaterThan(0);
    // data: images are inline (img-src allows data:); anything with another scheme or host would be a load.
    const elsewhere = (u: string) => u.startsWith('//') || (/^[a-z][a-z0-9+.-]*:/i.test(u) && !u.startsWith('data:'));
    expect(urls.filter(elsewhere)).toEqual([]);
  });
});
