/**
 * "Continue with Discord" in a real browser, against the fake Discord (a real HTTP server): the sign-in
 * page's button → the fake consent page → pick a user → back signed in; and Deny → an error on /sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startFakeDiscord, type FakeDiscord } from '../scripts/fake-discord/server.ts';
import { launchBrowser, newContext, screenshot, startServer, type RunningServer } from './harness.ts';

let fake: FakeDiscord;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fake = await startFakeDiscord();
  server = await startServer({
    ...fake.env,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.stop();
});

describe('Continue with Discord', () => {
  it('signs up through the consent page and lands signed in', async () => {
    const { page, context, watch } = await newContext(browser, server.url);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('scope')).toBe('identify');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await screenshot(page, 'discord-consent');
    await page.getByRole('link', { name: /Continue as Ana/ }).click();
    await page.waitForURL(`${server.url}/groups**`);

    const me = await context.request.get(`${server.url}/api/users/me`);
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'ana.plays', discordLinked: true, email: null });
    // The flow cookie is gone once used.
    expect((await context.cookies()).map((c) => c.name)).not.toContain('qc_discord_oauth');
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('comes back to the sign-in page with an error when the person denies', async () => {
    const { page, context } = await newContext(browser, server.url);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Continue with Discord' }).click();
    await page.waitForURL(`${fake.url}/oauth2/authorize**`);
    await page.getByRole('link', { name: 'Deny' }).click();
    await page.waitForURL(`${server.url}/sign-in?error=discord_denied**`);
    await screenshot(page, 'discord-denied');
    const me = await context.request.get(`${server.url}/api/users/me`);
    expect(me.status()).toBe(401);
    await context.close();
  });
});
