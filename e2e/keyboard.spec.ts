/**
 * The voting flow with the keyboard alone: skip link, open the group, suggest, approve and take back,
 * with a visible focus indicator on every stop; a confirmation dialog opens, traps and closes with Escape.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { GroupPage } from './pages/group-pages.ts';

let server: RunningServer;
let browser: Browser;
let ctx: TestContext;
let groupId = '';
const user = newUserData('keys');

/** Describes the focused element: its accessible-ish name and whether a focus ring is drawn. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: '', tag: 'BODY', ring: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
    const labelled = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : undefined;
    return { name: (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').trim(), tag: el.tagName, ring };
  });
}

/** Presses Tab until the focused element matches (bounded), checking each stop shows a focus ring. */
async function tabTo(page: Page, match: (name: string, tag: string) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag !== 'BODY') expect(f.ring, `focus ring on ${f.tag} "${f.name}"`).toBe(true);
    if (match(f.name, f.tag)) return f;
  }
  throw new Error('element not reached with Tab');
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ctx = await newContext(browser, server.url);
  const seed = new Seed(ctx.context, server.url);
  await seed.register(user);
  groupId = (await seed.createGroup('Keyboard Crew')).id;
  await seed.keepNightOpen(groupId);
  await seed.suggest(groupId, 'Portal 2');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('keyboard only', () => {
  it('starts with a skip link that moves focus to the main content', async () => {
    const { page } = ctx;
    await page.goto('/groups');
    await page.getByRole('link', { name: /Keyboard Crew/ }).waitFor();
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.name).toBe('Skip to main content');
    expect(first.ring).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('opens the group, suggests and votes without a mouse', async () => {
    const { page } = ctx;
    await tabTo(page, (name, tag) => tag === 'A' && name.startsWith('Keyboard Crew'));
    await page.keyboard.press('Enter');
    const group = new GroupPage(page);
    await page.getByRole('heading', { level: 2, name: 'Tonight', exact: true }).waitFor();

    await tabTo(page, (name, tag) => tag === 'INPUT' && name === 'Suggest a game');
    await page.keyboard.type('Overcooked 2');
    await page.keyboard.press('Enter');
    await group.suggestion('Overcooked 2').waitFor();
    // A suggestion is its suggester's approval (docs/api.md), and focus is back in the field for the next one.
    await expect.poll(() => group.tally('Overcooked 2')).toBe(1);
    expect((await focused(page)).name).toBe('Suggest a game');

    await tabTo(page, (name) => name === '✓ Approved — take back approval of Overcooked 2');
    await page.keyboard.press('Enter');
    await expect.poll(() => group.tally('Overcooked 2')).toBe(0);
    await screenshot(page, 'keyboard-voted');
    // The same button keeps focus (its card moved below Portal 2); approve again with Space.
    await expect.poll(async () => (await focused(page)).name).toBe('+ Approve Overcooked 2');
    await page.keyboard.press('Space');
    await expect.poll(() => group.tally('Overcooked 2')).toBe(1);

    // Take back the other game's approval with Space, and the live region announces the change.
    await tabTo(page, (name) => name.endsWith('take back approval of Portal 2'));
    await page.keyboard.press('Space');
    await expect.poll(() => group.tally('Portal 2')).toBe(0);
    await expect.poll(() => page.getByTestId('tally-announcer').textContent()).toContain('Portal 2 now has 0 approvals');
  });

  it('opens a confirmation dialog with the keyboard, and Escape closes it and returns focus', async () => {
    const { page } = ctx;
    await page.goto(`/groups/${groupId}`);
    await page.getByTestId('suggestion').first().waitFor();
    await tabTo(page, (name) => name === 'Remove suggestion Portal 2');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    // Focus starts inside the dialog (on Cancel, the safe choice) and Tab stays inside it.
    expect((await focused(page)).name).toBe('Cancel');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await focused(page)).name).toBe('Remove suggestion Portal 2');
    expect(ctx.watch.cspViolations).toEqual([]);
    expect(ctx.watch.pageErrors).toEqual([]);
  });

  it('keeps focus on the approved suggestion when its card moves, and after Suggest and Remove (issue 14, bug 3)', async () => {
    const { page } = ctx;
    const me = new Seed(ctx.context, server.url);
    const friendCtx = await browser.newContext();
    const friend = new Seed(friendCtx, server.url);
    await friend.register(newUserData('keypal'));
    const focusGroup = (await me.createGroup('Focus Crew')).id;
    await me.keepNightOpen(focusGroup);
    await friend.acceptInvite((await me.createInvite(focusGroup)).code);
    // Beta first, then Alpha, and Alpha one approval ahead: [Alpha 1, Beta 0].
    const beta = await friend.suggest(focusGroup, 'Beta');
    const alpha = await friend.suggest(focusGroup, 'Alpha');
    if (beta.votes === 1) await friend.unvote(beta.id);
    else await friend.vote(alpha.id);
    await friendCtx.close();

    const group = new GroupPage(page);
    await group.open(focusGroup);
    await expect.poll(() => group.gameOrder()).toEqual(['Alpha', 'Beta']);
    const focusKey = () =>
      page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.focusKey ?? document.activeElement?.tagName);
    await group.approveButton('Beta').focus();
    await page.keyboard.press('Enter');
    // 1 : 1, and Beta was suggested first: it moves above Alpha, and focus moves with it.
    await expect.poll(() => group.gameOrder()).toEqual(['Beta', 'Alpha']);
    await group.takeBackButton('Beta').waitFor();
    await expect.poll(focusKey).toBe(`vote:${beta.id}`);
    // No scroll jump: the focused button is still on screen (the page may shift to keep it there).
    expect(
      await page.evaluate(() => {
        const r = document.activeElement!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
    ).toBe(true);

    // Suggest with the button: focus comes back to the field, not <body>.
    await page.getByLabel('Suggest a game').fill('Gamma');
    await page.getByRole('button', { name: 'Suggest', exact: true }).focus();
    await page.keyboard.press('Enter');
    await group.suggestion('Gamma').waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('Suggest a game');

    // Remove the top card by keyboard: focus goes to the next card, then (last one) to the list heading.
    const order = await group.gameOrder();
    await page.getByRole('button', { name: `Remove suggestion ${order[0]}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Remove suggestion' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => group.suggestions().count()).toBe(2);
    await expect
      .poll(async () => {
        const name = (await focused(page)).name;
        return name === `+ Approve ${order[1]}` || name === `✓ Approved — take back approval of ${order[1]}`;
      })
      .toBe(true);
    for (const name of order.slice(1)) {
      await page.getByRole('button', { name: `Remove suggestion ${name}`, exact: true }).focus();
      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Remove suggestion' }).focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await group.suggestion(name).waitFor({ state: 'detached' });
      await expect.poll(focusKey).not.toBe('BODY');
    }
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('suggestions-title');
    expect(ctx.watch.pageErrors).toEqual([]);
  });
});
