/**
 * The web app's side of Discord in a real browser, against the real server and the fake Discord
 * (a real HTTP server): the sign-in page explains every callback error and offers to try again; the
 * second step for accounts with 2FA; linking and unlinking from the account page (a Discord-only account
 * without email is not offered unlinking); an admin's webhook settings, masked, with the
 * last delivery error. Every new state is checked with axe (WCAG 2.1 AA) in light and dark mode.
 */
import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../scripts/fake-discord/server.ts';
import { Seed } from './api-seed.ts';
import { axe, launchBrowser, newContext, newUserData, screenshot, smallTargets, startServer, type RunningServer } from './harness.ts';

let fake: FakeDiscord;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fake = await startFakeDiscord();
  server = await startServer({
    ...fake.env,
    // Webhook URLs of the fake are accepted (and posted to) besides https://discord.com ones.
    DISCORD_WEBHOOK_BASE_URL: fake.url,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.stop();
});

/** axe in light and dark mode; at 320 px no horizontal scrolling and 44 px targets; for the state the page is in now. */
async function checkAccessible(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `discord-ui-${name}-${colorScheme}`);
    expect(await axe(page), `${name} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 320 px`).toBeLessThanOrEqual(320);
  const small = await smallTargets(page);
  expect(small, `${name}: small targets at 320 px`).toEqual([]);
  if (viewport) await page.setViewportSize(viewport);
}

