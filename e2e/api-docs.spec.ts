/**
 * The API reference at /api/docs in a real browser: a fresh server renders it on the first request, so
 * that request waits for it, or gets the "being prepared" page, which links to itself.
 * Both pages pass axe (WCAG 2.1 AA) and raise no CSP violation, page error or dialog; the reference lists
 * the operations of the served OpenAPI document and links to it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launchBrowser, newContext, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/api/docs', () => {
  it('shows the rendered reference (after the "being prepared" page if it was not ready), with no axe violation', async () => {
    const { page, watch } = await newContext(browser, server.url);
    const res = await page.goto('/api/docs');
    expect(res?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'QueueCrew API reference' }).or(page.locator('#redoc')).first().waitFor();

    if ((await page.locator('#redoc').count()) === 0) {
      // Not ready after the server's wait: the page says so, links to itself and to the contract.
      await expect.poll(() => page.getByRole('status').textContent()).toContain('The reference is being prepared');
      expect(await page.getByRole('link', { name: '/api/openapi.json' }).getAttribute('href')).toBe('/api/openapi.json');
      expect(await axe(page)).toEqual([]);
      await expect
        .poll(
          async () => {
            await page.getByRole('link', { name: 'Load it again' }).click();
            return page.locator('#redoc').count();
          },
          { timeout: 60_000 },
        )
        .toBeGreaterThan(0);
    }

    // The reference itself, once rendered: one section per operation of the served document.
    await page.locator('#redoc').waitFor({ timeout: 60_000 });
    const openapi = (await (await page.request.get('/api/openapi.json')).json()) as {
      info: { title: string };
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    const operations = Object.values(openapi.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(50);
    await page.getByRole('heading', { name: openapi.info.title }).first().waitFor();
    for (const op of operations.slice(0, 5)) {
      expect(await page.locator(`[id$="/${op.operationId}"]`).count(), op.operationId).toBeGreaterThan(0);
    }
    expect(await page.getByRole('link', { name: '/api/openapi.json' }).getAttribute('href')).toBe('/api/openapi.json');
    // The whole reference (some 35,000 elements): axe takes minutes on a busy machine, hence the timeout.
    expect(await axe(page)).toEqual([]);

    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  }, 600_000);
});
