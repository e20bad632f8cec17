/**
 * A failed announcement says what happened in plain words and the right next step.
 * An outage (network error, timeout, 5xx, 429) retries by itself and never asks for a new URL; only
 * Discord's 401/404 ("this webhook is gone") does. No exception class names ("TypeError") reach people.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { schema } from '../../db/client.ts';
import { freePort } from '../../test/processes.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { createGroup } from '../../test/group-factories.ts';
import { WebhookWorker } from './outbox.ts';
import { webhookAad } from './webhooks.ts';

let fake: FakeDiscord;
let t: TestApp;
let owner: TestUser;
let worker: WebhookWorker;
let n = 0;

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
  owner = await createUser(t);
  // The fake answers at once; the timeout only has to outlast a busy machine (a timeout reads as "could not be reached").
  worker = new WebhookWorker(t.services, { baseDelayMs: 1000, maxAttempts: 2, requestTimeoutMs: 15_000 });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.switches.failWebhooks = 0;
  fake.switches.goneWebhooks = 0;
});

async function groupWithHook() {
  n += 1;
  const g = await createGroup(t, owner, { timezone: 'UTC' });
  const url = `${fake.url}/api/webhooks/99887766554433${String(n).padStart(4, '0')}/ToKeN_${n}_abcdefghijklmnopqrstuvwxyz0123456789`;
  expect((await t.request(`/api/groups/${g.id}`, { method: 'PATCH', json: { discordWebhookUrl: url }, cookie: owner.cookie })).status).toBe(
    200,
  );
  expect((await t.request(`/api/groups/${g.id}/suggestions`, { json: { gameName: `Game ${n}` }, cookie: owner.cookie })).status).toBe(201);
  return g.id;
}

async function lastError(groupId: string): Promise<string> {
  const body = (await (await t.request(`/api/groups/${groupId}`, { cookie: owner.cookie })).json()) as {
    discordWebhook: { lastError: string | null };
  };
  return body.discordWebhook.lastError ?? '';
}

const ASKS_FOR_NEW_URL = /new webhook|paste|set its URL again/i;

describe('webhook error messages', () => {
  it('network error: "could not be reached", retries by itself, no exception names, no new URL asked', async () => {
    const groupId = await groupWithHook();
    // The stored URL now points at a port nobody listens on (as when Discord is unreachable).
    const dead = `http://127.0.0.1:${await freePort()}/api/webhooks/1/x`;
    await t.services.database.write((tx) =>
      tx
        .update(schema.groups)
        .set({ discordWebhookEnc: t.services.fieldCipher.encrypt(dead, webhookAad(groupId)) })
        .where(eq(schema.groups.id, groupId)),
    );
    const now = Date.now();
    expect(await worker.runOnce(new Date(now))).toMatchObject({ retrying: 1 });
    const first = await lastError(groupId);
    expect(first).toMatch(/Discord could not be reached/);
    expect(first).toMatch(/retries by itself/);
    expect(first).not.toMatch(/TypeError|Error\b|\(error\)/);
    expect(first).not.toMatch(ASKS_FOR_NEW_URL);
    // Given up after the last attempt: still no new URL asked; the next announcement is tried as usual.
    await worker.runOnce(new Date(now + 3600_000));
    const last = await lastError(groupId);
    expect(last).toMatch(/could not be reached/);
    expect(last).not.toMatch(ASKS_FOR_NEW_URL);
  });

  it('5xx: a problem on Discord’s side, retried by itself', async () => {
    const groupId = await groupWithHook();
    fake.switches.failWebhooks = 1;
    expect(await worker.runOnce(new Date())).toMatchObject({ retrying: 1 });
    const msg = await lastError(groupId);
    expect(msg).toMatch(/Discord had a problem/);
    expect(msg).toMatch(/retries by itself/);
    expect(msg).not.toMatch(ASKS_FOR_NEW_URL);
  });

  it('404: the webhook is gone, paste a new URL', async () => {
    const groupId = await groupWithHook();
    fake.switches.goneWebhooks = 1;
    expect(await worker.runOnce(new Date())).toMatchObject({ failed: 1 });
    const msg = await lastError(groupId);
    expect(msg).toMatch(/no longer exists/);
    expect(msg).toMatch(ASKS_FOR_NEW_URL);
  });
});
