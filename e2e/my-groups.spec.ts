/**
 * "My groups" says what is happening tonight in each group (leader or winner, and the
 * deadline in the group's time zone, no leader while results are hidden), and a group's Members, Invites
 * and Settings are separate pages, a group of one pointing at Invites. Axe in light, dark and at 320 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { axe, launchBrowser, newContext, newUserData, screenshot, smallTargets, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;
const owner = newUserData('mygroups');
let openId = '';
let hiddenId = '';
let aloneId = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const ctx = await browser.newContext();
  const seed = new Seed(ctx, server.url);
  await seed.register(owner);
  // Both groups close at 23:59 Berlin time (keepNightOpen), so "tonight" is open whenever this runs.
  openId = (await seed.createGroup('Leader Club')).id;
  await seed.keepNightOpen(openId);
  await seed.suggest(openId, 'Deep Rock Galactic');
  hiddenId = (await seed.createGroup('Hidden Club')).id;
  await seed.keepNightOpen(hiddenId);
  await seed.call('PATCH', `/api/groups/${hiddenId}`, { nightDefaults: { resultsVisibility: 'after_close' } });
  await seed.suggest(hiddenId, 'Secret Game');
  aloneId = openId;
  await ctx.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const tonightOf = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ hasText: name }).getByTestId('group-tonight').textContent();

describe('My groups', () => {
  it("shows each group's tonight: the leader and the deadline, and no leader while results are hidden", async () => {
    const { context, page, watch } = await newContext(browser, server.url);
    await new Seed(context, server.url).login(owner);
    await page.goto('/groups');
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await page.getByTestId('group-tonight').first().waitFor();
    expect(await tonightOf(page, 'Leader Club')).toMatch(
      /^Tonight: Deep Rock Galactic leads with 1 approval · voting closes (23:59|11:59 PM) \(Berlin time\)$/,
    );
    const hidden = await tonightOf(page, 'Hidden Club');
    expect(hidden).toMatch(/^Tonight: 1 suggestion, results at the close · voting closes (23:59|11:59 PM) \(Berlin time\)$/);
    expect(hidden).not.toContain('Secret Game');
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('a group has separate Members, Invites and Settings pages; a group of one is pointed at Invites', async () => {
    const { context, page } = await newContext(browser, server.url);
    await new Seed(context, server.url).login(owner);
    await page.goto(`/groups/${aloneId}/members`);
    await page.getByRole('heading', { level: 1, name: 'Members of Leader Club' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Group pages' });
    expect(await nav.getByRole('link', { name: 'Members' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('heading', { name: 'Invite your friends' }).waitFor();
    await page.getByRole('link', { name: 'Create an invite link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invites to Leader Club' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Invites' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: 'Create link', exact: true }).waitFor();
    expect(await page.getByRole('form', { name: 'Night settings' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings of Leader Club' }).waitFor();
    await page.getByRole('form', { name: 'Night settings' }).waitFor();
    await page.getByRole('button', { name: 'Delete group…' }).waitFor();
    expect(await page.getByTestId('member').count()).toBe(0);
    await context.close();
  });
});

describe.each([
  { name: 'light', options: { colorScheme: 'light' as const } },
  { name: 'dark', options: { colorScheme: 'dark' as const } },
  { name: '320', options: { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true } },
])('axe ($name)', ({ name, options }) => {
  it('My groups and the Members, Invites and Settings pages have no violations', async () => {
    const { context, page } = await newContext(browser, server.url, options);
    await new Seed(context, server.url).login(owner);
    const screens: Array<[string, string, () => Promise<unknown>]> = [
      ['my-groups', '/groups', () => page.getByTestId('group-tonight').first().waitFor()],
      ['group-members-alone', `/groups/${aloneId}/members`, () => page.getByRole('heading', { name: 'Invite your friends' }).waitFor()],
      ['group-invites', `/groups/${aloneId}/invites`, () => page.getByRole('button', { name: 'Create link', exact: true }).waitFor()],
      ['group-settings', `/groups/${aloneId}/settings`, () => page.getByRole('form', { name: 'Night settings' }).waitFor()],
    ];
    for (const [shot, path, ready] of screens) {
      await page.goto(path);
      await ready();
      await screenshot(page, `${shot}-${name}`);
      expect(await axe(page), shot).toEqual([]);
      if (name === '320') {
        expect(await page.evaluate(() => document.documentElement.scrollWidth), shot).toBeLessThanOrEqual(320);
        expect(await smallTargets(page), shot).toEqual([]);
      }
    }
    await context.close();
  });
});
