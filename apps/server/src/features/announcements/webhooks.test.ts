/**
 * Group announcements to Discord: webhook settings through the real groups PATCH, encryption at rest,
 * and delivery through the outbox to the fake Discord (a real HTTP server), with retries and a restart.
 * The worker's `runOnce(now)` is called with chosen instants, so nothing here waits on timers except
 * the restart test, which runs a real server with its real loop.
 */
import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { schema } from '../../db/client.ts';
import { ConfigError, loadConfig } from '../../env.ts';
import { startServer } from '../../server.ts';
import { createTestApp, testEnv, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { NightCloser } from '../nights/index.ts';
import { WebhookWorker } from './outbox.ts';
import { parseWebhookUrl } from './webhooks.ts';

let fake: FakeDiscord;
let t: TestApp;
let owner: TestUser;
let member: TestUser;
let worker: WebhookWorker;
let closer: NightCloser;
let hookCounter = 0;
/** Tomorrow (UTC): its night is open whatever the time of day; it closes at 19:30 UTC (defaults). */
const day = openDay('UTC');
const deadline = new Date(`${day}T19:30:00Z`);

const HOUR = 3600_000;

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
  owner = await createUser(t);
  member = await createUser(t);
  worker = new WebhookWorker(t.services, { baseDelayMs: 1000, maxAttempts: 3 });
  closer = new NightCloser(t.services);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.webhooks.length = 0;
  fake.switches.failWebhooks = 0;
  fake.switches.goneWebhooks = 0;
});

/** A webhook URL on the fake with a unique id and a token that must never leak. */
function fakeWebhookUrl() {
  hookCounter += 1;
  const id = `1234567890${String(hookCounter).padStart(8, '0')}`;
  const token = `SeCrEtToKeN_${hookCounter}_abcdefghijklmnopqrstuvwxyz-0123456789`;
  return { id, token, url: `${fake.url}/api/webhooks/${id}/${token}` };
}

async function patchGroup(groupId: string, json: Record<string, unknown>, user: TestUser = owner) {
  return t.request(`/api/groups/${groupId}`, { method: 'PATCH', json, cookie: user.cookie });
}

async function groupWithWebhook(extra: Record<string, unknown> = {}) {
  const g = await createGroup(t, owner, { timezone: 'UTC' });
  await addMembers(t, g.id, owner, [member]);
  const hook = fakeWebhookUrl();
  const res = await patchGroup(g.id, { discordWebhookUrl: hook.url, ...extra });
  expect(res.status).toBe(200);
  return { group: g, hook };
}

async function suggest(groupId: string, gameName: string, user: TestUser = owner) {
  const res = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: day }, cookie: user.cookie });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

async function pendingRows(groupId: string) {
  return t.services.database.db.select().from(schema.webhookOutbox).where(eq(schema.webhookOutbox.groupId, groupId));
}

async function webhookView(groupId: string, user: TestUser = owner) {
  const body = (await (await t.request(`/api/groups/${groupId}`, { cookie: user.cookie })).json()) as Record<string, unknown>;
  return body.discordWebhook as Record<string, unknown> | undefined;
}

