/**
 * Subresource Integrity for the built index.html: every <script src>, <link rel=stylesheet> and
 * <link rel=modulepreload> that points at a file of this build gets integrity="sha384-…" and crossorigin,
 * so a tampered asset (on disk, a CDN or a proxy) is refused by the browser.
 *
 * It runs in `writeBundle`, hashing the files as written to disk: earlier hooks (transformIndexHtml) see
 * chunks before Vite's last rewrite of the entry chunk (preload markers), and the hash would not match.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

export function addIntegrity(html: string, readAsset: (url: string) => Buffer | undefined): string {
  // index.html is Vite's own output (attributes in double quotes): a tag regex is enough here.
  return html.replace(/<(script|link)\b([^>]*)>/g, (tag, name: string, rawAttrs: string) => {
    const selfClose = rawAttrs.endsWith('/') ? '/' : '';
    const attrs = selfClose ? rawAttrs.slice(0, -1) : rawAttrs;
    if (/\bintegrity=/.test(attrs)) return tag;
    if (name === 'link' && !/\brel="(stylesheet|modulepreload)"/.test(attrs)) return tag;
    const url = /\b(?:src|href)="([^"]+)"/.exec(attrs)?.[1];
    if (!url || url.startsWith('//') || url.startsWith('http:') || url.startsWith('https:')) return tag;
    const content = readAsset(url);
    if (!content) throw new Error(`SRI: ${url} is referenced by index.html but is not part of the build`);
    const integrity = `sha384-${createHash('sha384').update(content).digest('base64')}`;
    const cors = /\bcrossorigin\b/.test(attrs) ? '' : ' crossorigin';
    return `<${name}${attrs} integrity="${integrity}"${cors}${selfClose}>`;
  });
}

export function sri(): Plugin {
  return {
    name: 'queuecrew-sri',
    apply: 'build',
    enforce: 'post',
    writeBundle: {
      order: 'post',
      handler(options) {
        const outDir = options.dir;
        if (!outDir) return;
        const indexPath = join(outDir, 'index.html');
        const html = readFileSync(indexPath, 'utf8');
        const out = addIntegrity(html, (url) => {
          const path = join(outDir, url.replace(/^\//, ''));
          if (!path.startsWith(outDir)) return undefined;
          try {
            return readFileSync(path);
          } catch {
            return undefined;
          }
        });
        writeFileSync(indexPath, out);
      },
    },
  };
}