/** Adds a user to the fake Discord's consent page (so each test signs in as its own Discord account). */
async function addDiscordUser(id: string, username: string, globalName: string) {
  const res = await fetch(`${fake.url}/_test/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id, username, global_name: globalName }),
  });
  expect(res.status).toBeLessThan(300);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret: what an authenticator app shows. */
function totpNow(base32: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

const discordAlert = (page: Page) => page.getByTestId('discord-error');

describe('sign-in page: Discord errors', () => {
  it('explains a denial, offers to try again with the same destination, and the retry signs in', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto('/sign-in?redirect=%2Fgroups%2Fnew');
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: 'Deny' }).click();
    await page.waitForURL(`${server.url}/sign-in?error=discord_denied**`);

    const alert = discordAlert(page);
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.getByRole('heading').textContent()).toBe('Discord sign-in was cancelled');
    expect(await alert.textContent()).toContain('sign in with your email and password');
    // The notice takes focus so a screen reader starts there.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('discord-error');
    const retry = alert.getByRole('link', { name: 'Try again with Discord' });
    const href = new URL((await retry.getAttribute('href')) ?? '', server.url);
    expect(href.pathname).toBe('/api/auth/discord');
    expect(href.searchParams.get('returnTo')).toBe('/groups/new');
    // One Discord button, the one in the notice; the email form stays usable.
    expect(await page.getByRole('link', { name: 'Continue with Discord' }).count()).toBe(0);
    expect(await page.getByLabel('Email').isVisible()).toBe(true);
    await checkAccessible(page, 'denied');

    await retry.click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: /Continue as Ana/ }).click();
    await page.waitForURL(`${server.url}/groups/new`);
    await page.getByRole('heading', { level: 1, name: 'Create a group' }).waitFor();
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it.each([
    ['discord_state', '', 'That Discord sign-in expired', 'Try again with Discord'],
    ['discord_failed', '', 'We could not finish signing in with Discord', 'Try again with Discord'],
    ['registration_closed', '', 'This instance is not taking new accounts', null],
    ['invite_required', '', 'You need an invite to join', null],
    ['account_disabled', '', 'This account is disabled', null],
    ['discord_taken', '&link=1', 'That Discord account belongs to another QueueCrew account', null],
    ['discord_link_signed_out', '&link=1', 'You were signed out before Discord could be linked', null],
    ['discord_failed', '&link=1', 'We could not link Discord', 'Try linking Discord again'],
    ['something_new', '', 'Signing in with Discord did not work', 'Try again with Discord'],
  ])('%s%s: says what happened and what to do', async (code, extra, title, retryLabel) => {
    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto(`/sign-in?error=${code}&returnTo=%2Faccount${extra}`);
    const alert = discordAlert(page);
    await alert.getByRole('heading', { name: title }).waitFor();
    if (retryLabel) {
      const href = new URL((await alert.getByRole('link', { name: retryLabel }).getAttribute('href')) ?? '', server.url);
      expect(href.searchParams.get('returnTo')).toBe('/account');
      expect(href.searchParams.get('link')).toBe(extra ? '1' : null);
    } else {
      expect(await alert.getByRole('link', { name: /Try/ }).count()).toBe(0);
    }
    if (code === 'discord_state' || code === 'discord_taken') await checkAccessible(page, code);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('on an invite page, Continue with Discord carries the invite code', async () => {
    const ownerCtx = await browser.newContext();
    const owner = new Seed(ownerCtx, server.url);
    await owner.register(newUserData('inviter'));
    const { id: groupId } = await owner.createGroup('Invite Crew');
    const { code } = await owner.createInvite(groupId);
    await ownerCtx.close();

    const { page, context } = await newContext(browser, server.url);
    await page.goto(`/invite/${code}`);
    await page.getByRole('link', { name: 'Sign in to join' }).click();
    const link = page.getByRole('link', { name: 'Continue with Discord' });
    await link.waitFor();
    const href = new URL((await link.getAttribute('href')) ?? '', server.url);
    expect(href.searchParams.get('invite')).toBe(code);
    expect(href.searchParams.get('returnTo')).toBe(`/invite/${code}`);
    await context.close();
  });

  it('signing up with Discord from an invite link joins the group and lands on it, without a "Join" click', async () => {
    await addDiscordUser('100000000000000077', 'ivy.invited', 'Ivy');
    const ownerCtx = await browser.newContext();
    const owner = new Seed(ownerCtx, server.url);
    await owner.register(newUserData('inviter'));
    const { id: groupId } = await owner.createGroup('Discord Invite Crew');
    const { code } = await owner.createInvite(groupId);

    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto(`/invite/${code}`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: /Continue as Ivy/ }).click();
    await page.waitForURL(`${server.url}/groups/${groupId}`);
    await page.getByRole('heading', { level: 1, name: 'Discord Invite Crew' }).waitFor();
    const group = await owner.call<{ members: Array<{ username: string }> }>('GET', `/api/groups/${groupId}`);
    expect(group.members).toHaveLength(2);
    // Opening an invite page later (e.g. from a link someone sent) still asks before joining.
    const other = await owner.createGroup('Not Chosen Crew');
    const second = await owner.createInvite(other.id);
    await page.goto(`/invite/${second.code}`);
    await page.getByRole('button', { name: 'Join Not Chosen Crew' }).waitFor();
    expect((await owner.call<{ members: unknown[] }>('GET', `/api/groups/${other.id}`)).members).toHaveLength(1);
    expect(watch.pageErrors).toEqual([]);
    await ownerCtx.close();
    await context.close();
  });
});

describe('sign-in page: second factor after Discord', () => {
  it('asks for the code, refuses a wrong one in the field, and signs in with a recovery code', async () => {
    await addDiscordUser('100000000000000041', 'dee.tfa', 'Dee');
    // An email account with 2FA on, linked to Dee on Discord.
    const setupCtx = await newContext(browser, server.url);
    const seed = new Seed(setupCtx.context, server.url);
    await seed.register(newUserData('tfa'));
    const setup = await seed.call<{ secret: string }>('POST', '/api/auth/2fa/setup');
    const { recoveryCodes } = await seed.call<{ recoveryCodes: string[] }>('POST', '/api/auth/2fa/enable', { code: totpNow(setup.secret) });
    await setupCtx.page.goto('/account');
    await setupCtx.page.getByRole('link', { name: 'Link Discord' }).click();
    await setupCtx.page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await setupCtx.page.getByRole('link', { name: /Continue as Dee/ }).click();
    await setupCtx.page.waitForURL(`${server.url}/account`);
    await setupCtx.context.close();

    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto('/sign-in?redirect=%2Faccount');
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: /Continue as Dee/ }).click();
    await page.waitForURL(`${server.url}/sign-in?step=discord-2fa**`);
    await page.getByRole('heading', { level: 1, name: 'Finish signing in' }).waitFor();
    await checkAccessible(page, 'discord-2fa');

    const code = page.getByLabel('Authentication code');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code did not work').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('totp');
    await checkAccessible(page, 'discord-2fa-wrong');

    await code.fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${server.url}/account`);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const me = await context.request.get(`${server.url}/api/users/me`);
    expect(await me.json()).toMatchObject({ discordLinked: true, twoFactorEnabled: true });
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('says the sign-in expired and offers to start again when there is no pending sign-in', async () => {
    const { page, context } = await newContext(browser, server.url);
    await page.goto('/sign-in?step=discord-2fa&returnTo=%2Fgroups');
    await page.getByLabel('Authentication code').fill('123456');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'This sign-in expired' });
    await alert.waitFor();
    const href = new URL((await alert.getByRole('link', { name: 'Continue with Discord again' }).getAttribute('href')) ?? '', server.url);
    expect(href.pathname).toBe('/api/auth/discord');
    expect(href.searchParams.get('returnTo')).toBe('/groups');
    await checkAccessible(page, 'discord-2fa-expired');
    await context.close();
  });
});

