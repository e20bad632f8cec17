/**
 * Hidden results (`resultsVisibility: "after_close"`), enforced by the server on every channel until
 * the night closes: suggestion lists and the create answer (`votes: null`, `voters: []`, in the order
 * suggested), vote answers, results (`votes: null`, `winners: []`), the night, live events
 * (`vote_updated` carries `{suggestionId}` only) and Discord messages. After the close everything shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { WebhookWorker } from '../announcements/index.ts';
import { NightCloser } from './closer.ts';
import { body, closeNow, getNight, patchDefaults } from './test-helpers.ts';

let fake: FakeDiscord;
let t: TestApp;
let owner: TestUser;
let alice: TestUser;
let bob: TestUser;
let group: TestGroup;
const clock = new ManualClock('2026-06-10T08:00:00Z');
const day = '2026-06-10';
const events: GroupEvent[] = [];

interface Suggestion {
  id: string;
  gameName: string;
  votes: number | null;
  votedByMe: boolean;
  voters: Array<{ id: string }>;
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
  t.services.clock = clock;
  t.services.hub.onEvent((e) => events.push(e));
  [owner, alice, bob] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Secret ballot', timezone: 'UTC' });
  await addMembers(t, group.id, owner, [alice, bob]);
  expect((await patchDefaults(t, owner, group.id, { resultsVisibility: 'after_close' })).status).toBe(200);
  const hook = await t.request(`/api/groups/${group.id}`, {
    method: 'PATCH',
    json: { discordWebhookUrl: `${fake.url}/api/webhooks/424242/hidden_token` },
    cookie: owner.cookie,
  });
  expect(hook.status).toBe(200);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

const list = async (u: TestUser) =>
  body<Suggestion[]>(await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: u.cookie }), 200);
const results = async (u: TestUser) =>
  body<{ voters: number; suggestions: Array<{ id: string; votes: number | null }>; winners: string[] }>(
    await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: u.cookie }),
    200,
  );

describe('while the night is open', () => {
  let first: Suggestion;
  let second: Suggestion;

  it('answers a new suggestion without its tally, and announces it without one', async () => {
    first = await body<Suggestion>(
      await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Among Us', date: day }, cookie: alice.cookie }),
      201,
    );
    expect(first).toMatchObject({ votes: null, voters: [], votedByMe: true });
    expect(events.at(-1)).toMatchObject({ type: 'suggestion_created', data: { id: first.id, votes: null, voters: [], votedByMe: false } });
    clock.set('2026-06-10T08:00:01Z');
    second = await body<Suggestion>(
      await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Zelda', date: day }, cookie: bob.cookie }),
      201,
    );
  });

  it('answers votes without the tally, and vote_updated carries only which suggestion changed', async () => {
    events.length = 0;
    // Zelda gets two more approvals: it leads 3 to 1, and nobody may see it.
    for (const u of [owner, alice]) {
      const res = await t.request(`/api/suggestions/${second.id}/votes`, { method: 'POST', cookie: u.cookie });
      expect(await body(res, 201)).toEqual({ suggestionId: second.id, votes: null });
    }
    expect(events.filter((e) => e.type === 'vote_updated').map((e) => e.data)).toEqual([
      { suggestionId: second.id },
      { suggestionId: second.id },
    ]);
    expect((await t.request(`/api/suggestions/${second.id}/votes`, { method: 'DELETE', cookie: alice.cookie })).status).toBe(204);
    expect(events.at(-1)).toEqual({ type: 'vote_updated', groupId: group.id, data: { suggestionId: second.id } });
    await body(await t.request(`/api/suggestions/${second.id}/votes`, { method: 'POST', cookie: alice.cookie }), 201);
  });

  it('lists suggestions with votes: null and no voters, in the order suggested (the order would leak the lead)', async () => {
    const asBob = await list(bob);
    expect(asBob.map((s) => [s.gameName, s.votes, s.voters, s.votedByMe])).toEqual([
      ['Among Us', null, [], false],
      ['Zelda', null, [], true],
    ]);
    expect((await list(alice)).map((s) => s.votedByMe)).toEqual([true, true]);
  });

  it('answers results with votes: null and no winners, but says how many voted', async () => {
    expect(await results(bob)).toEqual({
      date: day,
      voters: 3,
      suggestions: [
        { id: first.id, gameName: 'Among Us', votes: null },
        { id: second.id, gameName: 'Zelda', votes: null },
      ],
      winners: [],
      method: 'approval',
      rounds: [],
    });
  });

  it('shows the night as open, with nothing decided', async () => {
    expect(await getNight(t, bob, group.id, day)).toMatchObject({
      status: 'open',
      resultsVisibility: 'after_close',
      winner: null,
      tied: [],
      voters: 3,
    });
  });

  it('keeps tallies out of every Discord message before the close (suggestions, reminder)', async () => {
    const worker = new WebhookWorker(t.services);
    await new NightCloser(t.services).runOnce(new Date('2026-06-10T18:35:00Z')); // reminder time (19:30 − 60 min)
    await worker.runOnce(new Date('2026-06-10T18:35:00Z'));
    const contents = fake.webhooks.map((w) => (w.body as { content: string }).content);
    expect(contents.length).toBeGreaterThanOrEqual(2);
    for (const c of contents) {
      expect(c).not.toMatch(/approval|\d+ votes?|leads?/i);
    }
  });
});

describe('after the close', () => {
  it('shows everything: tallies, voters, winners, the night’s winner, and the frozen visibility', async () => {
    const closed = await closeNow(t, owner, group.id, day);
    expect(closed).toMatchObject({
      status: 'closed',
      resultsVisibility: 'after_close',
      winner: { gameName: 'Zelda', votes: 3, decidedBy: 'votes' },
    });
    const shown = await list(bob);
    expect(shown.map((s) => [s.gameName, s.votes, s.voters.length])).toEqual([
      ['Zelda', 3, 3],
      ['Among Us', 1, 1],
    ]);
    expect((await results(bob)).winners).toEqual([shown[0]!.id]);
    // Changing the group's setting later does not change a decided night.
    expect((await patchDefaults(t, owner, group.id, { resultsVisibility: 'live' })).status).toBe(200);
    expect((await getNight(t, bob, group.id, day)).resultsVisibility).toBe('after_close');
    const worker = new WebhookWorker(t.services);
    await worker.runOnce(new Date('2026-06-10T18:36:00Z'));
    const winner = fake.webhooks.map((w) => (w.body as { content: string }).content).find((c) => c.includes('🏆'));
    expect(winner).toContain('3 approvals');
  });
});