describe('webhook URL validation', () => {
  const config = { discordWebhookHosts: ['discord.com', 'discordapp.com'], discordWebhookBaseUrl: undefined };

  it('accepts Discord webhook URLs and returns them in canonical form', () => {
    expect(parseWebhookUrl(config, ' https://discord.com/api/webhooks/123456789012345678/abc_DEF-123 ')).toBe(
      'https://discord.com/api/webhooks/123456789012345678/abc_DEF-123',
    );
    expect(parseWebhookUrl(config, 'https://DiscordApp.com/api/webhooks/1/t')).toBe('https://discordapp.com/api/webhooks/1/t');
  });

  it.each([
    'http://discord.com/api/webhooks/1/abc',
    'https://discord.com.evil.example/api/webhooks/1/abc',
    'https://evil.example/api/webhooks/1/abc',
    'https://discord.com:8443/api/webhooks/1/abc',
    'https://user:pw@discord.com/api/webhooks/1/abc',
    'https://discord.com/api/webhooks/abc/def',
    'https://discord.com/api/webhooks/1/abc/extra',
    'https://discord.com/api/webhooks/1/ab%2Fc',
    'https://discord.com/api/webhooks/1/abc?wait=true',
    'https://discord.com/api/webhooks/1/abc#x',
    'https://discord.com/api/users/@me',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => parseWebhookUrl(config, url)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_input' }));
  });

  it('does not accept plain http outside the configured test base, and refuses that base in production', () => {
    expect(() =>
      parseWebhookUrl({ ...config, discordWebhookBaseUrl: 'http://127.0.0.1:1' }, 'http://127.0.0.1:2/api/webhooks/1/a'),
    ).toThrow();
    expect(() => loadConfig({ ...testEnv('/tmp/unused'), NODE_ENV: 'production', DISCORD_WEBHOOK_BASE_URL: 'http://127.0.0.1:1' })).toThrow(
      ConfigError,
    );
  });

  it('answers 400 with the field for a bad URL through PATCH and changes nothing', async () => {
    const g = await createGroup(t, owner);
    const res = await patchGroup(g.id, { discordWebhookUrl: 'https://evil.example/api/webhooks/1/abc', name: 'Other' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_input', details: { discordWebhookUrl: expect.stringContaining('Discord') } });
    expect((await webhookView(g.id))?.configured).toBe(false);
  });
});

describe('webhook settings', () => {
  it('stores the URL encrypted, shows admins only a mask, and members nothing', async () => {
    const { group, hook } = await groupWithWebhook();
    const view = await webhookView(group.id);
    expect(view).toEqual({
      configured: true,
      masked: `${fake.url}/api/webhooks/1234…/••••`,
      onSuggestion: true,
      onWinner: true,
      lastError: null,
      lastErrorAt: null,
    });
    expect(JSON.stringify(view)).not.toContain(hook.token);
    expect(await webhookView(group.id, member)).toBeUndefined();

    const raw = await t.services.database.client.execute({ sql: 'SELECT * FROM groups WHERE id = ?', args: [group.id] });
    const rowText = JSON.stringify(raw.rows[0]);
    expect(rowText).not.toContain(hook.token);
    expect(rowText).not.toContain(hook.id);
    expect(rowText).toContain('v1.');

    const events = await t.services.database.client.execute({
      sql: "SELECT detail FROM security_events WHERE type = 'webhook_changed' AND group_id = ?",
      args: [group.id],
    });
    expect(events.rows).toHaveLength(1);
    expect(JSON.stringify(events.rows)).not.toContain(hook.token);
  });

  it('refuses webhook changes from a member (403) ', async () => {
    const { group } = await groupWithWebhook();
    const res = await patchGroup(group.id, { discordWebhookUrl: null }, member);
    expect(res.status).toBe(403);
    expect((await webhookView(group.id))?.configured).toBe(true);
  });

  it('removes the webhook with null and drops undelivered announcements', async () => {
    const { group } = await groupWithWebhook();
    await suggest(group.id, 'Removed Before Delivery');
    const res = await patchGroup(group.id, { discordWebhookUrl: null });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { discordWebhook: { configured: boolean; masked: string | null } }).discordWebhook).toMatchObject({
      configured: false,
      masked: null,
    });
    const rows = await pendingRows(group.id);
    expect(rows[0]?.failedAt).not.toBeNull();
    await worker.runOnce(new Date());
    expect(fake.webhooks).toHaveLength(0);
  });
});