describe('account page: link and unlink', () => {
  it('links Discord through the consent page and unlinks it after confirming', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    await new Seed(context, server.url).register(newUserData('linker'));
    await page.goto('/account');
    const section = page.getByRole('region', { name: 'Discord' });
    await section.getByText('Not linked.').waitFor();
    await checkAccessible(page, 'account-not-linked');

    const link = section.getByRole('link', { name: 'Link Discord' });
    const href = new URL((await link.getAttribute('href')) ?? '', server.url);
    expect(href.searchParams.get('link')).toBe('1');
    expect(href.searchParams.get('returnTo')).toBe('/account');
    await link.click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: /Continue as Bo/ }).click();
    await page.waitForURL(`${server.url}/account`);
    await section.getByText('Linked.').waitFor();
    expect(await (await context.request.get(`${server.url}/api/users/me`)).json()).toMatchObject({ discordLinked: true });
    await checkAccessible(page, 'account-linked');

    await section.getByRole('button', { name: 'Unlink Discord…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Unlink Discord?' });
    await dialog.waitFor();
    await checkAccessible(page, 'account-unlink-dialog');
    await dialog.getByRole('button', { name: 'Unlink Discord' }).click();
    await section.getByText('Not linked.').waitFor();
    expect(await (await context.request.get(`${server.url}/api/users/me`)).json()).toMatchObject({ discordLinked: false });
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('a Discord-only account (no email) is not offered unlinking, and can add a password', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto('/sign-in?redirect=%2Faccount');
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: /Continue as Cy/ }).click();
    await page.waitForURL(`${server.url}/account`);
    const section = page.getByRole('region', { name: 'Discord' });
    await section.getByText('Linked.').waitFor();
    expect(await (await context.request.get(`${server.url}/api/users/me`)).json()).toMatchObject({ email: null, hasPassword: false });
    // Password sign-in needs an email, which this account does not have: unlinking would lock it out.
    await section.getByTestId('discord-unlink-unavailable').waitFor();
    expect(await section.getByRole('button', { name: /Unlink/ }).count()).toBe(0);
    await checkAccessible(page, 'account-discord-only');

    await page.getByRole('heading', { name: 'Add a password' }).waitFor();
    await page.getByLabel('New password').fill('a long enough password for cy 42');
    await page.getByRole('button', { name: 'Add password' }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    expect(await (await context.request.get(`${server.url}/api/users/me`)).json()).toMatchObject({
      discordLinked: true,
      hasPassword: true,
    });
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });
});

