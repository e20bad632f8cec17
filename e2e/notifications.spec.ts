/**
 * The notification bell: two friends in two browser contexts. Bob nudges from the night's
 * page; Alice, on a page with no group open, sees her bell's count go up without a reload (announced
 * politely), opens the list, follows the nudge to its night (not today's), and the count drops. Mark
 * all read; keyboard only (Escape returns focus to the bell, Tab past the end closes); axe 0 with the
 * list open in light and dark and at 320 px; markup in a group name shows as text. (The manifest and
 * service worker checks are in pwa.spec.ts.)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed, seedCrew } from './api-seed.ts';
import { axe, launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { SignInPage } from './pages/auth-pages.ts';
import { GroupPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let alice: TestContext;
let bob: TestContext;
let groupId = '';
let bobsGroupId = '';
const TZ = 'Europe/Berlin';
const aliceUser = newUserData('alice');
const bobUser = newUserData('bob');

const dayIn = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + offsetDays * 86_400_000));
/** Tomorrow's night: open whatever the hour the spec runs at. */
const DAY = dayIn(1);
const DAY_TITLE = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
}).format(new Date(`${DAY}T12:00:00Z`));

/** Bob's group name carries markup: the bell must show it as text (stored XSS). */
const IMG = '<img src=x onerror=alert(1)>';
const BOBS_GROUP = `Bob’s ${IMG} Table`;

const bell = (page: Page) => page.getByTestId('notification-bell');
const panel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' });
const bellLabel = (page: Page) => bell(page).getAttribute('aria-label');
const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName, id: el.id, testid: el.getAttribute('data-testid'), text: el.textContent?.trim().slice(0, 40) } : null;
  });

