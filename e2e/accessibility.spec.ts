/**
 * WCAG 2.1 AA checks with axe on every screen, in light and dark mode, plus a 320 px wide run (no
 * horizontal scrolling, touch targets at least 44 px). Screenshots of each screen go to e2e/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
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
let browser: Browser;
let groupId = '';
let closedGroupId = '';
let hiddenGroupId = '';
let inviteCode = '';
let spareInviteCode = '';
const owner = newUserData('owner');
const friend = newUserData('friend');

interface Screen {
  name: string;
  path: () => string;
  signedIn: boolean;
  /** Waits for the screen's content (not just the shell) and optionally opens a dialog or a step. */
  ready: (page: Page) => Promise<void>;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

const screens: Screen[] = [
  { name: 'landing', path: () => '/', signedIn: false, ready: (p) => heading(p, /what to play/) },
  { name: 'sign-in', path: () => '/sign-in', signedIn: false, ready: (p) => heading(p, 'Sign in') },
  { name: 'register', path: () => '/register', signedIn: false, ready: (p) => heading(p, 'Create your account') },
  {
    name: 'register-errors',
    path: () => '/register',
    signedIn: false,
    ready: async (p) => {
      await heading(p, 'Create your account');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByText('Some fields need attention').waitFor();
    },
  },
  {
    name: 'register-from-invite',
    path: () => `/register?redirect=${encodeURIComponent(`/invite/${spareInviteCode}`)}`,
    signedIn: false,
    ready: (p) => p.getByText('You are signing up from an invite link').waitFor(),
  },
  { name: 'privacy', path: () => '/privacy', signedIn: false, ready: (p) => heading(p, 'Privacy') },
  {
    name: 'invite-signed-out',
    path: () => `/invite/${inviteCode}`,
    signedIn: false,
    ready: (p) =>
      p
        .getByRole('link', { name: /Sign in/ })
        .first()
        .waitFor(),
  },
  { name: 'not-found', path: () => '/no/such/page', signedIn: false, ready: (p) => heading(p, 'Page not found') },
  { name: 'groups', path: () => '/groups', signedIn: true, ready: (p) => p.getByRole('link', { name: /Game Night/ }).waitFor() },
  { name: 'group-new', path: () => '/groups/new', signedIn: true, ready: (p) => heading(p, 'Create a group') },
  {
    name: 'group',
    path: () => `/groups/${groupId}`,
    signedIn: true,
    ready: async (p) => {
      await p.getByTestId('suggestion').first().waitFor();
      await p.getByTestId('countdown').waitFor(); // Tonight: the deadline, who's in, who hasn't voted
      await p.getByTestId('rsvp-list-in').waitFor();
      await p.getByTestId('not-voted').waitFor();
      await p.getByTestId('voter-names').first().waitFor();
    },
  },
  {
    name: 'group-night-admin',
    path: () => `/groups/${groupId}`,
    signedIn: true,
    ready: async (p) => {
      await p.getByTestId('night-admin').locator('summary').click();
      await p.getByRole('button', { name: 'Close voting now…' }).waitFor();
      await p.getByLabel(/^Voting closes/).waitFor();
    },
  },
  {
    name: 'group-night-closed',
    path: () => `/groups/${closedGroupId}`,
    signedIn: true,
    ready: async (p) => {
      await p.getByTestId('winner-name').waitFor();
      await p.getByTestId('check-random').locator('summary').click();
      await p.getByTestId('check-result').waitFor();
    },
  },
  {
    name: 'group-results-hidden',
    path: () => `/groups/${hiddenGroupId}`,
    signedIn: true,
    ready: (p) => p.getByText('Results hidden until the deadline.').waitFor(),
  },
  {
    // The Library tab: the games the suggestions added, with tonight's verdicts.
    name: 'group-library',
    path: () => `/groups/${groupId}/library`,
    signedIn: true,
    ready: async (p) => {
      await heading(p, 'Library of Game Night Club');
      await p.getByTestId('library-game').first().waitFor();
      await p.getByTestId('playable').first().waitFor();
    },
  },
  {
    name: 'group-past-day',
    path: () => `/groups/${groupId}?day=2026-01-15`,
    signedIn: true,
    ready: (p) => p.getByTestId('closed-reason').waitFor(),
  },
  {
    name: 'group-bad-day',
    path: () => `/groups/${groupId}?day=2020-13-45`,
    signedIn: true,
    ready: async (p) => {
      await p.getByTestId('bad-day-notice').waitFor();
      await p.getByTestId('tonight').waitFor();
    },
  },
  {
    name: 'group-invite-step',
    path: () => `/groups/${hiddenGroupId}`,
    signedIn: true,
    ready: (p) => p.getByRole('heading', { name: 'Invite your friends' }).waitFor(),
  },
  {
    name: 'group-members',
    path: () => `/groups/${groupId}/members`,
    signedIn: true,
    ready: (p) => p.getByRole('button', { name: `Remove ${friend.username}` }).waitFor(),
  },
  {
    name: 'group-members-alone',
    path: () => `/groups/${hiddenGroupId}/members`,
    signedIn: true,
    ready: (p) => p.getByRole('heading', { name: 'Invite your friends' }).waitFor(),
  },
  {
    name: 'group-invites',
    path: () => `/groups/${groupId}/invites`,
    signedIn: true,
    ready: async (p) => {
      await p.getByTestId('invite').first().waitFor();
      // A used-up link, listed apart from the active ones.
      await p.getByTestId('invite-spent').first().waitFor();
    },
  },
  {
    name: 'group-settings',
    path: () => `/groups/${groupId}/settings`,
    signedIn: true,
    ready: (p) => p.getByRole('form', { name: 'Night settings' }).waitFor(),
  },
  {
    name: 'confirm-dialog',
    path: () => `/groups/${groupId}/members`,
    signedIn: true,
    ready: async (p) => {
      await p.getByRole('button', { name: `Remove ${friend.username}` }).click();
      await p.getByRole('alertdialog').waitFor();
    },
  },
  {
    name: 'invite-preview',
    path: () => `/invite/${spareInviteCode}`,
    signedIn: true,
    ready: (p) => p.getByTestId('invite-group-name').waitFor(),
  },
  { name: 'account', path: () => '/account', signedIn: true, ready: (p) => p.getByTestId('session').first().waitFor() },
  {
    name: 'account-2fa-setup',
    path: () => '/account',
    signedIn: true,
    ready: async (p) => {
      await p.getByRole('button', { name: 'Set up two-factor' }).click();
      await p.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    },
  },
  {
    name: 'admin',
    path: () => '/admin',
    signedIn: true,
    ready: async (p) => {
      await heading(p, 'Instance admin');
      await p.getByText(friend.email).waitFor();
      await p.getByRole('heading', { name: 'Security events' }).waitFor();
      await p.getByText('register', { exact: true }).first().waitFor();
    },
  },
];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Seed: an owner with a group, a friend in it, suggestions and votes, and invite links.
  const ownerCtx = await browser.newContext();
  const friendCtx = await browser.newContext();
  const o = new Seed(ownerCtx, server.url);
  const f = new Seed(friendCtx, server.url);
  await o.register(owner);
  await f.register(friend);
  groupId = (await o.createGroup('Game Night Club')).id;
  await o.keepNightOpen(groupId);
  inviteCode = (await o.createInvite(groupId)).code;
  spareInviteCode = (await o.createInvite(groupId)).code;
  await f.acceptInvite(inviteCode);
  const usedUp = await o.call<{ code: string }>('POST', `/api/groups/${groupId}/invites`, { maxUses: 1 });
  const thirdCtx = await browser.newContext();
  const third = new Seed(thirdCtx, server.url);
  await third.register(newUserData('third'));
  await third.acceptInvite(usedUp.code);
  await thirdCtx.close();
  await o.suggest(groupId, 'Stardew Valley');
  await o.suggest(groupId, 'Terraria');
  // The friend's suggestion is their approval; take it back so they show under "hasn't voted yet".
  await f.unvote((await f.suggest(groupId, 'Lethal Company')).id);
  // Tonight: the friend is in (and so has not voted yet: only the owner's approvals below are theirs).
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  await f.rsvp(groupId, today, 'in');
  // A closed night whose tie was broken at random (seed shown, "Check it").
  closedGroupId = (await o.createGroup('Closed Night Club')).id;
  await o.keepNightOpen(closedGroupId);
  await f.acceptInvite((await o.createInvite(closedGroupId)).code);
  await o.suggest(closedGroupId, 'Valheim');
  await f.suggest(closedGroupId, 'Deep Rock Galactic');
  await o.closeNight(closedGroupId, today);
  // Results hidden until the deadline (and a group of one: the invite step).
  hiddenGroupId = (await o.createGroup('Secret Ballot')).id;
  await o.keepNightOpen(hiddenGroupId);
  await o.call('PATCH', `/api/groups/${hiddenGroupId}`, { nightDefaults: { resultsVisibility: 'after_close' } });
  await o.suggest(hiddenGroupId, 'Portal 2');
  await ownerCtx.close();
  await friendCtx.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInContext(options: Parameters<typeof newContext>[2]): Promise<TestContext> {
  const ctx = await newContext(browser, server.url, options);
  await new Seed(ctx.context, server.url).login(owner);
  return ctx;
}

