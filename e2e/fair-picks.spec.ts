/**
 * Fair picks in the web app: an admin switches the group to ranked choice with one veto, ranks
 * three games by keyboard only (focus stays on the moved game's control, the live region says where it
 * went), vetoes a fourth game (a friend sees it live), friends hand in ballots through the API, the night
 * closes and the page explains the instant-runoff rounds with the right winner; the Stats tab shows the
 * numbers and downloads them as CSV. axe finds nothing on the ranked night, the rounds and the stats, in
 * light and dark and at 320 px.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed, seedCrew, type CrewMember } from './api-seed.ts';
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
import { GroupPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let admin: TestContext;
let watcher: TestContext;
let groupId = '';
const TZ = 'Europe/Berlin';
const adminUser = newUserData('host');
const friends = [newUserData('ann'), newUserData('bob'), newUserData('cy'), newUserData('di')];
const seeds: Seed[] = [];
/** Today's night (kept open until 23:59 group time by Seed.keepNightOpen). */
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const ids: Record<string, string> = {};

const variants = [
  { name: 'light', colorScheme: 'light' as const, viewport: { width: 1280, height: 900 } },
  { name: 'dark', colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } },
  { name: '320', colorScheme: 'light' as const, viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true },
];

/** The admin's screen at `path` in light, dark and 320 px: no axe violation, no sideways scrolling at 320 px. */
async function checkEverywhere(name: string, path: string, ready: (page: Page) => Promise<void>) {
  for (const v of variants) {
    const { name: variant, ...options } = v;
    const ctx = await newContext(browser, server.url, options);
    await new Seed(ctx.context, server.url).login(adminUser);
    await ctx.page.goto(path);
    await ready(ctx.page);
    await screenshot(ctx.page, `${name}-${variant}`);
    expect(await ctx.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(v.colorScheme === 'dark');
    expect(await axe(ctx.page), `${name} ${variant}`).toEqual([]);
    if (variant === '320') {
      expect(await ctx.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await smallTargets(ctx.page)).toEqual([]);
    }
    expect(ctx.watch.pageErrors).toEqual([]);
    await ctx.context.close();
  }
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  watcher = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  // The first friend watches the page in a browser; the others only use the API.
  const crew: CrewMember[] = [];
  for (const [i, user] of friends.entries()) crew.push({ context: i === 0 ? watcher.context : await browser.newContext(), user });
  const seeded = await seedCrew(server.url, { context: admin.context, user: adminUser }, crew, { name: 'Fair Crew', timezone: TZ });
  groupId = seeded.groupId;
  seeds.push(...seeded.friends);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('fair picks', () => {
  it('an admin switches the group to ranked choice with one veto per member', async () => {
    const { page } = admin;
    // The night settings live on the group's Settings tab (they moved there from Members).
    await page.goto(`/groups/${groupId}/settings`);
    const form = page.getByRole('form', { name: 'Night settings' });
    await form.waitFor();
    await form.getByLabel('Voting method').selectOption('ranked');
    await form.getByLabel('Vetoes').selectOption('1');
    await form.getByRole('button', { name: 'Save night settings' }).click();
    await page.getByText('Night settings saved.').first().waitFor();
    const night = await new Seed(admin.context, server.url).call<{ method: string; vetoes: number }>(
      'GET',
      `/api/groups/${groupId}/nights/${DAY}`,
    );
    expect(night).toMatchObject({ method: 'ranked', vetoes: 1 });
  });

  it('ranks three games by keyboard only; focus stays on the moved game and the move is announced', async () => {
    const a = new Seed(admin.context, server.url);
    for (const name of ['Valheim', 'Portal 2', 'Deep Rock Galactic']) ids[name] = (await a.suggest(groupId, name, DAY)).id;
    ids['Lethal Company'] = (await seeds[0]!.suggest(groupId, 'Lethal Company', DAY)).id;
    const { page } = admin;
    const g = new GroupPage(page);
    await g.open(groupId, DAY);
    await page.getByTestId('ballot').waitFor();
    // No approvals on a ranked night.
    expect(await page.getByRole('button', { name: /^\+ Approve/ }).count()).toBe(0);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    const ranked = () => page.getByTestId('ballot-game').allTextContents();
    // Add Deep Rock, Portal 2, Valheim by keyboard: Tab to the button, press Enter.
    for (const name of ['Deep Rock Galactic', 'Portal 2', 'Valheim']) {
      await page.getByRole('button', { name: `Add ${name} to my ranking` }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(ranked).toContain(name);
      // Focus moved to the added game's "Move up".
      await expect.poll(focused).toBe(`↑Move up ${name}`);
    }
    expect(await ranked()).toEqual(['Deep Rock Galactic', 'Portal 2', 'Valheim']);
    await page.keyboard.press('Enter');
    await expect.poll(ranked).toEqual(['Deep Rock Galactic', 'Valheim', 'Portal 2']);
    await expect.poll(() => page.getByTestId('ballot-announcer').textContent()).toBe('Valheim moved to position 2.');
    expect(await focused()).toBe('↑Move up Valheim');
    await page.keyboard.press('Space');
    await expect.poll(ranked).toEqual(['Valheim', 'Deep Rock Galactic', 'Portal 2']);
    await expect.poll(() => page.getByTestId('ballot-announcer').textContent()).toBe('Valheim moved to position 1.');
    expect(await focused()).toBe('↑Move up Valheim');
    // Tab on: Valheim's Move down, Valheim's Remove, Deep Rock's Move up, Deep Rock's Move down.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('↓Move down Deep Rock Galactic');
    await page.keyboard.press('Enter');
    await expect.poll(ranked).toEqual(['Valheim', 'Portal 2', 'Deep Rock Galactic']);
    await expect.poll(() => page.getByTestId('ballot-announcer').textContent()).toBe('Deep Rock Galactic moved to position 3.');
    expect(await focused()).toBe('↓Move down Deep Rock Galactic');
    await page.getByTestId('ballot-status').getByText('Your ballot is saved: 3 games ranked.').waitFor();
    await expect
      .poll(async () => (await a.myBallot(groupId, DAY)).ranking)
      .toEqual([ids['Valheim'], ids['Portal 2'], ids['Deep Rock Galactic']]);
    await checkEverywhere('fair-ranked-night', `/groups/${groupId}?day=${DAY}`, async (p) => {
      await p.getByTestId('ballot-ranking').waitFor();
      await p.getByTestId('ballot-status').getByText('Your ballot is saved').waitFor();
    });
  });

  it('a veto from the page reaches a friend live; the other games say the veto is used', async () => {
    const { page } = admin;
    const f = new GroupPage(watcher.page);
    await f.open(groupId, DAY);
    await watcher.page.getByTestId('live-status').and(watcher.page.locator('[data-status="open"]')).waitFor();
    await page.getByTestId('live-status').and(page.locator('[data-status="open"]')).waitFor();
    const g = new GroupPage(page);
    await g.suggestion('Lethal Company').getByRole('button', { name: 'Veto Lethal Company' }).click();
    await g.suggestion('Lethal Company').getByTestId('vetoed-by').getByText('Vetoed by you').waitFor();
    await page.getByRole('button', { name: 'Take back veto Lethal Company' }).waitFor();
    expect(await g.suggestion('Valheim').getByRole('button', { name: 'Veto Valheim' }).getAttribute('aria-disabled')).toBe('true');
    // The friend's screen shows it without a reload.
    await f.suggestion('Lethal Company').getByTestId('vetoed-by').getByText(`Vetoed by ${adminUser.username}`).waitFor();
    // A second veto is refused by the server too (one per member and night).
    const res = await admin.context.request.post(`${server.url}/api/suggestions/${ids['Valheim']}/veto`, {
      headers: { Origin: server.url },
    });
    expect(res.status()).toBe(409);
    expect((await res.json()).code).toBe('already_vetoed');
  });

  it('a night with ballots keeps its method: the admin control says why', async () => {
    const { page } = admin;
    await page.getByTestId('night-admin').locator('summary').click();
    await page.getByLabel('Voting method of this night').selectOption('approval');
    await page.getByRole('button', { name: 'Save voting method' }).click();
    await page
      .getByRole('alert')
      .getByText(/Someone has already voted, ranked or vetoed on this night/)
      .waitFor();
    const night = await new Seed(admin.context, server.url).call<{ method: string }>('GET', `/api/groups/${groupId}/nights/${DAY}`);
    expect(night.method).toBe('ranked');
  });

  it('friends’ ballots, the close, and the rounds explained with the right winner', async () => {
    const [ann, bob, cy, di] = seeds as [Seed, Seed, Seed, Seed];
    // Ann puts the vetoed game first: it is skipped, her vote counts for Portal 2.
    await ann.ballot(groupId, DAY, [ids['Lethal Company']!, ids['Portal 2']!, ids['Valheim']!]);
    await bob.ballot(groupId, DAY, [ids['Portal 2']!, ids['Deep Rock Galactic']!]);
    await cy.ballot(groupId, DAY, [ids['Deep Rock Galactic']!, ids['Valheim']!]);
    await di.ballot(groupId, DAY, [ids['Valheim']!, ids['Deep Rock Galactic']!]);
    // Round 1: Valheim 2 (host, Di), Portal 2 2 (Ann, Bob), Deep Rock 1 (Cy) → Deep Rock out, Cy's vote
    // goes to Valheim. Round 2: Valheim 3 of 5 — a majority.
    await new Seed(admin.context, server.url).closeNight(groupId, DAY);
    const { page } = admin;
    await new GroupPage(page).winner().getByText('Tonight: Valheim').waitFor();
    const rounds = page.getByTestId('round');
    await expect
      .poll(() => rounds.allTextContents())
      .toEqual([
        'Round 1: Portal 2 2, Valheim 2, Deep Rock Galactic 1. Deep Rock Galactic had the fewest and goes out.',
        'Round 2: Deep Rock Galactic out, its 1 vote went to Valheim (1). Valheim 3, Portal 2 2.',
      ]);
    expect(await page.getByTestId('decided-by').textContent()).toBe('Decided by ranked choice with 3 votes in the last round.');
    expect(await page.getByTestId('rounds').textContent()).not.toContain('Lethal Company');
    expect(await page.getByTestId('ballot').count()).toBe(0);
    await checkEverywhere('fair-rounds', `/groups/${groupId}?day=${DAY}`, async (p) => {
      await p.getByTestId('rounds').waitFor();
    });
  });

  it('a night whose every suggestion was vetoed says so', async () => {
    const a = new Seed(admin.context, server.url);
    const vetoGroup = (await a.createGroup('Veto Crew', TZ)).id;
    await a.keepNightOpen(vetoGroup);
    await a.call('PATCH', `/api/groups/${vetoGroup}`, { nightDefaults: { vetoes: 1 } });
    await a.veto((await a.suggest(vetoGroup, 'Among Us', DAY)).id);
    await a.closeNight(vetoGroup, DAY);
    const g = new GroupPage(admin.page);
    await g.open(vetoGroup, DAY);
    await admin.page.getByTestId('no-winner-reason').getByText('Voting closed with no winner: every suggestion was vetoed.').waitFor();
    await g.suggestion('Among Us').getByTestId('vetoed-by').getByText('Vetoed by you').waitFor();
  });

  it('a card of a game that won before says when', async () => {
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + 86_400_000));
    const a = new Seed(admin.context, server.url);
    await a.suggest(groupId, 'Valheim', tomorrow);
    await a.suggest(groupId, 'Portal 2', tomorrow);
    const g = new GroupPage(admin.page);
    await g.open(groupId, tomorrow);
    await g.suggestion('Valheim').getByTestId('last-won').getByText('won today').waitFor();
    expect(await g.suggestion('Portal 2').getByTestId('last-won').count()).toBe(0);
  });

  it('two nights in a row won by one game (once under an alias): the card says when and the streak; Stats shows it', async () => {
    const dayAfter = (n: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + n * 86_400_000));
    const [d1, d2] = [dayAfter(1), dayAfter(2)];
    const a = new Seed(admin.context, server.url);
    const streakGroup = (await a.createGroup('Streak Crew', TZ)).id;
    await a.keepNightOpen(streakGroup);
    const first = await a.call<{ game: { id: string } }>('POST', `/api/groups/${streakGroup}/suggestions`, {
      gameName: 'Deep Rock Galactic',
      date: DAY,
    });
    await a.call('PATCH', `/api/games/${first.game.id}`, { aliases: ['DRG'] });
    await a.closeNight(streakGroup, DAY);
    // Tomorrow's night, closed early by the admin, is won by the same game under its alias.
    await a.suggest(streakGroup, 'DRG', d1);
    await a.closeNight(streakGroup, d1);
    await a.suggest(streakGroup, 'DRG', d2);
    await a.suggest(streakGroup, 'Valheim', d2);
    const g = new GroupPage(admin.page);
    await g.open(streakGroup, d2);
    // By library game, not by name: the stats call it "Deep Rock Galactic", the card "DRG".
    const card = g.suggestion('DRG');
    await card.getByTestId('last-won').waitFor();
    expect(await card.getByTestId('last-won').textContent()).toMatch(/^ · won on \w+, \w+ \d+$/);
    await card.getByTestId('streak').getByText('on a 2-night streak').waitFor();
    expect(await g.suggestion('Valheim').getByTestId('streak').count()).toBe(0);
    expect(await g.suggestion('Valheim').getByTestId('last-won').count()).toBe(0);

    const { page } = admin;
    await page.goto(`/groups/${streakGroup}/stats`);
    await page.getByRole('heading', { name: 'Stats of Streak Crew' }).waitFor();
    await page.getByLabel('From').fill(DAY);
    await page.getByLabel('To', { exact: true }).fill(d1);
    await page.getByRole('button', { name: 'Show these dates' }).click();
    await page.getByTestId('current-streak').getByText('DRG won the last 2 nights.').waitFor();
    expect(await page.getByTestId('longest-streak').textContent()).toMatch(/^DRG: 2 nights in a row, .+ to .+\.$/);
    await page.getByRole('heading', { name: 'Streaks' }).waitFor();
    expect(await axe(page)).toEqual([]);
  });

  it('the Stats tab shows the numbers, validates the dates and downloads a CSV', async () => {
    const { page } = admin;
    await page.goto(`/groups/${groupId}?day=${DAY}`);
    await page.getByRole('link', { name: 'Stats' }).click();
    await page.getByRole('heading', { name: 'Stats of Fair Crew' }).waitFor();
    const games = page.getByTestId('games-table');
    await games.getByRole('row', { name: /Valheim/ }).waitFor();
    expect(
      await games
        .getByRole('row', { name: /Valheim/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['1', DAY]);
    const me = page.getByTestId('members-table').getByRole('row', { name: adminUser.username });
    // Nights in 0 (no RSVP), 3 suggestions, 0 approvals (a ranked night has none), 1 pick won.
    expect(await me.getByRole('cell').allTextContents()).toEqual(['0', '3', '0', '1']);
    await page.getByTestId('stats-summary').getByText('1 night with a winner').waitFor();
    // A range the server would refuse is stopped in the form.
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByRole('button', { name: 'Show these dates' }).click();
    await page.getByText('Pick at most 366 days.').waitFor();
    await page.getByLabel('From').fill(DAY);
    await page.getByRole('button', { name: 'Show these dates' }).click();
    await expect.poll(() => page.getByText('Pick at most 366 days.').count()).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download games as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`queuecrew-fair-crew-games-${DAY}-to-${DAY}.csv`);
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toBe(`Game,Wins,Last won on\r\nValheim,1,${DAY}\r\n`);
    await checkEverywhere('fair-stats', `/groups/${groupId}/stats`, async (p) => {
      await p
        .getByTestId('games-table')
        .getByRole('row', { name: /Valheim/ })
        .waitFor();
    });
  });
});
