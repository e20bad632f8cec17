/**
 * Instance administration in the browser: the first account is the instance admin; it closes
 * registration (the register screen then says so) and disables an account, which is signed out at once.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';

let server: RunningServer;
let browser: Browser;
let admin: TestContext;
let member: TestContext;
const adminUser = newUserData('root');
const memberUser = newUserData('member');

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

describe('instance admin', () => {
  it('shows the Admin link only to the instance admin', async () => {
    await admin.page.goto('/groups');
    await admin.page.getByRole('link', { name: 'Admin' }).waitFor();
    await member.page.goto('/groups');
    await member.page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    expect(await member.page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('closes registration, and the register screen says so', async () => {
    const { page } = admin;
    await page.goto('/admin');
    const policy = page.getByLabel('Who can create an account');
    await policy.waitFor();
    await policy.selectOption('closed');
    await page.getByText('Registration policy saved.').first().waitFor(); // the toast and its live announcement both match
    const visitor = await newContext(browser, server.url);
    await visitor.page.goto('/register');
    await visitor.page.getByText('not accepting new accounts right now').waitFor();
    await visitor.context.close();
    await policy.selectOption('open');
    await page.getByText('Registration policy saved.').first().waitFor();
  });

  it('disables an account: its session ends at once and it cannot sign in', async () => {
    const { page } = admin;
    await page.goto('/admin');
    await page.getByRole('button', { name: `Disable ${memberUser.username}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('button', { name: `Enable ${memberUser.username}` }).waitFor();
    await screenshot(page, 'admin-disabled-user');

    await member.page.goto('/account');
    await member.page.waitForURL('**/sign-in?redirect=%2Faccount');
    expect(admin.watch.cspViolations).toEqual([]);
    expect(admin.watch.pageErrors).toEqual([]);
  });
});
