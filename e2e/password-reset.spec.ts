/**
 * Forgotten password (decision 108): the sign-in page says to ask the admin; the admin creates
 * a one-time reset link and copies it; the person opens it, sets a new password, and every session they
 * had ends. Axe (light, dark, 320 px) on the three screens this touches.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { SignInPage } from './pages/auth-pages.ts';
import {
  axe,
  launchBrowser,
  newContext,
  newUserData,
  screenshot,
  smallTargets,
  startServer,
  type RunningServer,
  type TestContext,
} from './harness.ts';

let server: RunningServer;
let browser: Browser;
let admin: TestContext;
let member: TestContext;
const adminUser = newUserData('root');
const memberUser = newUserData('forgetful');
const NEW_PASSWORD = 'lantern orchard quietly folds 88';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await newContext(browser, server.url);
  member = await newContext(browser, server.url);
  await new Seed(admin.context, server.url).register(adminUser);
  await new Seed(member.context, server.url).register(memberUser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function createLink(page: Page): Promise<string> {
  await page.goto('/admin');
  const button = page.getByRole('button', { name: `Create reset link for ${memberUser.username}` });
  await button.click();
  const field = page.getByLabel(`Password reset link for ${memberUser.username}`);
  await field.waitFor();
  // Focus moves to the new link (selected, ready to copy), not to <body>.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('readonly') !== null)).toBe(true);
  return field.inputValue();
}

describe('forgotten password', () => {
  it('the sign-in page explains "Ask your admin"', async () => {
    const visitor = await newContext(browser, server.url);
    await new SignInPage(visitor.page).open();
    await visitor.page.getByText('Forgot your password? Ask your admin').click();
    await visitor.page.getByText('QueueCrew sends no emails.').waitFor();
    await visitor.context.close();
  });

  it('admin creates and copies a link; the person resets; their old session is gone; the link is single use', async () => {
    await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const url = await createLink(admin.page);
    expect(url.startsWith(`${server.url}/reset-password#token=`)).toBe(true);
    expect(new URL(url).hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/);
    await admin.page.getByRole('button', { name: 'Copy link' }).click();
    await admin.page.getByRole('status').filter({ hasText: 'Reset link copied.' }).waitFor();
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await screenshot(admin.page, 'admin-reset-link');

    // The member is still signed in on their own browser; a second browser opens the link.
    await member.page.goto('/account');
    await member.page.getByRole('heading', { level: 1 }).waitFor();
    const other = await newContext(browser, server.url);
    const requests: string[] = [];
    other.page.on('request', (r) => requests.push(`${r.url()} ${r.headers()['referer'] ?? ''}`));
    await other.page.goto(url);
    await other.page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    // The token leaves the address bar at once and is never sent in a URL or a Referer.
    await expect.poll(() => other.page.evaluate(() => window.location.hash)).toBe('');
    const token = new URL(url).hash.slice('#token='.length);
    await other.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await other.page.getByRole('button', { name: 'Set new password' }).click();
    await other.page.getByRole('heading', { name: 'Your new password is set' }).waitFor();
    expect(await other.page.evaluate(() => document.activeElement?.textContent)).toBe('Your new password is set');
    expect(requests.filter((r) => r.includes(token))).toEqual([]);

    // The old session ended: the account page sends the member to sign in.
    await member.page.goto('/account');
    await member.page.waitForURL('**/sign-in?redirect=%2Faccount');
    const signIn = new SignInPage(member.page);
    await signIn.signIn(memberUser.email, memberUser.password);
    await member.page.getByText('That email and password do not match').waitFor();
    await signIn.signIn(memberUser.email, NEW_PASSWORD);
    await member.page.waitForURL('**/account');

    // The same link again: refused, with what to do.
    const again = await other.context.newPage();
    await again.goto(url);
    await again.getByLabel('New password', { exact: true }).fill('another quiet meadow 5150');
    await again.getByRole('button', { name: 'Set new password' }).click();
    await again.getByText('Ask your admin for a new one').waitFor();
    expect(other.watch.pageErrors).toEqual([]);
    expect(other.watch.cspViolations).toEqual([]);
    await other.context.close();
  });
});

describe.each([
  { name: 'light', options: { colorScheme: 'light' as const } },
  { name: 'dark', options: { colorScheme: 'dark' as const } },
  { name: '320', options: { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true } },
])('axe on the reset screens ($name)', ({ name, options }) => {
  it('sign-in with the explanation open, the reset page, and the admin with a fresh link have no violations', async () => {
    const ctx = await newContext(browser, server.url, options);
    const { page } = ctx;
    const check = async (shot: string) => {
      await screenshot(page, `${shot}-${name}`);
      expect(await axe(page)).toEqual([]);
      if (name === '320') {
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
        expect(await smallTargets(page)).toEqual([]);
      }
    };
    await new SignInPage(page).open();
    await page.getByText('Forgot your password? Ask your admin').click();
    await page.getByText('QueueCrew sends no emails.').waitFor();
    await check('sign-in-forgot');
    await page.goto('/reset-password#token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Use at least 12 characters.').waitFor();
    await check('reset-password');
    await page.goto('/reset-password');
    await page.getByText('This page needs the whole reset link').waitFor();
    await check('reset-password-no-link');
    await new Seed(ctx.context, server.url).login(adminUser);
    await createLink(page);
    await check('admin-reset-link');
    await ctx.context.close();
  });
});