describe('announcements', () => {
  it('queues "new suggestion" with the suggestion (not before the request returns) and delivers it to Discord', async () => {
    const { group, hook } = await groupWithWebhook();
    await suggest(group.id, 'Deep Rock Galactic', member);
    const rows = await pendingRows(group.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'suggestion', deliveredAt: null, attempts: 0 });
    expect(fake.webhooks).toHaveLength(0);

    const result = await worker.runOnce(new Date());
    expect(result.delivered).toBe(1);
    expect(fake.webhooks).toHaveLength(1);
    const posted = fake.webhooks[0]!;
    expect(posted).toMatchObject({ webhookId: hook.id, token: hook.token });
    expect(posted.body).toMatchObject({ username: 'QueueCrew', allowed_mentions: { parse: [] } });
    expect((posted.body as { content: string }).content).toContain('Deep Rock Galactic');
    expect((posted.body as { content: string }).content).toContain(member.username.replace(/_/g, '\\_'));
    // No tally in a suggestion announcement (results may be hidden until the close).
    expect((posted.body as { content: string }).content).not.toMatch(/approv|vote/i);
    expect((await pendingRows(group.id))[0]?.deliveredAt).not.toBeNull();

    // Delivered once: another pass posts nothing more.
    await worker.runOnce(new Date());
    expect(fake.webhooks).toHaveLength(1);
  });

  it('makes user text inert: no pings, no markdown, no clickable links', async () => {
    const { group } = await groupWithWebhook();
    await suggest(group.id, '@everyone **free** https://evil.example');
    await worker.runOnce(new Date());
    const content = (fake.webhooks[0]!.body as { content: string }).content;
    expect(content).not.toContain('https://evil.example');
    expect(content).not.toContain('**free**');
    expect(content).toContain('\\@everyone');
  });

  it('respects the per-event toggle', async () => {
    const { group } = await groupWithWebhook({ webhookOnSuggestion: false });
    expect((await webhookView(group.id))?.onSuggestion).toBe(false);
    await suggest(group.id, 'Not Announced');
    expect(await pendingRows(group.id)).toHaveLength(0);
  });

  it('retries after a 500 with backoff, shows the error to admins, then clears it when delivered', async () => {
    const { group } = await groupWithWebhook();
    await suggest(group.id, 'Retry Me');
    fake.switches.failWebhooks = 1;
    const now = Date.now();
    expect(await worker.runOnce(new Date(now))).toMatchObject({ delivered: 0, retrying: 1 });
    expect(fake.webhooks).toHaveLength(0);
    const view = await webhookView(group.id);
    expect(view?.lastError).toMatch(/HTTP 500.*retries by itself/);
    expect(view?.lastErrorAt).toEqual(expect.any(String));
    expect(JSON.stringify(view)).not.toContain('SeCrEtToKeN');

    // Not due again until the backoff has passed.
    expect(await worker.runOnce(new Date(now + 10))).toMatchObject({ delivered: 0, retrying: 0 });
    expect(await worker.runOnce(new Date(now + HOUR))).toMatchObject({ delivered: 1 });
    expect(fake.webhooks).toHaveLength(1);
    expect((await pendingRows(group.id))[0]).toMatchObject({ attempts: 2 });
    expect((await webhookView(group.id))?.lastError).toBeNull();
    expect(t.logs.text).toContain('discord webhook failed; will retry');
    const metrics = await t.services.metrics.registry.getSingleMetricAsString('queuecrew_webhook_deliveries_total');
    expect(metrics).toMatch(/outcome="retry"} [1-9]/);
    expect(metrics).toMatch(/outcome="delivered"} [1-9]/);
    expect(t.logs.text).not.toContain('SeCrEtToKeN');
  });

  it('gives up after the maximum attempts and tells the admins', async () => {
    const { group } = await groupWithWebhook();
    await suggest(group.id, 'Never Arrives');
    fake.switches.failWebhooks = 10;
    const now = Date.now();
    for (let i = 0; i < 3; i += 1) await worker.runOnce(new Date(now + i * HOUR));
    const [row] = await pendingRows(group.id);
    expect(row).toMatchObject({ attempts: 3 });
    expect(row?.failedAt).not.toBeNull();
    expect((await webhookView(group.id))?.lastError).toMatch(/tried 3 times and gave up/);
    await worker.runOnce(new Date(now + 10 * HOUR));
    expect(fake.webhooks).toHaveLength(0);
  });

  it('stops at once when Discord says the webhook is gone (404), asking for a new URL', async () => {
    const { group } = await groupWithWebhook();
    await suggest(group.id, 'Gone Webhook');
    fake.switches.goneWebhooks = 1;
    expect(await worker.runOnce(new Date())).toMatchObject({ failed: 1 });
    expect((await webhookView(group.id))?.lastError).toMatch(/no longer exists/);
  });

  it('announces the winner of a night at its close (not two days later), once', async () => {
    const { group, hook } = await groupWithWebhook({ webhookOnSuggestion: false });
    const a = await suggest(group.id, 'Valheim');
    await suggest(group.id, 'Lethal Company', member);
    // The suggestion is the owner's approval; the member approves it too.
    expect((await t.request(`/api/suggestions/${a.id}/votes`, { method: 'POST', cookie: member.cookie })).status).toBe(201);
    // (Other tests' groups share this database and this date: look at this group's messages only.)
    const mine = () => fake.webhooks.filter((w) => w.webhookId === hook.id).map((w) => (w.body as { content: string }).content);
    const status = async () =>
      ((await (await t.request(`/api/groups/${group.id}/nights/${day}`, { cookie: owner.cookie })).json()) as { status: string }).status;

    // Still open (before its deadline): no winner message yet.
    await closer.runOnce(new Date(deadline.getTime() - 1000));
    await worker.runOnce(new Date(deadline.getTime() - 1000));
    expect(await status()).toBe('open');
    expect(mine().filter((m) => m.includes('🏆'))).toEqual([]);

    // At the deadline the closer closes it and queues the message in the same transaction.
    await closer.runOnce(deadline);
    expect(await status()).toBe('closed');
    await worker.runOnce(deadline);
    const winners = mine().filter((m) => m.includes('🏆'));
    expect(winners).toHaveLength(1);
    expect(winners[0]).toContain('Valheim');
    expect(winners[0]).toContain('2 approvals');
    expect(winners[0]).not.toContain('Lethal Company');
    expect(winners[0]).toContain(`<t:${Date.parse(`${day}T20:00:00Z`) / 1000}:t>`);

    await closer.runOnce(new Date(deadline.getTime() + 60_000));
    await worker.runOnce(new Date(deadline.getTime() + 60_000));
    expect(mine().filter((m) => m.includes('🏆'))).toHaveLength(1);
    const rows = await pendingRows(group.id);
    expect(rows.filter((r) => r.kind === 'winner').map((r) => r.dedupeKey)).toEqual([`night:${day}:1`]);
  });

  it('says nothing when the group turned night announcements ("winner") off', async () => {
    const { group } = await groupWithWebhook({ webhookOnSuggestion: false, webhookOnWinner: false });
    await suggest(group.id, 'Quietly Decided');
    await closer.runOnce(deadline);
    const night = (await (await t.request(`/api/groups/${group.id}/nights/${day}`, { cookie: owner.cookie })).json()) as { status: string };
    expect(night.status).toBe('closed');
    expect(await pendingRows(group.id)).toHaveLength(0);
  });
});

