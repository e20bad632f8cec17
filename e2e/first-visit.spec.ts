/**
 * What a first visit hits: the header after every auth transition, joining by invite,
 * used-up invites, and where focus goes after the member dialogs and a wrong 2FA code.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer } from './harness.ts';
import { AccountPage } from './pages/account-page.ts';
import { RegisterPage, SignInPage } from './pages/auth-pages.ts';
import { totp } from './totp.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const header = (page: Page) => page.getByRole('banner');
async function expectSignedInHeader(page: Page) {
  await header(page).getByRole('button', { name: 'Sign out' }).waitFor();
  expect(await header(page).getByRole('link', { name: 'Sign in' }).count()).toBe(0);
}
async function expectSignedOutHeader(page: Page) {
  await header(page).getByRole('link', { name: 'Sign in' }).waitFor();
  expect(await header(page).getByRole('button', { name: 'Sign out' }).count()).toBe(0);
}

describe('header state follows every auth transition without a reload', () => {
  it('sign-up, sign-out, sign-in and account deletion', async () => {
    const { context, page } = await newContext(browser, server.url);
    const user = newUserData('hdr');
    // The header has rendered signed out before the transition (its query is mounted and watched).
    await page.goto('/');
    await expectSignedOutHeader(page);
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await new RegisterPage(page).register(user);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await expectSignedInHeader(page);

    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOutHeader(page);

    await header(page).getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await new SignInPage(page).signIn(user.email, user.password);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    await expectSignedInHeader(page);

    await header(page).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await new AccountPage(page).deleteAccount(user.username);
    await expectSignedOutHeader(page);
    await context.close();
  });
});

describe('joining by invite', () => {
  it('signing up from an invite link on an open instance: no raw invite field, lands on the group', async () => {
    const owner = await newContext(browser, server.url);
    const seed = new Seed(owner.context, server.url);
    await seed.register(newUserData('inv_own'));
    const group = await seed.createGroup('Invite crew');
    const invite = await seed.createInvite(group.id);

    const { context, page } = await newContext(browser, server.url);
    await page.goto(`/invite/${invite.code}`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await page.getByLabel('Invite code').count()).toBe(0);
    await new RegisterPage(page).register(newUserData('inv_new'));
    await page.getByRole('heading', { level: 1, name: 'Invite crew' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${group.id}`);
    await context.close();

    // Signing in from the invite link joins too.
    const existing = newUserData('inv_old');
    const other = await newContext(browser, server.url);
    await new Seed(other.context, server.url).register(existing);
    await other.context.clearCookies();
    await other.page.goto(`/invite/${invite.code}`);
    await other.page.getByRole('link', { name: 'Sign in to join' }).click();
    await other.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await new SignInPage(other.page).signIn(existing.email, existing.password);
    await other.page.getByRole('heading', { level: 1, name: 'Invite crew' }).waitFor();
    await other.context.close();
    await owner.context.close();
  });
});

describe('invite links that no longer work', () => {
  it('a used-up link is not listed as active and has no Copy button', async () => {
    const owner = await newContext(browser, server.url);
    const seed = new Seed(owner.context, server.url);
    await seed.register(newUserData('inv9'));
    const group = await seed.createGroup('Used up crew');
    const usedUp = await seed.call<{ code: string; url: string }>('POST', `/api/groups/${group.id}/invites`, { maxUses: 1 });
    const live = await seed.createInvite(group.id);
    const friend = await newContext(browser, server.url);
    const friendSeed = new Seed(friend.context, server.url);
    await friendSeed.register(newUserData('inv9f'));
    await friendSeed.acceptInvite(usedUp.code);

    const { page } = owner;
    await page.goto(`/groups/${group.id}/invites`);
    const active = page.getByRole('list', { name: 'Active invite links' });
    await active.getByText(live.url).waitFor();
    expect(await active.getByText(usedUp.url).count()).toBe(0);
    expect(await active.getByRole('button', { name: /^Copy/ }).count()).toBe(1);
    const spent = page.getByRole('list', { name: 'Links that no longer work' });
    await spent.getByText(usedUp.url).waitFor();
    await spent.getByText(/Used up/).waitFor();
    expect(await spent.getByRole('button', { name: /^Copy/ }).count()).toBe(0);
    await owner.context.close();
    await friend.context.close();
  });
});

describe('focus after dialogs and a wrong code', () => {
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el && el !== document.body ? `${el.tagName} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}` : 'BODY';
    });

  it('member dialogs (promote, demote, transfer, remove, cancel) never leave focus on <body>', async () => {
    const owner = await newContext(browser, server.url);
    const seed = new Seed(owner.context, server.url);
    await seed.register(newUserData('fo_own'));
    const group = await seed.createGroup('Focus crew');
    const invite = await seed.createInvite(group.id);
    const names: string[] = [];
    for (const tag of ['fo_a', 'fo_b']) {
      const c = await newContext(browser, server.url);
      const u = newUserData(tag);
      names.push(u.username);
      const s2 = new Seed(c.context, server.url);
      await s2.register(u);
      await s2.acceptInvite(invite.code);
      await c.context.close();
    }
    const [a, b] = names as [string, string];
    const { page } = owner;
    await page.goto(`/groups/${group.id}/members`);
    await page.getByRole('heading', { level: 1, name: 'Members of Focus crew' }).waitFor();
    const rowButton = (who: string, name: RegExp) => page.getByTestId('member').filter({ hasText: who }).getByRole('button', { name });
    const confirm = async (who: string, buttonName: RegExp, dialogButton: string) => {
      const opener = rowButton(who, buttonName);
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('alertdialog');
      await dialog.waitFor();
      await dialog.getByRole('button', { name: dialogButton }).focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
    };
    const expectFocusNotBody = async (what: string) => {
      await expect.poll(() => focused(page), { timeout: 5000, message: what }).not.toBe('BODY');
    };

    // Cancel with Escape: back on the button that opened it.
    await rowButton(a, /^Make admin/).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await expect.poll(() => focused(page)).toContain('Make admin');
    expect(await focused(page)).toContain(a);

    await confirm(a, /^Make admin/, 'Make admin');
    await expectFocusNotBody('after promote');
    expect(await focused(page)).toContain(a);
    await confirm(a, /^Make member/, 'Remove admin rights');
    await expectFocusNotBody('after demote');
    expect(await focused(page)).toContain(a);
    await confirm(a, /^Remove/, 'Remove member');
    await expectFocusNotBody('after remove');
    await confirm(b, /^Make owner/, 'Transfer ownership');
    await expectFocusNotBody('after transfer');
    await owner.context.close();
  });

  it('a wrong two-factor code keeps focus on the code field', async () => {
    const { context, page } = await newContext(browser, server.url);
    const user = newUserData('fo_2fa');
    const seed = new Seed(context, server.url);
    await seed.register(user);
    const { secret } = await seed.call<{ secret: string }>('POST', '/api/auth/2fa/setup');
    await seed.call('POST', '/api/auth/2fa/enable', { code: totp(secret) });
    await context.clearCookies();
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(user.email, user.password);
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code did not work').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName))
      .not.toBe('BODY');
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });

  it('a wrong code while turning two-factor on or off keeps focus on the code field', async () => {
    const { context, page } = await newContext(browser, server.url);
    await new Seed(context, server.url).register(newUserData('fo_2fb'));
    await page.goto('/account');
    await page.getByRole('button', { name: 'Set up two-factor' }).click();
    const code = page.getByLabel('6-digit code');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('alert').first().waitFor();
    await expect.poll(() => code.evaluate((el) => el === document.activeElement)).toBe(true);
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await code.fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByRole('button', { name: 'Turn off…' }).click();
    const off = page.getByLabel('Authentication code or recovery code');
    await off.fill('000000');
    await page.getByRole('button', { name: 'Turn off two-factor' }).click();
    await page.getByRole('alert').first().waitFor();
    await expect.poll(() => off.evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });
});

describe('PORT without APP_URL in development (npm start on another port)', () => {
  it('the start log names the URL to open, and sign-up works from 127.0.0.1 as well as localhost', async () => {
    const dev = await startServer({ NODE_ENV: 'development', APP_URL: undefined, LOG_LEVEL: 'info' });
    try {
      const port = new URL(dev.url).port;
      // The line is written after the socket listens, so a busy machine may answer before it is logged.
      await expect.poll(() => dev.logs()).toContain(`QueueCrew is listening: open http://localhost:${port}`);
      for (const base of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const { context, page } = await newContext(browser, base);
        await new RegisterPage(page).open();
        await new RegisterPage(page).register(newUserData('port'));
        await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
        await context.close();
      }
    } finally {
      await dev.stop();
    }
  });
});

describe('friction', () => {
  it('a non-admin on /admin is told plainly whom the page is for, without configuration details', async () => {
    const { context, page } = await newContext(browser, server.url);
    const seed = new Seed(context, server.url);
    await seed.register(newUserData('fr_first')); // the first account of an instance is its admin
    await context.clearCookies();
    await seed.register(newUserData('fr_second'));
    await page.goto('/admin');
    await page.getByText('This page is for the instance administrator').waitFor();
    expect(await page.getByText(/ADMIN_EMAILS/).count()).toBe(0);
    await context.close();
  });

  it('at 320 px the signed-in header takes at most two rows and the theme control shows its state', async () => {
    const { context, page } = await newContext(browser, server.url, {
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    await new Seed(context, server.url).register(newUserData('fr_320'));
    await page.goto('/groups');
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();
    const rows = await page.evaluate(() => {
      const items = [...document.querySelectorAll<HTMLElement>('header a, header button')].filter((el) => el.offsetParent !== null);
      return new Set(items.map((el) => Math.round(el.getBoundingClientRect().top / 10))).size;
    });
    expect(rows).toBeLessThanOrEqual(2);
    const theme = page.getByRole('button', { name: /^Theme: / });
    expect((await theme.innerText()).trim()).toMatch(/System|Light|Dark/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await context.close();
  });

  it('the timezone picker filters, shows UTC offsets and offers no legacy aliases', async () => {
    const { context, page } = await newContext(browser, server.url);
    await new Seed(context, server.url).register(newUserData('fr_tz'));
    await page.goto('/groups/new');
    const select = page.getByLabel('Timezone', { exact: true });
    await select.waitFor();
    const labels = await select.locator('option').allTextContents();
    expect(labels.every((l) => /^\(UTC[+−]\d{2}:\d{2}\) /.test(l))).toBe(true);
    expect(labels.some((l) => /US\/Eastern|Etc\/GMT/.test(l))).toBe(false);
    await page.getByLabel('Filter the list (city, region or UTC offset)').fill('berlin');
    const filtered = await select.locator('option').allTextContents();
    expect(filtered.some((l) => l.includes('Europe/Berlin'))).toBe(true);
    expect(filtered.length).toBeLessThan(5);
    await select.selectOption('Europe/Berlin');
    await page.getByLabel('Group name').fill('Zone crew');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zone crew' }).waitFor();
    await context.close();
  });

  it('recovery codes: count left, download, and new codes for the password', async () => {
    const { context, page } = await newContext(browser, server.url);
    const user = newUserData('fr_rc');
    const seed = new Seed(context, server.url);
    await seed.register(user);
    const { secret } = await seed.call<{ secret: string }>('POST', '/api/auth/2fa/setup');
    await seed.call('POST', '/api/auth/2fa/enable', { code: totp(secret) });
    await page.goto('/account');
    await page.getByTestId('recovery-codes-left').getByText('10 unused recovery codes left.').waitFor();
    await page.getByRole('button', { name: 'New recovery codes…' }).click();
    await page.getByLabel('Your password').fill(user.password);
    await page.getByRole('button', { name: 'Make new codes' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(await codes.locator('li').count()).toBe(10);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download codes' }).click()]);
    expect(download.suggestedFilename()).toBe('queuecrew-recovery-codes.txt');
    await page.getByRole('button', { name: 'Copy codes' }).waitFor();
    await context.close();
  });
});
