/**
 * Managing a group in the browser: revoke an invite, hand ownership over, leave, and delete the group
 * (typing its name), each behind a confirmation; plus changing one's username.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCrew } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer, type TestContext } from './harness.ts';
import { MembersPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let owner: TestContext;
let member: TestContext;
const ownerUser = newUserData('boss');
const memberUser = newUserData('heir');
let groupId = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  owner = await newContext(browser, server.url);
  member = await newContext(browser, server.url);
  ({ groupId } = await seedCrew(server.url, { context: owner.context, user: ownerUser }, [{ context: member.context, user: memberUser }], {
    name: 'Handover Club',
    keepNightOpen: false,
  }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('managing a group', () => {
  it('revokes an invite link after confirmation', async () => {
    const { page } = owner;
    await page.goto(`/groups/${groupId}/invites`);
    const invites = page.getByTestId('invite');
    await invites.first().waitFor();
    const before = await invites.count();
    await invites.first().getByRole('button', { name: 'Revoke' }).click();
    await new MembersPage(page).confirm('Revoke link');
    await expect.poll(() => invites.count()).toBe(before - 1);
  });

  it('hands ownership over, then the former owner leaves', async () => {
    const { page } = owner;
    await page.goto(`/groups/${groupId}/members`);
    const row = page.getByTestId('member').filter({ hasText: memberUser.username });
    await row.getByRole('button', { name: /^Make owner/ }).click();
    await new MembersPage(page).confirm('Transfer ownership');
    await row.getByText('Owner', { exact: true }).waitFor();
    // Now an admin: the owner-only controls are gone and "Leave group" is offered (on the Settings page).
    await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Leave group…' }).click();
    await new MembersPage(page).confirm('Leave group');
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await page.getByText('You are not in any group yet').waitFor();
  });

  it('lets the new owner delete the group only after typing its name', async () => {
    const { page } = member;
    await page.goto(`/groups/${groupId}/settings`);
    await page.getByRole('button', { name: 'Delete group…' }).click();
    const dialog = page.getByRole('alertdialog');
    const confirm = dialog.getByRole('button', { name: 'Delete group for everyone' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Group name').fill('Handover Club');
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await page.getByText('You are not in any group yet').waitFor();
    const res = await member.context.request.get(`${server.url}/api/groups/${groupId}`);
    expect(res.status()).toBe(404);
  });

  it('changes the username, and refuses an invalid one with a message under the field', async () => {
    const { page } = member;
    await page.goto('/account');
    const field = page.getByLabel('Username');
    await field.fill('no spaces allowed');
    await page.getByRole('button', { name: 'Save username' }).click();
    await page.getByText('Username can use letters, digits, and _ . - only.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('no spaces allowed');
    await field.fill(`${memberUser.username}_2`.slice(0, 32));
    await page.getByRole('button', { name: 'Save username' }).click();
    await page.getByText('Username saved.').first().waitFor();
    expect(owner.watch.cspViolations).toEqual([]);
    expect(member.watch.cspViolations).toEqual([]);
    expect(member.watch.pageErrors).toEqual([]);
  });
});
