/**
 * Security headers on every response, in one place. Hono's secureHeaders() defaults are not enough
 * (HSTS 180 days, no CSP, X-Frame-Options SAMEORIGIN), so the values are spelled out here.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { randomIdBytes } from '../lib/ids.ts';
import { setHeaders, type HeaderEditor, type HeaderList } from '../lib/response-headers.ts';
import { STEAM_COVER_HOST } from '../lib/steam-cdn.ts';

/**
 * The HTML policy: scripts only from our origin or with this response's nonce (no 'unsafe-inline', no
 * eval), no plugins, no <base> rewriting, no framing. `upgrade-insecure-requests` only over https: on a
 * plain-http development origin it would send the browser to an https port nobody listens on.
 */
export function contentSecurityPolicy(nonce: string, connectOrigins: string, https = true): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    // Discord avatars, and Steam's CDN for library cover art (exactly the host features/games builds coverUrl on).
    `img-src 'self' data: https://cdn.discordapp.com ${STEAM_COVER_HOST}`,
    "font-src 'self'",
    `connect-src 'self' ${connectOrigins}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
    "worker-src 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/**
 * The service worker's own policy (a worker is governed by the CSP of its script's response): it may
 * fetch and cache same-origin resources (the offline page, navigations) and show our icons, nothing else.
 */
export const SERVICE_WORKER_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The nonce of this response's scripts: made on first use (only HTML pages embed one) and kept for the CSP. */
export function cspNonceOf(c: Context<AppEnv>): string {
  let nonce = c.get('cspNonce');
  if (nonce === undefined) {
    nonce = randomIdBytes(16).toString('base64');
    c.set('cspNonce', nonce);
  }
  return nonce;
}

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()';

/** The fixed headers, in the order they are set, with and without the Referrer-Policy, per scheme. */
function fixedHeaders(https: boolean, referrer: boolean): HeaderList {
  return [
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    // A response may only make this stricter: the calendar feed (whose URL is a secret) sends no-referrer.
    ...(referrer ? [['referrer-policy', 'strict-origin-when-cross-origin'] as const] : []),
    // No powerful features are used; `interest-cohort` (FLoC) is gone from browsers and only made Chrome log errors.
    ['permissions-policy', PERMISSIONS_POLICY],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['x-dns-prefetch-control', 'off'],
    ['x-permitted-cross-domain-policies', 'none'],
    // Own process (agent cluster) for this origin: a compromised same-site page cannot share memory with it.
    ['origin-agent-cluster', '?1'],
    ...(https ? [['strict-transport-security', 'max-age=63072000; includeSubDomains'] as const] : []),
  ];
}

/** Made once: [https][keeps the response's own no-referrer]. */
const FIXED = {
  http: { referrer: fixedHeaders(false, true), noReferrer: fixedHeaders(false, false) },
  https: { referrer: fixedHeaders(true, true), noReferrer: fixedHeaders(true, false) },
};

/**
 * Sets the security headers on a finished response (`h`: lib/response-headers.ts). Everything but the
 * CSP and Cache-Control is the same for every response of the process and is set from a list made once.
 */
export function applySecurityHeaders(c: Context<AppEnv>, h: HeaderEditor): void {
  const { config } = c.get('services');
  const isHtml = (h.get('content-type') ?? '').includes('text/html');
  let csp = API_CSP;
  if (isHtml) {
    csp = contentSecurityPolicy(cspNonceOf(c), config.appOrigin.replace(/^http/, 'ws'), config.isHttps);
  } else if (c.req.path === '/sw.js' && c.res.ok) csp = SERVICE_WORKER_CSP;
  h.set('content-security-policy', csp);
  const fixed = config.isHttps ? FIXED.https : FIXED.http;
  setHeaders(h, h.get('referrer-policy') === 'no-referrer' ? fixed.noReferrer : fixed.referrer);
  h.delete('x-powered-by');
  if (c.req.path.startsWith('/api/') && !h.has('cache-control')) h.set('cache-control', 'no-store');
}
