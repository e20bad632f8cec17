/**
 * Stored XSS: markup in a group name, description, game names and a username is shown as text on every
 * screen that displays it; no script runs, no dialog opens, no element is created from it, and the CSP
 * reports nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { RegisterPage } from './pages/auth-pages.ts';
import { GroupPage, GroupsPage } from './pages/group-pages.ts';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const GROUP = `${IMG} Crew`;

let server: RunningServer;
let browser: Browser;
let ctx: TestContext;
let friend: TestContext;
let groupId = '';
let inviteCode = '';

/** Nothing from the payloads became an element. */
async function noInjectedElements(page: Page) {
  const found = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('alert')).length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  }));
  expect(found).toEqual({ imgs: 0, scripts: 0, handlers: 0 });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ctx = await newContext(browser, server.url);
  friend = await newContext(browser, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('stored XSS renders as text', () => {
  it('refuses markup in a username with a message under the field, keeping what was typed', async () => {
    const { page } = ctx;
    const register = new RegisterPage(page);
    await register.open();
    const user = newUserData('xss');
    await register.register({ ...user, username: SCRIPT });
    await page.getByText('Username can use letters, digits, and _ . - only.').waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe(SCRIPT);
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
    await noInjectedElements(page);
    // Fix the username and go on: nothing else had to be typed again.
    await page.getByLabel('Username').fill(user.username);
    await register.submit();
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
  });

  it('shows markup in group name, description and game names as text everywhere', async () => {
    const { page } = ctx;
    groupId = await new GroupsPage(page).createGroup(GROUP, `${SCRIPT} ${IMG}`);
    const group = new GroupPage(page);
    await group.suggest(IMG);
    await group.suggestion(IMG).waitFor();
    await group.suggest(SCRIPT);
    await group.suggestion(SCRIPT).waitFor();
    // Each suggestion is its suggester's approval: taking one back leaves the other leading.
    await group.takeBackButton(SCRIPT).click();
    await page.getByText(`Leading: ${IMG} with 1 approval.`).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(GROUP);
    await page.getByText(`${SCRIPT} ${IMG}`).waitFor();
    await noInjectedElements(page);
    await screenshot(page, 'xss-group-page');

    await page.goto('/groups');
    await page.getByText(GROUP).waitFor();
    await noInjectedElements(page);

    const seed = new Seed(ctx.context, server.url);
    inviteCode = (await seed.createInvite(groupId)).code;
    await page.goto(`/groups/${groupId}/members`);
    await page.getByRole('heading', { level: 1, name: `Members of ${GROUP}` }).waitFor();
    await noInjectedElements(page);
  });

  it('shows the markup group name as text on the invite page and to a second member live', async () => {
    const { page } = friend;
    await new Seed(friend.context, server.url).register(newUserData('xssfriend'));
    await page.goto(`/invite/${inviteCode}`);
    await page.getByTestId('invite-group-name').waitFor();
    expect(await page.getByTestId('invite-group-name').textContent()).toBe(GROUP);
    await page.getByRole('button', { name: `Join ${GROUP}` }).click();
    await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    // A new markup suggestion arrives live at the first member's page.
    await ctx.page.goto(`/groups/${groupId}`);
    await new GroupPage(ctx.page).suggestion(IMG).waitFor();
    await new GroupPage(page).suggest('"><svg onload=alert(3)>');
    await new GroupPage(ctx.page).suggestion('"><svg onload=alert(3)>').waitFor();
    await noInjectedElements(ctx.page);
    await noInjectedElements(page);
  });

  it('opened no dialog and reported no CSP violation', () => {
    for (const c of [ctx, friend]) {
      expect(c.watch.dialogs).toEqual([]);
      expect(c.watch.cspViolations).toEqual([]);
      expect(c.watch.pageErrors).toEqual([]);
    }
  });
});
