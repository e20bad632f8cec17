/**
 * Live updates survive a server restart: the page comes back by itself when the same
 * server (same port, same database) is up again, refetches what it missed, says so in a live region, and
 * only a real 401 ends it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from './api-seed.ts';
import { launchBrowser, newContext, newUserData, startServer, type RunningServer } from './harness.ts';
import { GroupPage } from './pages/group-pages.ts';

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

describe('live updates after a server restart', () => {
  it('reconnect, refetch what was missed, announce it; a signed-out session ends it', async () => {
    const alice = await newContext(browser, server.url);
    const bob = await newContext(browser, server.url);
    const aliceSeed = new Seed(alice.context, server.url);
    const bobSeed = new Seed(bob.context, server.url);
    await aliceSeed.register(newUserData('alive'));
    const group = await aliceSeed.createGroup('Restart crew');
    const invite = await aliceSeed.createInvite(group.id);
    await bobSeed.register(newUserData('blive'));
    await bobSeed.acceptInvite(invite.code);

    const page = alice.page;
    const groupPage = new GroupPage(page);
    await groupPage.open(group.id);
    const status = page.getByTestId('live-status');
    await page.locator('[data-testid=live-status][data-status=open]').waitFor();

    await server.halt();
    await page.locator('[data-testid=live-status]:not([data-status=open])').waitFor();
    await server.start();
    // Something happens as soon as the server is back, possibly before the page has reconnected.
    await bobSeed.suggest(group.id, 'Missed While Down');

    await page.locator('[data-testid=live-status][data-status=open]').waitFor({ timeout: 60_000 });
    await page.getByRole('status').filter({ hasText: 'Reconnected' }).first().waitFor();
    await groupPage.suggestion('Missed While Down').waitFor();

    // Events flow again over the new socket.
    await bobSeed.suggest(group.id, 'Live After Restart');
    await groupPage.suggestion('Live After Restart').waitFor();
    expect(await status.getAttribute('data-status')).toBe('open');

    // A real 401 (the session was revoked) still ends it: the page goes to sign-in.
    await alice.context.clearCookies();
    await server.halt();
    await server.start();
    await page.waitForURL(/\/sign-in/, { timeout: 60_000 });
    expect(alice.watch.pageErrors).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  });
});