describe('group settings: Discord webhook', () => {
  it('an admin sets a webhook and sees it masked, toggles events, sees the last delivery error, and removes it', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    const seed = new Seed(context, server.url);
    await seed.register(newUserData('admin'));
    const { id: groupId } = await seed.createGroup('Webhook Crew');
    await page.goto(`/groups/${groupId}/settings`);
    const card = page.getByRole('region', { name: 'Discord announcements' });
    await card.getByText('No webhook yet').waitFor();
    await checkAccessible(page, 'webhook-empty');

    const urlField = card.getByLabel('Webhook URL');
    await card.getByRole('button', { name: 'Save webhook' }).click();
    await card.getByText('Paste the webhook URL from Discord').waitFor();
    await urlField.fill('https://evil.example/api/webhooks/1/abc');
    await card.getByRole('button', { name: 'Save webhook' }).click();
    await card.getByText('Only Discord webhook URLs').waitFor();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    await checkAccessible(page, 'webhook-invalid');

    const token = 'tok_SECRET-value-123';
    await urlField.fill(`${fake.url}/api/webhooks/987654321012/${token}`);
    await card.getByRole('button', { name: 'Save webhook' }).click();
    const current = card.getByTestId('webhook-current');
    await current.getByText(`${fake.url}/api/webhooks/9876…/••••`).waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await card.getByLabel('New webhook URL').inputValue()).toBe('');
    await checkAccessible(page, 'webhook-set');

    // Per-event toggles persist.
    await card.getByLabel('Winner of the day').uncheck();
    await card.getByRole('button', { name: 'Save announcements' }).click();
    await expect
      .poll(
        async () => (await seed.call<{ discordWebhook: { onWinner: boolean } }>('GET', `/api/groups/${groupId}`)).discordWebhook.onWinner,
      )
      .toBe(false);
    await page.reload();
    expect(await card.getByLabel('Winner of the day').isChecked()).toBe(false);
    expect(await card.getByLabel('New suggestions').isChecked()).toBe(true);

    // Discord says the webhook is gone: the next announcement fails and the admin sees why.
    const switched = await fetch(`${fake.url}/_test/switches`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ goneWebhooks: 1 }),
    });
    expect(switched.ok).toBe(true);
    await seed.suggest(groupId, 'Deep Rock Galactic');
    await expect
      .poll(
        async () =>
          (await seed.call<{ discordWebhook: { lastError: string | null } }>('GET', `/api/groups/${groupId}`)).discordWebhook.lastError,
        { timeout: 30_000, interval: 500 },
      )
      .not.toBeNull();
    await page.reload();
    await card.getByTestId('webhook-last-error').waitFor();
    await checkAccessible(page, 'webhook-last-error');

    await card.getByRole('button', { name: 'Remove webhook…' }).click();
    await page.getByRole('alertdialog', { name: 'Remove the Discord webhook?' }).getByRole('button', { name: 'Remove webhook' }).click();
    await card.getByText('No webhook yet').waitFor();
    expect((await seed.call<{ discordWebhook: { configured: boolean } }>('GET', `/api/groups/${groupId}`)).discordWebhook.configured).toBe(
      false,
    );
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('a member does not see the webhook settings', async () => {
    const ownerCtx = await browser.newContext();
    const owner = new Seed(ownerCtx, server.url);
    await owner.register(newUserData('own'));
    const { id: groupId } = await owner.createGroup('Members Only');
    const { code } = await owner.createInvite(groupId);
    await ownerCtx.close();

    const { page, context } = await newContext(browser, server.url);
    const member = new Seed(context, server.url);
    await member.register(newUserData('mem'));
    await member.acceptInvite(code);
    await page.goto(`/groups/${groupId}/settings`);
    await page.getByRole('heading', { level: 1, name: /Settings of/ }).waitFor();
    await page.getByRole('region', { name: /Leave group/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Discord announcements' }).count()).toBe(0);
    await context.close();
  });
});
