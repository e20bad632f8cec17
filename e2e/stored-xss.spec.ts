/**
 * Stored XSS in a real browser (SECURITY-TESTS.md "Input and output"): group names, descriptions and game
 * names holding markup are stored through the API and rendered by the web app. They must show up as text:
 * no element is created from them, no script runs, no dialog opens, and the CSP reports nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer, type TestContext } from './harness.ts';

const GROUP_NAME = '<img src=x onerror=alert(1)>';
const DESCRIPTION = '<script>alert(2)</script> & "quotes"';
const GAME = '"><svg onload=alert(3)>';

let server: RunningServer;
let browser: Browser;
let ctx: TestContext;
let groupId = '';

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await ctx.context.request.fetch(`${server.url}${path}`, {
    method,
    headers: { Origin: server.url, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  expect(res.ok(), `${method} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ctx = await newContext(browser, server.url);
  // Seeded through the public API with the browser's own cookie jar (the same calls the web app makes).
  await api('POST', '/api/auth/register', newUserData('xss'));
  groupId = (await api<{ id: string }>('POST', '/api/groups', { name: GROUP_NAME, description: DESCRIPTION, timezone: 'UTC' })).id;
  await api('POST', `/api/groups/${groupId}/suggestions`, { gameName: GAME });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('markup in user content renders as text', () => {
  it('on the group page: the group and game names appear literally, and no element is created from stored markup', async () => {
    const { page } = ctx;
    await page.goto(`/groups/${groupId}`);
    await page.getByText(GAME).first().waitFor();
    await page.getByText(GROUP_NAME).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
  });

  it('on the group list', async () => {
    const { page } = ctx;
    await page.goto('/groups');
    await page.getByText(GROUP_NAME).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('no script ran: no dialog, no page error, no CSP violation', () => {
    expect(ctx.watch.dialogs).toEqual([]);
    expect(ctx.watch.pageErrors).toEqual([]);
    expect(ctx.watch.cspViolations).toEqual([]);
  });
});
