/**
 * "Tonight" on the group page and the group page around it: two friends in two
 * browser contexts — RSVPs and an admin's close reach the other screen without a reload, with the winner
 * announced; the day field can be typed into; Next reaches 60 days ahead and the server's reason
 * shows; an impossible ?day= shows a notice instead of crashing.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed, seedCrew } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { GroupPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let admin: TestContext;
let friend: TestContext;
let groupId = '';
const TZ = 'Europe/Berlin';
const adminUser = newUserData('host');
const friendUser = newUserData('pal');

const dayIn = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + offsetDays * 86_400_000));
/** Tomorrow's night: open whatever the hour the spec runs at (today's closes at 19:30 group time). */
const DAY = dayIn(1);
const live = (ctx: TestContext) => ctx.page.getByTestId('live-status').and(ctx.page.locator('[data-status="open"]')).waitFor();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  friend = await newContext(browser, server.url, { locale: 'en-US', timezoneId: TZ });
  const owner = { context: admin.context, user: adminUser };
  const pal = { context: friend.context, user: friendUser };
  ({ groupId } = await seedCrew(server.url, owner, [pal], { name: 'Tonight Crew', timezone: TZ, keepNightOpen: false }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Tonight across two friends', () => {
  it('shows an RSVP live on the other screen, with names', async () => {
    const a = new GroupPage(admin.page);
    const f = new GroupPage(friend.page);
    await a.open(groupId, DAY);
    await a.waitForNight();
    await f.open(groupId, DAY);
    await f.waitForNight();
    await live(admin);
    await live(friend);
    await f.rsvpButton('in').click();
    await expect.poll(() => f.rsvpButton('in').getAttribute('aria-pressed')).toBe('true');
    // The admin's page shows the friend as in, without a reload.
    await admin.page.getByTestId('rsvp-list-in').getByText(friendUser.username).waitFor();
    expect(await a.rsvpButton('in').textContent()).toContain('(1)');
    expect(await a.rsvpButton('in').getAttribute('aria-pressed')).toBe('false');
    // Nobody has voted: the friend nudges the others; a second nudge within 30 minutes says how long to wait.
    await friend.page.getByTestId('not-voted-list').getByText(adminUser.username).waitFor();
    await friend.page.getByRole('button', { name: 'Nudge them' }).click();
    await expect.poll(() => friend.page.getByTestId('nudge-status').textContent()).toMatch(/^Nudged (1 person|2 people)\.$/);
    await friend.page.getByRole('button', { name: 'Nudge them' }).click();
    await expect.poll(() => friend.page.getByTestId('nudge-status').textContent()).toMatch(/You can nudge again in \d+ minutes?\./);
  });

  it('the admin closes the night; the friend sees the winner without reload, announced', async () => {
    const a = new GroupPage(admin.page);
    const f = new GroupPage(friend.page);
    await a.suggest('Deep Rock Galactic');
    await a.suggestion('Deep Rock Galactic').waitFor();
    await f.suggestion('Deep Rock Galactic').waitFor();
    const approve = f.approveButton('Deep Rock Galactic');
    if (await approve.count()) await approve.click();
    await f.takeBackButton('Deep Rock Galactic').waitFor();
    await screenshot(admin.page, 'tonight-open');
    await a.closeNight();
    await a.winner().waitFor();
    expect(await a.winner().textContent()).toBe('Tonight: Deep Rock Galactic');
    // Bob's screen, no reload: the banner, the live announcement, and voting is off with the reason.
    await f.winner().waitFor();
    expect(await f.winner().textContent()).toBe('Tonight: Deep Rock Galactic');
    await expect.poll(() => f.nightAnnouncer().textContent()).toBe('Voting closed. Tonight: Deep Rock Galactic.');
    await friend.page.getByTestId('closed-reason').waitFor();
    expect(await f.takeBackButton('Deep Rock Galactic').getAttribute('aria-disabled')).toBe('true');
    expect(await friend.page.getByLabel('Suggest a game').count()).toBe(0);
    await screenshot(friend.page, 'tonight-closed');
  });

  it('the admin reopens, cancels and restores the night; the friend follows live', async () => {
    const a = new GroupPage(admin.page);
    const f = new GroupPage(friend.page);
    // Reopen with the proposed deadline (30 minutes from now, before the 20:00 start).
    await admin.page.getByRole('button', { name: 'Reopen voting…' }).click();
    await admin.page.getByRole('alertdialog').getByRole('button', { name: 'Reopen voting' }).click();
    await admin.page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await admin.page.getByTestId('countdown').waitFor();
    await expect.poll(() => f.nightAnnouncer().textContent()).toMatch(/^Voting is open again until /);
    await friend.page.getByLabel('Suggest a game').waitFor();
    expect(await f.winner().count()).toBe(0);
    // Cancel: suggestions and RSVPs are off for the friend, with the reason.
    await admin.page.getByRole('button', { name: 'Cancel the night…' }).click();
    await admin.page.getByRole('alertdialog').getByRole('button', { name: 'Cancel the night' }).click();
    await admin.page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await expect.poll(() => f.nightAnnouncer().textContent()).toBe('This night was cancelled.');
    await expect
      .poll(() => friend.page.getByTestId('closed-reason').textContent())
      .toBe('This night was cancelled, so it takes no suggestions or votes.');
    expect(await f.rsvpButton('maybe').getAttribute('aria-disabled')).toBe('true');
    // Restore.
    await admin.page.getByRole('button', { name: 'Restore the night…' }).click();
    await admin.page.getByRole('alertdialog').getByRole('button', { name: 'Restore the night' }).click();
    await admin.page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await friend.page.getByTestId('countdown').waitFor();
    await a.rsvpButton('maybe').click();
    await friend.page.getByTestId('rsvp-list-maybe').getByText(adminUser.username).waitFor();
  });

  it('an admin tie-break: the admin picks, the friend sees the pick live', async () => {
    const a = new Seed(admin.context, server.url);
    const f = new Seed(friend.context, server.url);
    const pickGroup = (await a.createGroup('Pick Crew', TZ)).id;
    await f.acceptInvite((await a.createInvite(pickGroup)).code);
    await a.call('PATCH', `/api/groups/${pickGroup}`, { nightDefaults: { tieBreak: 'admin' } });
    await a.suggest(pickGroup, 'Valheim', DAY);
    await f.suggest(pickGroup, 'Terraria', DAY);
    const ap = new GroupPage(admin.page);
    const fp = new GroupPage(friend.page);
    await ap.open(pickGroup, DAY);
    await ap.waitForNight();
    await fp.open(pickGroup, DAY);
    await fp.waitForNight();
    await live(friend);
    await ap.closeNight();
    await friend.page
      .getByTestId('winner-banner')
      .getByText(/Voting closed with a tie between .+\. An admin picks the game\./)
      .waitFor();
    await expect.poll(() => fp.nightAnnouncer().textContent()).toMatch(/^Voting closed with a tie between/);
    expect(await friend.page.getByRole('button', { name: /^Pick / }).count()).toBe(0);
    await admin.page.getByRole('button', { name: 'Pick Terraria' }).click();
    await ap.winner().waitFor();
    await fp.winner().waitFor();
    expect(await fp.winner().textContent()).toBe('Tonight: Terraria');
    expect(await friend.page.getByTestId('decided-by').textContent()).toContain('picked by an admin');
    await expect.poll(() => fp.nightAnnouncer().textContent()).toBe('Tonight: Terraria.');
  });

  it('the admin moves a night’s deadline; the friend’s countdown follows live', async () => {
    const a = new GroupPage(admin.page);
    const f = new GroupPage(friend.page);
    await a.open(groupId, DAY);
    await a.waitForNight();
    await f.open(groupId, DAY);
    await f.waitForNight();
    await live(friend);
    await admin.page.getByTestId('night-admin').locator('summary').click();
    await admin.page.getByLabel(/^Voting closes \(/).fill(`${DAY}T18:45`);
    await admin.page.getByRole('button', { name: 'Save times' }).click();
    await admin.page
      .getByText(/^Night moved: starts 08:00 PM, voting closes 06:45 PM\.$/)
      .first()
      .waitFor();
    await expect.poll(() => friend.page.getByTestId('countdown').textContent()).toContain('Voting closes at 06:45 PM');
  });

  it('saves the group’s night settings, and a night nobody edited follows them', async () => {
    const { page } = admin;
    await page.goto(`/groups/${groupId}/settings`);
    const form = page.getByRole('form', { name: 'Night settings' });
    await form.waitFor();
    await form.getByLabel('Night starts at').fill('21:15');
    await form.getByLabel('When games tie').selectOption('least_recent');
    await form.getByLabel('Reminder (minutes before voting closes)').fill('721');
    await form.getByRole('button', { name: 'Save night settings' }).click();
    await form.getByText('Reminder: enter whole minutes from 0 to 720.').waitFor();
    await form.getByLabel('Reminder (minutes before voting closes)').fill('45');
    await form.getByRole('button', { name: 'Save night settings' }).click();
    await page.getByText('Night settings saved.').first().waitFor();
    expect(await form.getByTestId('night-method').textContent()).toContain('keeps its method and vetoes');
    const g = new GroupPage(page);
    await g.open(groupId, dayIn(3));
    await g.waitForNight();
    await page.getByText('Starts at 09:15 PM').waitFor();
    await expect.poll(() => page.getByTestId('countdown').textContent()).toContain('Voting closes at 08:45 PM');
  });

  it('closes by itself at a real deadline a few seconds ahead; the countdown turns into the winner', async () => {
    const a = new Seed(admin.context, server.url);
    const soonGroup = (await a.createGroup('Deadline Crew', TZ)).id;
    await a.suggest(soonGroup, 'Portal 2', DAY);
    const g = new GroupPage(admin.page);
    await g.open(soonGroup, DAY);
    await g.waitForNight();
    await admin.page.getByTestId('countdown').waitFor();
    await a.call('PATCH', `/api/groups/${soonGroup}/nights/${DAY}`, { closesAt: new Date(Date.now() + 4000).toISOString() });
    await expect.poll(() => admin.page.getByTestId('countdown').textContent()).toMatch(/\d s left/);
    // The server's closer (every 5 s) closes it; the page shows the winner and announces it.
    await g.winner().waitFor({ timeout: 25_000 });
    expect(await g.winner().textContent()).toBe('Tonight: Portal 2');
    await expect.poll(() => g.nightAnnouncer().textContent()).toBe('Voting closed. Tonight: Portal 2.');
  });

  it('lets the day be typed into without jumping on each keystroke (bug 5)', async () => {
    const { page } = friend;
    const g = new GroupPage(page);
    await g.open(groupId);
    const target = dayIn(10);
    const [y, m, d] = target.split('-');
    const seen: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) seen.push(frame.url());
    });
    await g.dayField().focus();
    await page.keyboard.type(`${m}${d}${y}`);
    await expect.poll(() => new URL(page.url()).searchParams.get('day')).toBe(target);
    expect(await g.dayField().inputValue()).toBe(target);
    // No stop in between at the year 0002, 0020 or 0202 (or any day outside today … today + 60).
    const days = seen.map((u) => new URL(u).searchParams.get('day')).filter((x) => x !== null);
    expect(
      days.every((x) => x >= dayIn(0) && x <= dayIn(60)),
      days.join(', '),
    ).toBe(true);
  });

  it('reaches 60 days ahead with Next, and shows the server’s reason beyond (bug 6)', async () => {
    const { page } = friend;
    const g = new GroupPage(page);
    await g.open(groupId, dayIn(59));
    const next = page.getByRole('button', { name: /^Next day/ });
    await next.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('day')).toBe(dayIn(60));
    await next.focus();
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    await next.press('Enter');
    expect(new URL(page.url()).searchParams.get('day')).toBe(dayIn(60));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).toMatch(/^Next day/);
    // Beyond the limit (only by URL): the server's own reason, not "Some fields are not valid".
    await g.open(groupId, dayIn(61));
    await page.getByLabel('Suggest a game').fill('Too Far Ahead');
    await page.getByRole('button', { name: 'Suggest', exact: true }).click();
    await page
      .getByText(/days ahead/)
      .first()
      .waitFor();
    expect(await page.getByText('Some fields are not valid').count()).toBe(0);
  });

  it('shows a notice instead of crashing on an impossible ?day= (bug 10)', async () => {
    const { page, watch } = friend;
    await page.goto(`/groups/${groupId}?day=2020-13-45`);
    await page.getByTestId('bad-day-notice').waitFor();
    expect(await page.getByTestId('bad-day-notice').textContent()).toContain('2020-13-45');
    await page.getByRole('heading', { level: 2, name: 'Tonight', exact: true }).waitFor();
    expect(watch.pageErrors).toEqual([]);
  });

  it('had no CSP violations, page errors or dialogs', () => {
    for (const ctx of [admin, friend]) {
      expect(ctx.watch.cspViolations).toEqual([]);
      expect(ctx.watch.pageErrors).toEqual([]);
      expect(ctx.watch.dialogs).toEqual([]);
    }
  });
});