describe.each([
  { theme: 'light' as const, width: 1280 },
  { theme: 'dark' as const, width: 1280 },
])('axe in $theme mode', ({ theme, width }) => {
  let signedOut: TestContext;
  let signedIn: TestContext;
  beforeAll(async () => {
    signedOut = await newContext(browser, server.url, { colorScheme: theme, viewport: { width, height: 900 } });
    signedIn = await signedInContext({ colorScheme: theme, viewport: { width, height: 900 } });
  });
  afterAll(async () => {
    await signedOut.context.close();
    await signedIn.context.close();
  });

  it.each(screens.map((s) => [s.name, s] as const))('%s has no WCAG 2.1 AA violations', async (_name, screen) => {
    const { page, watch } = screen.signedIn ? signedIn : signedOut;
    await page.goto(screen.path());
    await screen.ready(page);
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(theme === 'dark');
    await screenshot(page, `${screen.name}-${theme}`);
    expect(await axe(page)).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });
});

describe('320 px wide', () => {
  let signedOut: TestContext;
  let signedIn: TestContext;
  beforeAll(async () => {
    const opts = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true };
    signedOut = await newContext(browser, server.url, opts);
    signedIn = await signedInContext(opts);
  });
  afterAll(async () => {
    await signedOut.context.close();
    await signedIn.context.close();
  });

  it.each(screens.map((s) => [s.name, s] as const))('%s fits without horizontal scrolling, with 44 px targets', async (_name, screen) => {
    const { page } = screen.signedIn ? signedIn : signedOut;
    await page.goto(screen.path());
    await screen.ready(page);
    await screenshot(page, `${screen.name}-320`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const small = await smallTargets(page);
    expect(small).toEqual([]);
    expect(await axe(page)).toEqual([]);
  });
});

describe('theme toggle', () => {
  it('overrides the system setting and remembers the choice', async () => {
    const { page, context } = await newContext(browser, server.url, { colorScheme: 'light' });
    await page.goto('/');
    await heading(page, /what to play/);
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(false);
    await page.getByRole('button', { name: /^Theme: System/ }).click(); // → light
    await page.getByRole('button', { name: /^Theme: Light/ }).click(); // → dark
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await page.reload();
    await heading(page, /what to play/);
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await page.getByRole('button', { name: /^Theme: Dark/ }).waitFor();
    await context.close();
  });
});
