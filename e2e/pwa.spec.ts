/**
 * The installable app in Chromium: the manifest and its icons are served with the right types, the
 * service worker registers (navigator.serviceWorker.ready) under its own strict CSP, the offline page
 * answers navigations without a network, and the account page's "Notifications on this device" section
 * saves per-kind choices and passes axe.
 *
 * Headless Chromium has no push service, so pushManager.subscribe() cannot succeed here: the real push
 * round trip (encryption, VAPID, delivery) is proven server-side against scripts/fake-push
 * (apps/server/src/features/push/push.test.ts).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer, type TestContext } from './harness.ts';
import { RegisterPage } from './pages/auth-pages.ts';

let server: RunningServer;
let browser: Browser;
let ctx: TestContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ctx = await newContext(browser, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: ArrayBuffer): { width: number; height: number } {
  const view = new DataView(bytes);
  expect([...new Uint8Array(bytes.slice(1, 4))].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('installable app', () => {
  it('serves the manifest with its fields and real PNG icons (192, 512 and a maskable one)', async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
    };
    expect(manifest).toMatchObject({ name: 'QueueCrew', short_name: 'QueueCrew', start_url: '/', display: 'standalone' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512')).toBe(true);
    for (const size of ['192x192', '512x512']) expect(manifest.icons.some((i) => i.sizes === size && i.purpose !== 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const img = await fetch(`${server.url}${icon.src}`);
      expect(img.status, icon.src).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      const { width, height } = pngSize(await img.arrayBuffer());
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
  });

  it('serves /sw.js as JavaScript under a worker CSP that allows only same-origin fetches', async () => {
    const res = await fetch(`${server.url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // Anything else at the root is still the app shell or a 404, never a file from dist.
    expect((await fetch(`${server.url}/.vite/manifest.json`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('registers the service worker, links the manifest, sets light and dark theme colours, and works offline', async () => {
    const { page, context, watch } = ctx;
    const register = new RegisterPage(page);
    await register.open();
    await register.register(newUserData('pwa'));
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL };
    });
    expect(sw).toEqual({ scope: `${server.url}/`, script: `${server.url}/sw.js` });
    const head = await page.evaluate(() => ({
      manifest: document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href,
      themes: [...document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')].map((m) => m.media),
    }));
    expect(head.manifest).toBe(`${server.url}/manifest.webmanifest`);
    expect(head.themes).toEqual(['(prefers-color-scheme: light)', '(prefers-color-scheme: dark)']);

    // Wait until the page is controlled (clients.claim), then go offline: navigations get the offline page.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    try {
      await page.goto('/groups/anything').catch(() => undefined);
      await page.getByRole('heading', { level: 1, name: 'You’re offline' }).waitFor();
      await page.getByRole('link', { name: 'Try again' }).waitFor();
    } finally {
      await context.setOffline(false);
    }
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  it('"Notifications on this device" saves per-kind choices and passes axe', async () => {
    const { page, watch } = ctx;
    await page.goto('/account');
    const section = page.getByRole('region', { name: 'Notifications on this device' });
    await section.waitFor();
    await section.getByRole('button', { name: 'Turn on notifications' }).waitFor();
    const nudges = section.getByRole('checkbox', { name: /Nudges from friends/ });
    expect(await nudges.isChecked()).toBe(true);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/users/me/notification-settings') && r.request().method() === 'PATCH');
    await nudges.click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => nudges.isChecked()).toBe(false);
    const settings = (await (await page.request.get('/api/users/me/notification-settings')).json()) as { push: Record<string, boolean> };
    expect(settings.push).toMatchObject({ nudge: false, night_closed: true });

    const result = await new AxeBuilder({ page })
      .include('#notifications')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
