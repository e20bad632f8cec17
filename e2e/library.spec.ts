/**
 * The game library in the browser: two friends who are both in tonight. The host adds games on
 * the Library tab (a server 400 shows under the field it names), marks "I own it", filters; the friend's
 * open Library page follows live. The friend links Steam through the real fake Steam (scripts/fake-steam)
 * and imports (progress, summary; a private profile explains what to change). Then the host suggests from
 * the autocomplete by keyboard only and the cards say "Playable with the 2 who are in" / "Needs 1 more".
 * axe finds no WCAG 2.1 AA violation on the Library page and the account's Steam section, in light and
 * dark mode and at 320 px (where nothing scrolls sideways and every target is 44 px).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSteam, type FakeSteam } from '../scripts/fake-steam/server.ts';
import { Seed, seedCrew } from './api-seed.ts';
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
let steam: FakeSteam;
let browser: Browser;
let host: TestContext;
let pal: TestContext;
let groupId = '';
const TZ = 'Europe/Berlin';
const hostUser = newUserData('host');
const palUser = newUserData('pal');
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());

/** A 1×1 PNG. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
/**
 * Steam's CDN played by the browser driver (this machine has no internet): the page still requests the
 * real cover URL, so the CSP decides as it would in production, and the cover renders.
 */
async function serveCovers(context: BrowserContext) {
  await context.route('https://cdn.cloudflare.steamstatic.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }),
  );
}

const focusIsOnBody = (page: Page) => page.evaluate(() => document.activeElement === null || document.activeElement === document.body);
const libraryGame = (page: Page, name: string) =>
  page.getByTestId('library-game').filter({ has: page.getByRole('heading', { name, exact: true }) });

async function openLibrary(page: Page) {
  await page.goto(`/groups/${groupId}/library`);
  await page.getByRole('heading', { level: 1, name: /^Library of / }).waitFor();
  await page
    .getByTestId('library-count')
    .filter({ hasText: /\d+ games?/ })
    .waitFor();
}

beforeAll(async () => {
  steam = await startFakeSteam({
    users: [
      {
        steamId: '76561198000000001',
        games: [
          { appid: 548430, name: 'Deep Rock Galactic', playtime_forever: 1200 },
          { appid: 892970, name: 'Valheim', playtime_forever: 300 },
        ],
      },
    ],
  });
  server = await startServer({ STEAM_OPENID_URL: steam.openidUrl, STEAM_API_URL: steam.url, STEAM_WEB_API_KEY: steam.apiKey });
  browser = await launchBrowser();
  host = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  pal = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  await serveCovers(host.context);
  await serveCovers(pal.context);
  const crew = await seedCrew(server.url, { context: host.context, user: hostUser }, [{ context: pal.context, user: palUser }], {
    name: 'Library Crew',
    timezone: TZ,
  });
  groupId = crew.groupId;
  const h = crew.owner;
  const p = crew.friends[0]!;
  await h.rsvp(groupId, today(), 'in');
  await p.rsvp(groupId, today(), 'in');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await steam?.close();
});