/** Alice's session in a fresh context (another theme or width). */
async function aliceIn(options: Parameters<typeof newContext>[2]): Promise<TestContext> {
  const ctx = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ, ...options });
  await new Seed(ctx.context, server.url).login(aliceUser);
  return ctx;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  alice = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  bob = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  const crew = await seedCrew(server.url, { context: alice.context, user: aliceUser }, [{ context: bob.context, user: bobUser }], {
    name: 'Bell Crew',
    timezone: TZ,
    keepNightOpen: false,
  });
  groupId = crew.groupId;
  const a = crew.owner;
  const b = crew.friends[0]!;
  await b.suggest(groupId, 'Deep Rock Galactic', DAY);
  // A group Bob owns, where he can change Alice's role (two more notifications for her).
  bobsGroupId = (await b.createGroup(BOBS_GROUP, TZ)).id;
  await a.acceptInvite((await b.createInvite(bobsGroupId)).code);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the notification bell', () => {
  it('updates live when another friend nudges; the item leads to its night and is then read', async () => {
    // Alice is on "My groups": no group page, no group subscription.
    await alice.page.goto('/groups');
    await alice.page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await alice.page.locator('[data-testid="notification-bell"][data-live="open"]').waitFor();
    expect(await bellLabel(alice.page)).toBe('Notifications, no unread');

    const b = new GroupPage(bob.page);
    await b.open(groupId, DAY);
    await b.waitForNight();
    await bob.page.getByTestId('not-voted-list').getByText(aliceUser.username).waitFor();
    await bob.page.getByRole('button', { name: 'Nudge them' }).click();
    await expect.poll(() => bob.page.getByTestId('nudge-status').textContent()).toMatch(/^Nudged 1 person\.$/);

    // No reload: the count, the badge and a polite announcement.
    await expect.poll(() => bellLabel(alice.page)).toBe('Notifications, 1 unread');
    expect((await bell(alice.page).textContent())?.trim()).toBe('1');
    await expect
      .poll(() => alice.page.getByTestId('notification-announcer').textContent())
      .toBe(`New notification: ${bobUser.username} is waiting for your vote. 1 unread.`);
    expect(await alice.page.getByTestId('notification-announcer').getAttribute('aria-live')).toBe('polite');

    await bell(alice.page).click();
    await panel(alice.page).waitFor();
    expect(await bell(alice.page).getAttribute('aria-expanded')).toBe('true');
    const item = panel(alice.page).getByRole('link', { name: `Unread: ${bobUser.username} is waiting for your vote` });
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.locator('time').textContent()).toBe('now');
    expect(await axe(alice.page)).toEqual([]);
    await screenshot(alice.page, 'notifications-open');

    // Following it opens that night (tomorrow's, from ?date=), closes the list and reads it.
    const read = alice.page.waitForResponse((r) => r.url().endsWith('/api/notifications/read') && r.request().method() === 'POST');
    await item.click();
    expect((await read).status()).toBe(204);
    await alice.page.waitForURL((u) => u.pathname === `/groups/${groupId}` && u.searchParams.get('date') === DAY);
    await alice.page.getByRole('heading', { level: 2, name: DAY_TITLE }).waitFor();
    expect(await panel(alice.page).count()).toBe(0);
    await expect.poll(() => bellLabel(alice.page)).toBe('Notifications, no unread');
    expect((await bell(alice.page).textContent())?.trim()).toBe('');
    expect(await activeElement(alice.page)).toMatchObject({ tag: 'MAIN', id: 'main' });
    // The server agrees: nothing unread.
    const unread = (await (await alice.page.request.get('/api/notifications?unread=1')).json()) as unknown[];
    expect(unread).toEqual([]);
    await bell(alice.page).click();
    expect(await panel(alice.page).getByRole('link').first().getAttribute('data-unread')).toBe('false');
    await alice.page.keyboard.press('Escape');
    expect(alice.watch.cspViolations).toEqual([]);
    expect(alice.watch.pageErrors).toEqual([]);
  });

  it('marks all read', async () => {
    const b = new Seed(bob.context, server.url);
    await alice.page.goto('/account');
    await alice.page.locator('[data-testid="notification-bell"][data-live="open"]').waitFor();
    await b.call('PATCH', `/api/groups/${bobsGroupId}/members/${await aliceId()}`, { role: 'admin' });
    await b.call('PATCH', `/api/groups/${bobsGroupId}/members/${await aliceId()}`, { role: 'member' });
    await expect.poll(() => bellLabel(alice.page)).toBe('Notifications, 2 unread');
    await bell(alice.page).click();
    const links = panel(alice.page).getByRole('link');
    await expect.poll(() => links.count()).toBe(3);
    expect(await links.evaluateAll((els) => els.map((e) => e.getAttribute('data-unread')))).toEqual(['true', 'true', 'false']);
    expect(await links.first().textContent()).toContain(`You are now a member of ${BOBS_GROUP}`);
    expect(await alice.page.locator('img[src="x"], [onerror]').count()).toBe(0);
    expect(alice.watch.dialogs).toEqual([]);
    const markAll = panel(alice.page).getByRole('button', { name: 'Mark all read' });
    await markAll.click();
    await expect.poll(() => bellLabel(alice.page)).toBe('Notifications, no unread');
    await expect.poll(() => links.evaluateAll((els) => els.map((e) => e.getAttribute('data-unread')))).toEqual(['false', 'false', 'false']);
    await expect.poll(() => alice.page.getByTestId('notification-announcer').textContent()).toBe('All notifications marked read.');
    // Focus stays on the button (never on <body>), and the server agrees.
    expect(await activeElement(alice.page)).toMatchObject({ tag: 'BUTTON', text: 'Mark all read' });
    expect(await (await alice.page.request.get('/api/notifications?unread=1')).json()).toEqual([]);
    await alice.page.keyboard.press('Escape');
  });

  it('works with the keyboard alone: Enter opens, Escape closes and returns focus, Tab past the end closes', async () => {
    const page = alice.page;
    await page.goto('/groups');
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    // Tab from the top of the page to the bell.
    for (let i = 0; i < 10 && (await activeElement(page))?.testid !== 'notification-bell'; i += 1) await page.keyboard.press('Tab');
    expect((await activeElement(page))?.testid).toBe('notification-bell');
    await page.keyboard.press('Enter');
    await panel(page).waitFor();
    // The items arrive with the list's own query: wait for them before tabbing through.
    await panel(page).getByRole('link').first().waitFor();
    expect(await activeElement(page)).toMatchObject({ testid: 'notification-panel' });
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ tag: 'BUTTON', text: 'Mark all read' });
    await page.keyboard.press('Tab');
    expect((await activeElement(page))?.tag).toBe('A');
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    expect((await activeElement(page))?.testid).toBe('notification-bell');
    expect(await bell(page).getAttribute('aria-expanded')).toBe('false');

    // Space opens too; Tab through the three items and past the last one closes the list.
    await page.keyboard.press('Space');
    await panel(page).waitFor();
    await panel(page).getByRole('link').first().waitFor();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab');
    expect(
      await panel(page)
        .getByRole('link')
        .last()
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Tab');
    await panel(page).waitFor({ state: 'hidden' });
    expect((await activeElement(page))?.tag).not.toBe('BODY');
  });

  it('passes axe with the list open in dark mode', async () => {
    const dark = await aliceIn({ colorScheme: 'dark' });
    await dark.page.goto('/groups');
    await dark.page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    // One unread item, so its styling is checked too (and at 320 px below).
    await dark.page.locator('[data-testid="notification-bell"][data-live="open"]').waitFor();
    await new Seed(bob.context, server.url).call('PATCH', `/api/groups/${bobsGroupId}/members/${await aliceId()}`, { role: 'admin' });
    await expect.poll(() => bellLabel(dark.page)).toBe('Notifications, 1 unread');
    expect(await dark.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await bell(dark.page).click();
    expect(await panel(dark.page).getByRole('link').first().getAttribute('data-unread')).toBe('true');
    expect(await axe(dark.page)).toEqual([]);
    await screenshot(dark.page, 'notifications-dark');
    expect(dark.watch.cspViolations).toEqual([]);
    await dark.context.close();
  });

  it('at 320 px the list fits the screen, its buttons are 44 px and axe passes', async () => {
    const phone = await aliceIn({ colorScheme: 'light', viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    const page = phone.page;
    await page.goto('/groups');
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    const box = await bell(page).boundingBox();
    expect(box && box.width >= 44 && box.height >= 44).toBe(true);
    await bell(page).tap();
    expect(await panel(page).getByRole('link').first().getAttribute('data-unread')).toBe('true');
    const p = await panel(page).boundingBox();
    expect(p && p.x >= 0 && p.x + p.width <= 320).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const markAll = await panel(page).getByRole('button', { name: 'Mark all read' }).boundingBox();
    expect(markAll && markAll.height >= 44).toBe(true);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'notifications-320');
    // A tap outside (the header's padding just above the list, right of the navigation) closes it.
    const outside = { x: 312, y: p!.y - 3 };
    expect(
      await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('a, button, [role=dialog]') ?? null, outside),
    ).toBeNull();
    await page.touchscreen.tap(outside.x, outside.y);
    await panel(page).waitFor({ state: 'hidden' });
    await phone.context.close();
  });
});

