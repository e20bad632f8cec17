/**
 * The built web app as the server delivers it: every script and stylesheet of the build carries a
 * Subresource Integrity hash (sha384) that matches the file, there is no inline script the CSP would
 * have to allow, and each served page gets a fresh CSP nonce on its script tags.
 * `npm test` builds the web app before the tests run; run `npm run build` first when running this alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';

const DIST = resolve(import.meta.dirname, '../../../web/dist');
const INDEX = join(DIST, 'index.html');

let t: TestApp;
beforeAll(async () => {
  if (!existsSync(INDEX)) throw new Error(`The web app is not built (${INDEX} is missing): run npm run build first.`);
  t = await createTestApp({ WEB_DIST_DIR: DIST });
});
afterAll(async () => {
  await t?.close();
});

const tags = (html: string) => html.match(/<(script|link)\b[^>]*>/g) ?? [];
/** The value of one attribute, from Vite's own output (double-quoted attributes). */
function attr(tag: string, name: string): string | undefined {
  const start = tag.indexOf(` ${name}="`);
  if (start < 0) return undefined;
  const from = start + name.length + 3;
  return tag.slice(from, tag.indexOf('"', from));
}

describe('Subresource Integrity on the built page', () => {
  it('every script, stylesheet and module preload of the build has a matching sha384 integrity', () => {
    const html = readFileSync(INDEX, 'utf8');
    const covered = tags(html).filter((tag) => tag.startsWith('<script') || /rel="(stylesheet|modulepreload)"/.test(tag));
    expect(covered.length).toBeGreaterThan(0);
    for (const tag of covered) {
      const url = attr(tag, 'src') ?? attr(tag, 'href');
      expect(url, tag).toBeTruthy();
      const file = readFileSync(join(DIST, url!.replace(/^\//, '')));
      expect(attr(tag, 'integrity'), tag).toBe(`sha384-${createHash('sha384').update(file).digest('base64')}`);
      expect(tag).toMatch(/\bcrossorigin\b/);
    }
  });

  it('has no inline script (the CSP allows none without a nonce) and no third-party origin', () => {
    const html = readFileSync(INDEX, 'utf8');
    for (const tag of tags(html).filter((x) => x.startsWith('<script'))) expect(attr(tag, 'src'), tag).toBeTruthy();
    expect(html).not.toMatch(/\bon[a-z]+="/i);
    for (const tag of tags(html)) {
      const url = attr(tag, 'src') ?? attr(tag, 'href') ?? '';
      expect(url.startsWith('//') || url.startsWith('http:') || url.startsWith('https:'), tag).toBe(false);
    }
  });
});

describe('the page as served', () => {
  it('keeps the integrity attributes, adds this response’s nonce to each script, and sends the CSP', async () => {
    const res = await t.request('/groups/some-group');
    expect(res.status).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy')!)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const scripts = tags(html).filter((x) => x.startsWith('<script'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      expect(attr(tag, 'nonce')).toBe(nonce);
      expect(attr(tag, 'integrity')).toMatch(/^sha384-/);
    }
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves the hashed assets with the same bytes the hashes were made from', async () => {
    const html = readFileSync(INDEX, 'utf8');
    const first = tags(html).find((x) => x.startsWith('<script'))!;
    const url = attr(first, 'src')!;
    const res = await t.request(url);
    expect(res.status).toBe(200);
    const served = Buffer.from(await res.arrayBuffer());
    expect(`sha384-${createHash('sha384').update(served).digest('base64')}`).toBe(attr(first, 'integrity'));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the web source', () => {
  const SRC = resolve(import.meta.dirname, '../../../web/src');
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.gen.ts'));

  it('never renders raw HTML or evaluates strings (user text is always escaped by React)', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const code = readFileSync(join(SRC, f), 'utf8');
      for (const sink of [
        'dangerouslySetInnerHTML',
        '.innerHTML',
        '.outerHTML',
        'insertAdjacentHTML',
        'document.write',
        'eval(',
        'new Function(',
      ]) {
        expect(code.includes(sink), `${f} uses ${sink}`).toBe(false);
      }
    }
  });

  it('keeps no token in web storage (sessions live in HttpOnly cookies only)', () => {
    for (const f of files) {
      const code = readFileSync(join(SRC, f), 'utf8');
      if (!/localStorage|sessionStorage/.test(code)) continue;
      expect(
        /token|jwt|refresh|access/i.test(
          code
            .split('\n')
            .filter((l) => /Storage/.test(l))
            .join('\n'),
        ),
        f,
      ).toBe(false);
    }
  });
});
