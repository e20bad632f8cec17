/**
 * The account screen end to end: silent session renewal and the sign-in detour that keeps where you
 * were, two-factor setup (QR + recovery codes) and the TOTP sign-in step, sessions, export, deletion.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, newUserData, screenshot, startServer, type RunningServer, type TestContext } from './harness.ts';
import { AccountPage } from './pages/account-page.ts';
import { RegisterPage, SignInPage } from './pages/auth-pages.ts';
import { totp } from './totp.ts';

let server: RunningServer;
let browser: Browser;
let ctx: TestContext;
const user = newUserData('acct');
let recoveryCodes: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ctx = await newContext(browser, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const cookieNames = async () => (await ctx.context.cookies()).map((c) => c.name);

describe('account', () => {
  it('renews an expired access cookie silently, and sends a signed-out visitor to sign-in and back', async () => {
    const { page, context } = ctx;
    const register = new RegisterPage(page);
    await register.open();
    await register.register(user);
    await page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();

    // Access cookie gone (as after its 10 minutes): the app refreshes once and the page just works.
    const keep = (await context.cookies()).filter((c) => !c.name.includes('qc_access'));
    await context.clearCookies();
    await context.addCookies(keep);
    expect(await cookieNames()).not.toContain('qc_access');
    await page.goto('/account');
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(await cookieNames()).toContain('qc_access');

    // Two tabs whose access cookie expired together: the refreshes take turns (Web Locks), so no tab
    // presents an already-rotated refresh token, which would revoke the whole session.
    const stillValid = (await context.cookies()).filter((c) => !c.name.includes('qc_access'));
    await context.clearCookies();
    await context.addCookies(stillValid);
    const second = await context.newPage();
    await Promise.all([page.goto('/account'), second.goto('/account')]);
    await Promise.all([
      page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor(),
      second.getByRole('heading', { level: 1, name: 'Your account' }).waitFor(),
    ]);
    expect((await context.request.get(`${server.url}/api/users/me`)).status()).toBe(200);
    await second.close();

    // No session at all: to sign-in with ?redirect=, then back to the account page.
    await context.clearCookies();
    await page.goto('/account');
    await page.waitForURL('**/sign-in?redirect=%2Faccount');
    await new SignInPage(page).signIn(user.email, user.password);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  });

  it('sets up two-factor with a QR code, shows recovery codes, and asks for a code at sign-in', async () => {
    const { page, context } = ctx;
    const account = new AccountPage(page);
    await account.open();
    await page.getByRole('button', { name: 'Set up two-factor' }).click();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await screenshot(page, 'account-2fa-qr');
    await page.getByLabel('6-digit code').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'account-2fa-recovery-codes');
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Signing in asks for a code').waitFor();

    // Sign out, sign in: the password alone is not enough; a recovery code finishes it.
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await context.clearCookies();
    const signIn = new SignInPage(page);
    await signIn.open('/account');
    await signIn.signIn(user.email, user.password);
    await page.getByLabel('Authentication code').waitFor();
    await screenshot(page, 'sign-in-totp');
    await signIn.enterTotp('000000');
    await page.getByText('That code did not work').waitFor();
    await signIn.enterTotp(recoveryCodes[0]!);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  });

  it('lists sessions, signs out everywhere else, and shows sign-in activity', async () => {
    const { page } = ctx;
    // A second session for the same person (another browser).
    const other = await newContext(browser, server.url);
    const otherSignIn = new SignInPage(other.page);
    await otherSignIn.open();
    await otherSignIn.signIn(user.email, user.password);
    await otherSignIn.enterTotp(recoveryCodes[1]!);
    await other.page.getByRole('heading', { level: 1, name: 'My groups' }).waitFor();

    const account = new AccountPage(page);
    await account.open();
    await expect.poll(() => page.getByTestId('session').count()).toBeGreaterThanOrEqual(2);
    await page.getByText('This device', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByTestId('session').count()).toBe(1);
    const res = await other.context.request.get(`${server.url}/api/users/me`);
    expect(res.status()).toBe(401);
    await other.context.close();

    await page.getByRole('heading', { name: 'Sign-in activity' }).waitFor();
    await page.getByText('Signed in').first().waitFor();
    await page.getByText('Two-factor turned on').first().waitFor();
    await screenshot(page, 'account');
  });

  it('exports my data as a JSON download', async () => {
    const { page } = ctx;
    const download = await new AccountPage(page).exportData();
    expect(download.suggestedFilename()).toMatch(/^queuecrew-export-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const text = JSON.stringify(data);
    expect(text).toContain(user.username);
    expect(text).toContain(user.email);
    expect(text).not.toContain(user.password);
  });

  it('deletes the account after typing the username; the session stops working', async () => {
    const { page, context } = ctx;
    const account = new AccountPage(page);
    await account.open();
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.getByRole('button', { name: 'Delete my account' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Username').fill('not-my-name');
    expect(await dialog.getByRole('button', { name: 'Delete my account' }).isDisabled()).toBe(true);
    await screenshot(page, 'account-delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await account.deleteAccount(user.username);
    await page.getByRole('link', { name: 'Create a free account' }).waitFor();
    const me = await context.request.get(`${server.url}/api/users/me`);
    expect(me.status()).toBe(401);
    const login = await context.request.post(`${server.url}/api/auth/login`, {
      headers: { Origin: server.url, 'Content-Type': 'application/json' },
      data: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(login.status()).toBe(401);
    expect(ctx.watch.cspViolations).toEqual([]);
    expect(ctx.watch.pageErrors).toEqual([]);
  });
});
