/**
 * "Add to calendar" on the account page: make the private feed URL, copy it, subscribe to it (fetched
 * here the way a calendar app does: no cookies), make a new one (the old one is then 404), and stop
 * sharing with a confirmation. Focus and the live region are checked after each action, and axe finds
 * no WCAG 2.1 AA violation in light and dark mode at 320 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { axe, launchBrowser, newContext, newUserData, screenshot, smallTargets, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;
const owner = newUserData('cal');

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const ctx = await browser.newContext();
  const seed = new Seed(ctx, server.url);
  await seed.register(owner);
  const { id } = await seed.createGroup('Calendar Crew');
  await seed.suggest(id, 'Deep Rock Galactic');
  await ctx.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The feed as a calendar app fetches it: a plain HTTP GET without the browser's cookies. */
async function fetchFeed(url: string) {
  const res = await fetch(url, { headers: { 'user-agent': 'Calendar-App/1.0' } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function signIn(page: Page) {
  const res = await page.request.post(`${server.url}/api/auth/login`, {
    headers: { Origin: server.url, 'Content-Type': 'application/json' },
    data: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  expect(res.status()).toBe(200);
}

const section = (page: Page) => page.getByRole('region', { name: 'Add to calendar' });
const linkField = (page: Page) => page.getByLabel('Your private calendar link');
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('aria-label') ?? (el instanceof HTMLInputElement ? el.labels?.[0]?.textContent : el?.textContent)?.trim();
  });

describe('Add to calendar', () => {
  it('makes, copies, replaces and stops a private feed URL, with focus and announcements that follow', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signIn(page);
    await page.goto('/account');
    const cal = section(page);
    await cal.getByRole('heading', { name: 'Add to calendar' }).waitFor();
    await cal.getByText('Keep the link private.').waitFor();

    await cal.getByRole('button', { name: 'Get calendar link' }).click();
    await linkField(page).waitFor();
    const first = await linkField(page).inputValue();
    expect(first.startsWith(`${server.url}/api/calendar/`)).toBe(true);
    expect(first).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await focusedLabel(page)).toBe('Your private calendar link');
    await expect.poll(() => cal.getByRole('status').textContent()).toContain('Calendar link made');
    expect(await linkField(page).getAttribute('readonly')).not.toBeNull();
    expect(await cal.getByRole('link', { name: 'Open in calendar app' }).getAttribute('href')).toBe(first.replace(/^http:/, 'webcal:'));

    const feed = await fetchFeed(first);
    expect(feed.status).toBe(200);
    expect(feed.type).toBe('text/calendar; charset=utf-8');
    // Before the deadline "voting until HH:MM"; after it (not closed yet by anyone) a plain "game night".
    expect(feed.text).toMatch(/SUMMARY:Calendar Crew — (voting until \d\d:\d\d|game night)\r\n/);

    await cal.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => cal.getByRole('status').textContent()).toBe('Calendar link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

    await cal.getByRole('button', { name: 'Make a new link' }).click();
    await expect.poll(() => linkField(page).inputValue()).not.toBe(first);
    const second = await linkField(page).inputValue();
    await expect.poll(() => cal.getByRole('status').textContent()).toContain('The old link no longer works');
    expect(await focusedLabel(page)).toBe('Your private calendar link');
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);

    // Stop sharing: a confirmation first; Cancel changes nothing.
    await cal.getByRole('button', { name: 'Stop sharing…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Stop sharing your calendar?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await fetchFeed(second)).status).toBe(200);
    await cal.getByRole('button', { name: 'Stop sharing…' }).click();
    await dialog.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => cal.getByRole('status').textContent()).toContain('Calendar sharing stopped');
    await dialog.waitFor({ state: 'hidden' });
    expect(await linkField(page).count()).toBe(0);
    expect(await focusedLabel(page)).toBe('Stop sharing…');
    expect((await fetchFeed(second)).status).toBe(404);

    // The account's activity lists the three changes.
    await page.reload();
    await page.getByText('Calendar sharing stopped').first().waitFor();
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    await context.close();
  });
});

describe.each(['light', 'dark'] as const)('Add to calendar at 320 px in %s mode', (theme) => {
  it('fits, has 44 px targets and no axe violations, with the link shown and with the confirmation open', async () => {
    const { page, context, watch } = await newContext(browser, server.url, {
      colorScheme: theme,
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(page);
    await page.goto('/account');
    const cal = section(page);
    await cal.getByRole('button', { name: /Get calendar link|Make a new link/ }).click();
    await linkField(page).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(theme === 'dark');
    await cal.scrollIntoViewIfNeeded();
    await screenshot(page, `account-calendar-320-${theme}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await smallTargets(page)).toEqual([]);
    const link = await cal.getByRole('link', { name: 'Open in calendar app' }).boundingBox();
    expect(link!.height).toBeGreaterThanOrEqual(44);
    expect(await axe(page)).toEqual([]);

    await cal.getByRole('button', { name: 'Stop sharing…' }).click();
    await page.getByRole('alertdialog').waitFor();
    await screenshot(page, `account-calendar-confirm-320-${theme}`);
    expect(await axe(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });
});
