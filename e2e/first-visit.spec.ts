/**
 * What a first visit hits (issue 14): the header after every auth transition, joining by invite,
 * used-up invites, and where focus goes after the member dialogs and a wrong 2FA code.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer } from './harness.ts';
import { AccountPage } from './pages/account-page.ts';
import { RegisterPage, SignInPage } from './pages/auth-pages.ts';

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

const header = (page: Page) => page.getByRole('navigation', { name: 'Main' });
async function expectSignedInHeader(page: Page) {
  await header(page).getByRole('button', { name: 'Sign out' }).waitFor();
  expect(await header(page).getByRole('link', { name: 'Sign in' }).count()).toBe(0);
}
async function expectSignedOutHeader(page: Page) {
  await header(page).getByRole('link', { name: 'Sign in' }).waitFor();
  expect(await header(page).getByRole('button', { name: 'Sign out' }).count()).toBe(0);
}

describe('header state follows every auth transition without a reload', () => {
  it('sign-up, sign-out, sign-in and account deletion', async () => {
    const { context, page } = await newContext(browser, server.url);
    const user = newUserData('hdr');
    // The header has rendered signed out before the transition (its query is mounted and watched).
    await page.goto('/');
    await expectSignedOutHeader(page);
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await new RegisterPage(page).register(user);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await expectSignedInHeader(page);

    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOutHeader(page);

    await header(page).getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await new SignInPage(page).signIn(user.email, user.password);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await expectSignedInHeader(page);

    await header(page).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await new AccountPage(page).deleteAccount(user.username);
    await expectSignedOutHeader(page);
    await context.close();
  });
});

describe('joining by invite', () => {
  it('signing up from an invite link on an open instance: no raw invite field, lands on the group', async () => {
    const owner = await newContext(browser, server.url);
    const seed = new Seed(owner.context, server.url);
    await seed.register(newUserData('inv_own'));
    const group = await seed.createGroup('Invite crew');
    const invite = await seed.createInvite(group.id);

    const { context, page } = await newContext(browser, server.url);
    await page.goto(`/invite/${invite.code}`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await page.getByLabel('Invite code').count()).toBe(0);
    await new RegisterPage(page).register(newUserData('inv_new'));
    await page.getByRole('heading', { level: 1, name: 'Invite crew' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${group.id}`);
    await context.close();

    // Signing in from the invite link joins too.
    const existing = newUserData('inv_old');
    const other = await newContext(browser, server.url);
    await new Seed(other.context, server.url).register(existing);
    await other.context.clearCookies();
    await other.page.goto(`/invite/${invite.code}`);
    await other.page.getByRole('link', { name: 'Sign in to join' }).click();
    await other.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await new SignInPage(other.page).signIn(existing.email, existing.password);
    await other.page.getByRole('heading', { level: 1, name: 'Invite crew' }).waitFor();
    await other.context.close();
    await owner.context.close();
  });
});

describe('invite links that no longer work', () => {
  it('a used-up link is not listed as active and has no Copy button', async () => {
    const owner = await newContext(browser, server.url);
    const seed = new Seed(owner.context, server.url);
    await seed.register(newUserData('inv9'));
    const group = await seed.createGroup('Used up crew');
    const usedUp = await seed.call<{ code: string; url: string }>('POST', `/api/groups/${group.id}/invites`, { maxUses: 1 });
    const live = await seed.createInvite(group.id);
    const friend = await newContext(browser, server.url);
    const friendSeed = new Seed(friend.context, server.url);
    await friendSeed.register(newUserData('inv9f'));
    await friendSeed.acceptInvite(usedUp.code);

    const { page } = owner;
    await page.goto(`/groups/${group.id}/members`);
    const active = page.getByRole('list', { name: 'Active invite links' });
    await active.getByText(live.url).waitFor();
    expect(await active.getByText(usedUp.url).count()).toBe(0);
    expect(await active.getByRole('button', { name: /^Copy/ }).count()).toBe(1);
    const spent = page.getByRole('list', { name: 'Links that no longer work' });
    await spent.getByText(usedUp.url).waitFor();
    await spent.getByText(/Used up/).waitFor();
    expect(await spent.getByRole('button', { name: /^Copy/ }).count()).toBe(0);
    await owner.context.close();
    await friend.context.close();
  });
});

describe('PORT without APP_URL in development (npm start on another port)', () => {
  it('the start log names the URL to open, and sign-up works from 127.0.0.1 as well as localhost', async () => {
    const dev = await startServer({ NODE_ENV: 'development', APP_URL: undefined, LOG_LEVEL: 'info' });
    try {
      const port = new URL(dev.url).port;
      expect(dev.logs()).toContain(`QueueCrew is listening: open http://localhost:${port}`);
      for (const base of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const { context, page } = await newContext(browser, base);
        await new RegisterPage(page).open();
        await new RegisterPage(page).register(newUserData('port'));
        await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
        await context.close();
      }
    } finally {
      await dev.stop();
    }
  });
});