describe('winner announcements: ties and quiet nights', () => {
  it('explains how a tie was broken, and says a night without approvals closed without a pick', async () => {
    const tied = await groupWithWebhook({ webhookOnSuggestion: false });
    await suggest(tied.group.id, 'Tie One');
    await suggest(tied.group.id, 'Tie Two', member);
    const quiet = await groupWithWebhook({ webhookOnSuggestion: false });
    const lonely = await suggest(quiet.group.id, 'Nobody Approved');
    expect((await t.request(`/api/suggestions/${lonely.id}/votes`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    const empty = await groupWithWebhook({ webhookOnSuggestion: false });
    expect(
      (await t.request(`/api/groups/${empty.group.id}/nights/${day}/rsvp`, { method: 'PUT', json: { status: 'in' }, cookie: owner.cookie }))
        .status,
    ).toBe(200);

    const at = new Date(deadline.getTime() + 5 * 60_000);
    expect(await closer.runOnce(at)).toMatchObject({ failed: 0 });
    for (let i = 0; i < 5; i += 1) await worker.runOnce(at);
    await worker.runOnce(at);
    const byHook = (hookId: string) =>
      fake.webhooks.filter((w) => w.webhookId === hookId).map((w) => (w.body as { content: string }).content);
    const [tieText] = byHook(tied.hook.id);
    expect(tieText).toMatch(/Tie between/);
    expect(tieText).toContain('Tie One');
    expect(tieText).toContain('Tie Two');
    expect(tieText).toContain('1 approval');
    const seed = /seed `([0-9a-f]{32})`/.exec(tieText!)?.[1];
    expect(seed).toBeDefined();
    const night = (await (await t.request(`/api/groups/${tied.group.id}/nights/${day}`, { cookie: owner.cookie })).json()) as {
      tieBreakSeed: string;
    };
    expect(night.tieBreakSeed).toBe(seed);
    expect(byHook(quiet.hook.id)).toEqual([expect.stringContaining('closed without a pick')]);
    // A night nobody suggested anything for is not announced at all.
    expect(byHook(empty.hook.id)).toEqual([]);
    expect(await pendingRows(empty.group.id)).toHaveLength(0);
  });
});

describe('restart', () => {
  it('delivers a row queued before the server stopped, from a new server on the same database', async () => {
    const first = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
    let running: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const admin = await createUser(first);
      const g = await createGroup(first, admin, { timezone: 'UTC' });
      const hook = fakeWebhookUrl();
      const patch = await first.request(`/api/groups/${g.id}`, {
        method: 'PATCH',
        json: { discordWebhookUrl: hook.url },
        cookie: admin.cookie,
      });
      expect(patch.status).toBe(200);
      const res = await first.request(`/api/groups/${g.id}/suggestions`, {
        json: { gameName: 'Survives Restart', date: day },
        cookie: admin.cookie,
      });
      expect(res.status).toBe(201);
      // The first instance goes away before any delivery (it never ran a worker).
      first.services.database.close();
      expect(fake.webhooks).toHaveLength(0);

      running = await startServer({
        env: testEnv(first.dir, { DISCORD_WEBHOOK_BASE_URL: fake.url, LOG_LEVEL: 'silent' }),
        webhooks: { intervalMs: 50 },
      });
      for (let i = 0; i < 200 && fake.webhooks.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(fake.webhooks).toHaveLength(1);
      expect((fake.webhooks[0]!.body as { content: string }).content).toContain('Survives Restart');
      expect(fake.webhooks[0]!.webhookId).toBe(hook.id);
    } finally {
      await running?.stop();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
