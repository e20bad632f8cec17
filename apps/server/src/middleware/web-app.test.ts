/**
 * Serving the built web app: index.html for client routes with the CSP nonce on its tags, hashed assets
 * with immutable caching, 404 (not index.html) for a missing asset, and a rebuilt index.html picked up.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';

let t: TestApp;
let dist: string;
const indexV1 =
  '<!doctype html><html><head><script type="module" crossorigin src="/assets/app-1.js" integrity="sha384-x"></script><link rel="stylesheet" href="/assets/app-1.css"></head><body><div id="root"></div></body></html>';

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'qc-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), indexV1);
  writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1);');
  writeFileSync(join(dist, 'assets', 'app-1.css'), 'body{}');
  t = await createTestApp({ WEB_DIST_DIR: dist });
});

afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('web app serving', () => {
  it('answers client routes with index.html carrying the response nonce on its script and link tags', async () => {
    const res = await t.request('/groups/abc?day=2026-11-26');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}" type="module" crossorigin src="/assets/app-1.js" integrity="sha384-x">`);
    expect(html).toContain(`<link nonce="${nonce}" rel="stylesheet"`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves hashed assets with immutable caching and the right type', async () => {
    const res = await t.request('/assets/app-1.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a missing asset instead of index.html', async () => {
    const res = await t.request('/assets/app-0-old.js');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<html');
  });

  it('does not serve files outside the assets folder', async () => {
    const res = await t.request('/assets/..%2findex.html');
    expect([400, 404]).toContain(res.status);
  });

  it('picks up a rebuilt index.html without a restart', async () => {
    writeFileSync(join(dist, 'index.html'), indexV1.replaceAll('app-1', 'app-2'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dist, 'index.html'), later, later);
    const html = await (await t.request('/')).text();
    expect(html).toContain('/assets/app-2.js');
    expect(html).not.toContain('/assets/app-1.js');
  });
});
