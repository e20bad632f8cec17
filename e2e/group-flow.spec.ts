/**
 * The core flow in two browser contexts: register → create group → invite → the second person opens the
 * link signed out, registers, comes back and accepts → both suggest and vote → both see the same result;
 * then the admin removes the member, who loses access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { RegisterPage } from './pages/auth-pages.ts';
import { GroupPage, GroupsPage, MembersPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let alice: TestContext;
let bob: TestContext;
const aliceUser = newUserData('alice');
const bobUser = newUserData('bob');
let groupId = '';
let inviteUrl = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  alice = await newContext(browser, server.url);
  bob = await newContext(browser, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('group flow across two people', () => {
  it('registers the first person and shows the empty state', async () => {
    const { page } = alice;
    await page.goto('/');
    await screenshot(page, 'landing');
    await page.getByRole('link', { name: 'Create a free account' }).click();
    const register = new RegisterPage(page);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await screenshot(page, 'register');
    await register.register(aliceUser);
    await new GroupsPage(page).waitFor();
    await page.getByText('You are not in any group yet').waitFor();
    await screenshot(page, 'groups-empty');
  });

  it('creates a group and an invite link', async () => {
    const { page } = alice;
    await page.goto('/groups/new');
    await page.getByLabel('Timezone').waitFor();
    // The timezone defaults to the browser's.
    const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await page.getByLabel('Timezone').inputValue()).toBe(tz);
    await screenshot(page, 'group-new');
    groupId = await new GroupsPage(page).createGroup('Friday Night Crew', 'We play after dinner.');
    await page.getByText('No suggestions yet. Suggest the first game below.').waitFor();
    // A group of one starts with the step to invite friends.
    await page.getByRole('heading', { name: 'Invite your friends' }).waitFor();
    // The step leads to the group's Invites page.
    await page.getByRole('link', { name: 'Create an invite link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invites to Friday Night Crew' }).waitFor();
    inviteUrl = await new MembersPage(page).createInvite();
    expect(inviteUrl.startsWith(`${server.url}/invite/`)).toBe(true);
    await screenshot(page, 'group-members-admin');
  });

  it('lets the second person open the invite signed out, register, and land in the group', async () => {
    const { page } = bob;
    await page.goto(inviteUrl);
    await page
      .getByText(/Sign in or create an account/)
      .first()
      .waitFor();
    await screenshot(page, 'invite-signed-out');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await new RegisterPage(page).register(bobUser);
    // Signing up from the invite joined the group: straight onto it, no extra "Join".
    await page.getByRole('heading', { level: 1, name: 'Friday Night Crew' }).waitFor();
    expect(page.url()).toContain(`/groups/${groupId}`);
    // Two members now: no more invite step.
    await page.getByRole('heading', { level: 2, name: 'Tonight', exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'Invite your friends' }).count()).toBe(0);
  });

  it('both suggest and vote, and both see the same results', async () => {
    const a = new GroupPage(alice.page);
    const b = new GroupPage(bob.page);
    await a.open(groupId);
    await a.suggest('Deep Rock Galactic');
    await a.suggestion('Deep Rock Galactic').waitFor();
    await b.open(groupId);
    await b.suggest('Valheim');
    await b.suggestion('Valheim').waitFor();
    await b.suggestion('Deep Rock Galactic').waitFor();

    // The duplicate (case and spacing differ) points at the existing suggestion.
    await b.suggest('  deep ROCK   galactic ');
    await bob.page.getByText('That game is already suggested for this day').waitFor();
    await expect.poll(() => bob.page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^suggestion-/);

    // A suggestion is its suggester's approval (docs/api.md): each game starts with one.
    await b.takeBackButton('Valheim').waitFor();
    await b.approveButton('Deep Rock Galactic').click();
    await b.takeBackButton('Deep Rock Galactic').waitFor();
    // Alice sees Bob's suggestion and votes arrive live, without reloading.
    await a.suggestion('Valheim').waitFor();
    await expect.poll(() => a.tally('Valheim')).toBe(1);
    await expect.poll(() => a.tally('Deep Rock Galactic')).toBe(2);
    await a.takeBackButton('Deep Rock Galactic').click();
    await a.approveButton('Deep Rock Galactic').waitFor();
    await a.approveButton('Valheim').click();
    await a.takeBackButton('Valheim').waitFor();
    await expect.poll(() => a.tally('Valheim')).toBe(2);
    await expect.poll(() => a.tally('Deep Rock Galactic')).toBe(1);

    // Bob sees Alice's vote live, and after a reload the same order and winner.
    await expect.poll(() => b.tally('Valheim')).toBe(2);
    await bob.page.reload();
    await expect.poll(() => b.tally('Valheim')).toBe(2);
    expect(await b.tally('Deep Rock Galactic')).toBe(1);
    expect(await a.gameOrder()).toEqual(['Valheim', 'Deep Rock Galactic']);
    expect(await b.gameOrder()).toEqual(await a.gameOrder());
    expect(await a.banner().textContent()).toContain('Leading: Valheim with 2 approvals');
    expect(await b.banner().textContent()).toBe(await a.banner().textContent());
    // Who approved is readable without hovering (touch screens): names, not only avatars.
    expect(await a.suggestion('Valheim').getByTestId('voter-names').textContent()).toBe(`Approved by ${bobUser.username} and you`);
    await screenshot(alice.page, 'group-page');

    // A tie is shown as a tie.
    await a.approveButton('Deep Rock Galactic').click();
    await a.takeBackButton('Deep Rock Galactic').waitFor();
    await alice.page
      .getByText(/It’s a tie between (Valheim and Deep Rock Galactic|Deep Rock Galactic and Valheim), with 2 approvals each/)
      .waitFor();
    expect(await alice.page.getByText('Tied for first').count()).toBe(2);
    await screenshot(alice.page, 'group-page-tie');

    // Taking an approval back.
    await a.takeBackButton('Deep Rock Galactic').click();
    await a.approveButton('Deep Rock Galactic').waitFor();
    await expect.poll(() => a.tally('Deep Rock Galactic')).toBe(1);
  });

  it('rolls an approval back when the server refuses it, and says what to do', async () => {
    const { page } = alice;
    const a = new GroupPage(page);
    await a.open(groupId);
    const before = await a.tally('Deep Rock Galactic');
    // The network answers 503 for this one vote (a fault injected in the browser, not in our code).
    await page.route('**/api/suggestions/*/votes', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'The server is busy. Try again in a moment.', code: 'busy' }),
      }),
    );
    await a.approveButton('Deep Rock Galactic').click();
    await page.getByText('did not go through: The server is busy. Try again in a moment.').first().waitFor();
    await a.approveButton('Deep Rock Galactic').waitFor();
    expect(await a.tally('Deep Rock Galactic')).toBe(before);
    await page.unroute('**/api/suggestions/*/votes');
  });

  it('keeps a second game typed while the first is still on its way (nothing typed is lost)', async () => {
    const { page } = alice;
    const a = new GroupPage(page);
    await a.open(groupId);
    // The first suggestion's answer is held back in the browser until the second has been sent.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    await page.route('**/api/groups/*/suggestions', async (route) => {
      if (route.request().method() !== 'POST' || !first) return route.continue();
      first = false;
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await a.suggest('Factorio');
    await a.suggest('Satisfactory');
    await a.suggestion('Satisfactory').waitFor();
    release();
    await a.suggestion('Factorio').waitFor();
    // The late answer to the first does not wipe the field or an answer about the second.
    expect(await page.getByLabel('Suggest a game').inputValue()).toBe('');
    await page.unroute('**/api/groups/*/suggestions');
  });

  it('lets the admin remove the member, who then loses access', async () => {
    const a = new GroupPage(alice.page);
    await a.open(groupId);
    await a.openMembers();
    const members = new MembersPage(alice.page);
    expect(await members.members().count()).toBe(2);
    // Promote, then demote again, each after a confirmation.
    const bobRow = members.members().filter({ hasText: bobUser.username });
    await bobRow.getByRole('button', { name: /^Make admin/ }).click();
    await members.confirm('Make admin');
    await bobRow.getByText('Admin', { exact: true }).waitFor();
    await bobRow.getByRole('button', { name: /^Make member/ }).click();
    await members.confirm('Remove admin rights');
    await bobRow.getByText('Member', { exact: true }).waitFor();
    // Bob has the group open while he is removed: his page says so without a reload.
    await new GroupPage(bob.page).open(groupId);
    await bob.page.getByTestId('live-status').and(bob.page.locator('[data-status="open"]')).waitFor();
    await members.removeMember(bobUser.username);
    await expect.poll(() => members.members().count()).toBe(1);
    // It names the group he was in, not a generic "not found".
    await bob.page.getByRole('heading', { name: /You are no longer in “.+”/ }).waitFor();
    await screenshot(bob.page, 'group-removed');
    await bob.page.goto('/groups');
    await bob.page.getByText('You are not in any group yet').waitFor();
  });

  it('had no CSP violations, page errors or dialogs', () => {
    for (const ctx of [alice, bob]) {
      expect(ctx.watch.cspViolations).toEqual([]);
      expect(ctx.watch.pageErrors).toEqual([]);
      expect(ctx.watch.dialogs).toEqual([]);
    }
  });
});