describe('Library tab', () => {
  it('is a tab beside Tonight and Members; adding shows server errors under the field; I own it toggles', async () => {
    const page = host.page;
    await page.goto(`/groups/${groupId}`);
    await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Library' }).click();
    await page.getByRole('heading', { level: 1, name: 'Library of Library Crew' }).waitFor();
    expect(await page.getByRole('link', { name: 'Library' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No games yet').waitFor();
    // The friend has the library open too: what the host adds arrives there without a reload.
    await openLibrary(pal.page);

    const form = page.getByRole('form', { name: 'Add game' });
    await form.getByLabel('Name', { exact: true }).fill('Deep Rock Galactic');
    await form.getByLabel('Other names (optional)').fill('DRG');
    await form.getByLabel('Min players').fill('5');
    await form.getByLabel('Max players').fill('4');
    await form.getByRole('button', { name: 'Add game' }).click();
    // The server's 400 names minPlayers: its message is under that field, which gets focus.
    const min = form.getByLabel('Min players');
    await expect.poll(() => min.getAttribute('aria-invalid')).toBe('true');
    await form.getByText('minPlayers must not be more than maxPlayers.').waitFor();
    await expect.poll(() => min.evaluate((el) => el === document.activeElement)).toBe(true);
    await min.fill('1');
    await form.getByRole('checkbox', { name: 'PC', exact: true }).check();
    await form.getByLabel('Steam app id (optional)').fill('548430');
    await form.getByRole('button', { name: 'Add game' }).click();
    await libraryGame(page, 'Deep Rock Galactic').waitFor();
    expect(await focusIsOnBody(page)).toBe(false);
    const drg = libraryGame(page, 'Deep Rock Galactic');
    expect(await drg.getByText('Also called DRG').count()).toBe(1);
    expect(await drg.getByText('1–4 players · PC').count()).toBe(1);
    // Cover art from Steam's CDN (the URL the server gives; the CSP allows exactly that host).
    expect(await drg.locator('img').getAttribute('src')).toBe('https://cdn.cloudflare.steamstatic.com/steam/apps/548430/header.jpg');
    await expect.poll(() => drg.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);

    // A second name whose key is taken: 409 duplicate_game under the name field.
    await form.getByLabel('Name', { exact: true }).fill('deep-rock galactic');
    await form.getByRole('button', { name: 'Add game' }).click();
    await form.getByText(/already in the library\.$/).waitFor();
    await expect.poll(() => form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Name', { exact: true }).fill('Terraforming Mars');
    await form.getByLabel('Min players').fill('3');
    await form.getByLabel('Max players').fill('5');
    await form.getByRole('button', { name: 'Add game' }).click();
    await libraryGame(page, 'Terraforming Mars').waitFor();

    // Live on the friend's open page.
    await libraryGame(pal.page, 'Deep Rock Galactic').waitFor();
    await libraryGame(pal.page, 'Terraforming Mars').waitFor();

    // I own it: a toggle (aria-pressed), and the owners line follows.
    const own = page.getByRole('button', { name: 'I own it — Deep Rock Galactic' });
    expect(await own.getAttribute('aria-pressed')).toBe('false');
    await own.click();
    await expect.poll(() => own.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => drg.getByTestId('owners').textContent()).toBe('Owned by you');
    expect(await focusIsOnBody(page)).toBe(false);
    // Tonight's verdicts: both are in; the friend does not own either game yet.
    await expect.poll(() => drg.getByTestId('playable').textContent()).toBe(`${palUser.username} doesn't own it`);
    const tm = libraryGame(page, 'Terraforming Mars');
    await expect.poll(() => tm.getByTestId('playable').textContent()).toContain('Needs 1 more');
    // The friend sees the host's mark live.
    await expect
      .poll(() => libraryGame(pal.page, 'Deep Rock Galactic').getByTestId('owners').textContent())
      .toBe(`Owned by ${hostUser.username}`);

    // Filters: fits tonight's players (2 in: DRG 1–4 fits, Terraforming Mars 3–5 does not); search by alias.
    await page.getByRole('checkbox', { name: 'Fits tonight’s players' }).check();
    await expect.poll(() => page.getByTestId('library-count').textContent()).toBe('1 of 2 games shown');
    expect(await page.getByTestId('library-game-name').allTextContents()).toEqual(['Deep Rock Galactic']);
    await page.getByRole('checkbox', { name: 'Fits tonight’s players' }).uncheck();
    await page.getByLabel('Platform', { exact: true }).selectOption('pc');
    await expect.poll(() => page.getByTestId('library-game-name').allTextContents()).toEqual(['Deep Rock Galactic']);
    await page.getByLabel('Platform', { exact: true }).selectOption('');
    await page.getByLabel('Search games').fill('terra');
    await expect.poll(() => page.getByTestId('library-game-name').allTextContents()).toEqual(['Terraforming Mars']);
    await page.getByLabel('Search games').fill('');
    await expect.poll(() => page.getByTestId('library-count').textContent()).toBe('2 games');
    await page.getByRole('button', { name: 'List' }).click();
    expect(await page.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'library-host');
    expect(await axe(page)).toEqual([]);
    expect(host.watch.cspViolations).toEqual([]);
    expect(host.watch.pageErrors).toEqual([]);
  });

  it('edits a game in a dialog; the change reaches the friend', async () => {
    const page = host.page;
    await page.getByRole('button', { name: 'Edit Terraforming Mars' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Terraforming Mars' });
    await dialog.getByLabel('Playtime (minutes)').fill('2000');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText('playtimeMinutes must be between 1 and 1440.').waitFor();
    expect(await axe(page)).toEqual([]);
    await dialog.getByLabel('Playtime (minutes)').fill('120');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await libraryGame(page, 'Terraforming Mars').getByText('3–5 players · 120 min').waitFor();
    expect(await focusIsOnBody(page)).toBe(false);
    await libraryGame(pal.page, 'Terraforming Mars').getByText('3–5 players · 120 min').waitFor();
  });
});

describe('Steam on the account page', () => {
  it('links through Steam OpenID, imports with a summary, and explains a private profile', async () => {
    const page = pal.page;
    await page.goto('/account');
    const section = page.locator('#steam');
    await section.getByText('Not linked.').waitFor();
    expect(await axe(page)).toEqual([]);
    await section.getByRole('link', { name: 'Link Steam' }).click();
    // Through the fake Steam and check_authentication, back here.
    await section.getByText('Linked.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(steam.checks.valid).toBe(1);
    await section.getByRole('button', { name: 'Import my Steam games' }).click();
    await expect
      .poll(() => section.getByTestId('steam-import-summary').textContent())
      .toBe('Imported 2 games from Steam. 1 game in your groups’ libraries is marked as yours.');
    expect(await focusIsOnBody(page)).toBe(false);
    await screenshot(page, 'library-steam-imported');
    expect(await axe(page)).toEqual([]);

    // The profile turns private: the server's advice on what to change in Steam is shown as an alert.
    steam.users[0]!.private = true;
    await section.getByRole('button', { name: 'Import my Steam games' }).click();
    await section.getByRole('alert').getByText('Your Steam game list is private').waitFor();
    expect(await section.getByRole('alert').textContent()).toContain('Privacy Settings');
    steam.users[0]!.private = false;

    // The import marked DRG as the friend's: the host's library says so live.
    await expect
      .poll(() => libraryGame(host.page, 'Deep Rock Galactic').getByTestId('owners').textContent())
      .toBe(`Owned by you and ${palUser.username}`);
    await expect
      .poll(() => libraryGame(host.page, 'Deep Rock Galactic').getByTestId('playable').textContent())
      .toBe('Playable with the 2 who are in');
  });

  it('explains a refused link (?error=steam_in_use) and focuses the explanation', async () => {
    const page = host.page;
    await page.goto('/account?error=steam_in_use');
    const alert = page.getByTestId('steam-link-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('already linked to another QueueCrew account');
    await expect.poll(() => alert.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await axe(page)).toEqual([]);
  });
});

describe('Suggesting from the library', () => {
  it('autocompletes by keyboard only (combobox), and the cards say what is playable', async () => {
    const page = host.page;
    await page.goto(`/groups/${groupId}`);
    await page.getByTestId('tonight').waitFor();
    const field = page.getByRole('combobox', { name: 'Suggest a game' });
    await field.focus();
    await page.keyboard.type('drg');
    const listbox = page.getByRole('listbox', { name: 'Games in the library' });
    await listbox.waitFor();
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    expect(await field.getAttribute('aria-controls')).toBe(await listbox.getAttribute('id'));
    await expect
      .poll(() => page.getByTestId('game-options-status').textContent())
      .toBe('1 game in the library matches. Use the up and down arrows to choose, Enter to suggest.');
    const option = listbox.getByRole('option');
    expect(await option.count()).toBe(1);
    expect(await option.textContent()).toContain('Deep Rock Galactic');
    expect(await option.textContent()).toContain('Playable with the 2 who are in');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
    expect(await field.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await axe(page)).toEqual([]);
    await page.keyboard.press('Enter');

    const card = page.getByTestId('suggestion').filter({ has: page.getByRole('heading', { name: 'Deep Rock Galactic', exact: true }) });
    await card.waitFor();
    // Suggested by its id: the card has the game's name (not the typed "drg"), cover, players and verdict.
    expect(await card.locator('img').getAttribute('src')).toContain('/steam/apps/548430/');
    expect(await card.getByTestId('players').textContent()).toBe('1–4 players');
    await expect.poll(() => card.getByTestId('playable').textContent()).toBe('Playable with the 2 who are in');
    await expect.poll(() => field.inputValue()).toBe('');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);

    // Escape closes the list without choosing; ↓ opens it again; Enter suggests the active game.
    await page.keyboard.type('terra');
    // Wait for the answer to the whole word, not an earlier keystroke's list.
    await listbox.getByRole('option', { name: /Terraforming Mars/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => field.getAttribute('aria-expanded')).toBe('false');
    expect(await field.inputValue()).toBe('terra');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => field.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => field.getAttribute('aria-activedescendant')).toBeTruthy();
    await page.keyboard.press('Enter');
    const tm = page.getByTestId('suggestion').filter({ has: page.getByRole('heading', { name: 'Terraforming Mars', exact: true }) });
    await tm.waitFor();
    await expect.poll(() => tm.getByTestId('playable').textContent()).toBe(`Needs 1 moreYou and ${palUser.username} don't own it`);

    // Free text still adds a new game (Enter with no option active).
    await page.keyboard.type('Brand New Game');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('suggestion')
      .filter({ has: page.getByRole('heading', { name: 'Brand New Game', exact: true }) })
      .waitFor();
    await screenshot(page, 'library-suggested');
    expect(await axe(page)).toEqual([]);
    expect(host.watch.cspViolations).toEqual([]);
    expect(host.watch.pageErrors).toEqual([]);
  });
});

describe.each([
  { name: 'dark', options: { colorScheme: 'dark' as const } },
  { name: '320 px', options: { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true } },
])('in $name', ({ name, options }) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ, ...options });
    await serveCovers(ctx.context);
    await new Seed(ctx.context, server.url).login(palUser);
  });
  afterAll(async () => {
    await ctx.context.close();
  });

  it('the Library page and the Steam section have no axe violations (and fit at 320 px)', async () => {
    const { page } = ctx;
    await openLibrary(page);
    await libraryGame(page, 'Deep Rock Galactic').waitFor();
    if (name === 'dark') expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await screenshot(page, `library-${name.replace(' ', '')}`);
    expect(await axe(page)).toEqual([]);
    if (name === '320 px') {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await smallTargets(page)).toEqual([]);
    }
    await page.goto('/account');
    await page.locator('#steam').getByText('Linked.').waitFor();
    expect(await axe(page)).toEqual([]);
    if (name === '320 px') {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await smallTargets(page)).toEqual([]);
    }
    expect(ctx.watch.cspViolations).toEqual([]);
  });
});
