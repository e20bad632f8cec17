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

    await page.keyboard.press('Shift+Tab'); // anywhere before the list, then forward to the button
    await tabTo(page, (name) => name === '+ Approve Overcooked 2' || name === 'Approve Overcooked 2');
    await page.keyboard.press('Enter');
    await expect.poll(() => group.tally('Overcooked 2')).toBe(1);
    await screenshot(page, 'keyboard-voted');

    // The approve button keeps focus or its replacement is reachable; take the approval back with Space.
    await page.getByRole('button', { name: 'Approved — take back approval of Overcooked 2' }).waitFor();
    await page.getByRole('button', { name: 'Approved — take back approval of Overcooked 2' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => group.tally('Overcooked 2')).toBe(0);

    // Approve the other game with Space, and the live region announces the change.
    await tabTo(page, (name) => name.endsWith('Approve Portal 2'));
    await page.keyboard.press('Space');
    await expect.poll(() => group.tally('Portal 2')).toBe(1);
    await expect.poll(() => page.getByTestId('tally-announcer').textContent()).toContain('Portal 2 now has 1 approval');
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
});