describe('the bell across an auth transition in one tab', () => {
  it('after signing out and in as someone else (no reload), the socket and the bell are the new person’s', async () => {
    const tab = await aliceIn({});
    const page = tab.page;
    await page.goto('/groups');
    await page.locator('[data-testid="notification-bell"][data-live="open"]').waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await new SignInPage(page).signIn(bobUser.email, bobUser.password);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await page.locator('[data-testid="notification-bell"][data-live="open"]').waitFor();
    expect(await bellLabel(page)).toBe('Notifications, no unread');
    // Record every announcement from now on.
    await page.evaluate(() => {
      const w = window as unknown as { announced: string[] };
      w.announced = [];
      const el = document.querySelector('[data-testid="notification-announcer"]')!;
      new MutationObserver(() => w.announced.push(el.textContent ?? '')).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    // One for Alice (the tab's previous person), then one for Bob.
    const me = new Seed(bob.context, server.url);
    await me.call('PATCH', `/api/groups/${bobsGroupId}/members/${await aliceId()}`, { role: 'member' });
    const bobId = ((await (await bob.page.request.get('/api/users/me')).json()) as { id: string }).id;
    await new Seed(alice.context, server.url).call('PATCH', `/api/groups/${groupId}/members/${bobId}`, { role: 'admin' });
    await expect.poll(() => bellLabel(page)).toBe('Notifications, 1 unread');
    expect(await page.evaluate(() => (window as unknown as { announced: string[] }).announced)).toEqual([
      'New notification: You are now an admin of Bell Crew. 1 unread.',
    ]);
    await bell(page).click();
    await panel(page).getByRole('link').first().waitFor();
    expect(await panel(page).getByRole('link').allTextContents()).toEqual([expect.stringContaining('You are now an admin of Bell Crew')]);
    expect(tab.watch.pageErrors).toEqual([]);
    await tab.context.close();
  });
});

let cachedAliceId = '';
async function aliceId(): Promise<string> {
  cachedAliceId ||= ((await (await alice.page.request.get('/api/users/me')).json()) as { id: string }).id;
  return cachedAliceId;
}
