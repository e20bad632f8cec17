/**
 * Subresource Integrity for the built index.html: every <script src>, <link rel=stylesheet> and
 * <link rel=modulepreload> that points at a file of this build gets integrity="sha384-…" and crossorigin,
 * so a tampered asset (on disk, a CDN or a proxy) is refused by the browser.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

export function sri(): Plugin {
  return {
    name: 'queuecrew-sri',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const hashOf = (url: string): string | undefined => {
          const file = url.replace(/^\//, '');
          const item = bundle[file];
          if (!item) return undefined;
          const source = item.type === 'chunk' ? item.code : item.source;
          return `sha384-${createHash('sha384').update(source).digest('base64')}`;
        };
        // index.html is Vite's own output (one tag per line, attributes in double quotes): a tag regex is enough.
        return html.replace(/<(script|link)\b([^>]*)>/g, (tag, name: string, rawAttrs: string) => {
          const selfClose = rawAttrs.endsWith('/') ? '/' : '';
          const attrs = selfClose ? rawAttrs.slice(0, -1) : rawAttrs;
          if (/\bintegrity=/.test(attrs)) return tag;
          if (name === 'link' && !/\brel="(stylesheet|modulepreload)"/.test(attrs)) return tag;
          const url = /\b(?:src|href)="([^"]+)"/.exec(attrs)?.[1];
          if (!url || url.startsWith('//') || url.startsWith('http:') || url.startsWith('https:')) return tag;
          const integrity = hashOf(url);
          if (!integrity) throw new Error(`SRI: ${url} is referenced by index.html but is not part of the build`);
          const cors = /\bcrossorigin\b/.test(attrs) ? '' : ' crossorigin';
          return `<${name}${attrs} integrity="${integrity}"${cors}${selfClose}>`;
        });
      },
    },
  };
}
