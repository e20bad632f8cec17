/**
 * Vetoes (docs/api.md "Fair picks", `vetoes: 1`) over real HTTP: refused where they are off, one per
 * member and night, removable while open, public as `vetoedBy`, a vetoed suggestion cannot win (approval
 * and ranked), every suggestion vetoed closes with no winner and says why, Discord gets only a count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { WebhookWorker } from '../announcements/index.ts';
import { approve, body, closeNow, nightPath, patchDefaults, suggestOn } from './test-helpers.ts';

let fake: FakeDiscord;
let t: TestApp;
let owner: TestUser;
let u1: TestUser;
let u2: TestUser;
let outsider: TestUser;
let group: TestGroup;
const clock = new ManualClock('2026-06-10T08:00:00Z');
const events: GroupEvent[] = [];

const veto = (u: TestUser, id: string, method: 'POST' | 'DELETE' = 'POST') =>
  t.request(`/api/suggestions/${id}/veto`, { method, cookie: u.cookie });
const list = async (u: TestUser, day: string) =>
  body<Array<{ id: string; gameName: string; vetoedBy: Array<{ id: string }> }>>(
    await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: u.cookie }),
    200,
  );
const messages = () => fake.webhooks.map((w) => (w.body as { content: string }).content);

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
  t.services.clock = clock;
  t.services.hub.onEvent((e) => events.push(e));
  [owner, u1, u2, outsider] = (await Promise.all([1, 2, 3, 4].map(() => createUser(t)))) as [TestUser, TestUser, TestUser, TestUser];
  group = await createGroup(t, owner, { name: 'Veto crew', timezone: 'UTC' });
  await addMembers(t, group.id, owner, [u1, u2]);
  const hook = await t.request(`/api/groups/${group.id}`, {
    method: 'PATCH',
    json: { discordWebhookUrl: `${fake.url}/api/webhooks/616161/veto_token` },
    cookie: owner.cookie,
  });
  expect(hook.status).toBe(200);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

describe('vetoes: refusals first', () => {
  it('answers 409 vetoes_off on a night without vetoes, 404 to outsiders, 401 without a session', async () => {
    const s = await suggestOn(t, u1, group.id, '2026-06-10', 'No veto here');
    const res = await veto(u2, s.id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'vetoes_off' });
    expect((await veto(u2, s.id, 'DELETE')).status).toBe(409);
    expect((await veto(outsider, s.id)).status).toBe(404);
    expect((await t.request(`/api/suggestions/${s.id}/veto`, { method: 'POST' })).status).toBe(401);
    expect((await veto(u2, 'no-such-suggestion')).status).toBe(404);
  });
});

describe('vetoes on an approval night', () => {
  const day = '2026-06-11';
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    expect((await patchDefaults(t, owner, group.id, { vetoes: 1 })).status).toBe(200);
    a = await suggestOn(t, u1, group.id, day, 'Apex');
    b = await suggestOn(t, u2, group.id, day, 'Brawl');
    await approve(t, owner, a.id);
  });

  it('takes one veto per member and night, public as vetoedBy and in veto_updated', async () => {
    events.length = 0;
    const first = await veto(u2, a.id);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ suggestionId: a.id, vetoedBy: [expect.objectContaining({ id: u2.id })] });
    expect(events.at(-1)).toMatchObject({ type: 'veto_updated', data: { suggestionId: a.id, vetoedBy: [{ id: u2.id }] } });
    const again = await veto(u2, b.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'already_vetoed', details: { suggestionId: a.id } });
    expect((await veto(u2, a.id)).status).toBe(409);
    const shown = await list(u1, day);
    expect(shown.find((s) => s.id === a.id)?.vetoedBy.map((u) => u.id)).toEqual([u2.id]);
    expect(shown.find((s) => s.id === b.id)?.vetoedBy).toEqual([]);
  });

  it('can be taken back (204, then 404) and cast again', async () => {
    expect((await veto(u2, a.id, 'DELETE')).status).toBe(204);
    const none = await veto(u2, a.id, 'DELETE');
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: 'veto_not_found' });
    expect(events.at(-1)).toMatchObject({ type: 'veto_updated', data: { suggestionId: a.id, vetoedBy: [] } });
    expect((await veto(u2, a.id)).status).toBe(201);
  });

  it('a vetoed suggestion cannot win, even with the most approvals; Discord hears only the count', async () => {
    // Apex has 2 approvals, Brawl 1 — Apex is vetoed.
    const results = await body<{ winners: string[] }>(
      await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: u1.cookie }),
      200,
    );
    expect(results.winners).toEqual([b.id]);
    const closed = await closeNow(t, owner, group.id, day);
    expect(closed.winner).toMatchObject({ suggestionId: b.id, gameName: 'Brawl', votes: 1, decidedBy: 'votes' });
    expect(closed.vetoes).toBe(1);
    // Closed: no more vetoes.
    const late = await veto(u1, b.id);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'voting_closed' });
    await new WebhookWorker(t.services).runOnce(new Date('2026-06-10T08:01:00Z'));
    const msg = messages().find((m) => m.includes('🏆'))!;
    expect(msg).toContain('**Brawl**');
    expect(msg).toContain('1 veto cast.');
    expect(msg).not.toContain(u2.username);
  });

  it('with every suggestion vetoed the night closes with no winner and says why', async () => {
    const day2 = '2026-06-12';
    const x = await suggestOn(t, u1, group.id, day2, 'Xcom');
    const y = await suggestOn(t, u2, group.id, day2, 'Yakuza');
    expect((await veto(u1, x.id)).status).toBe(201);
    expect((await veto(u2, y.id)).status).toBe(201);
    const closed = await closeNow(t, owner, group.id, day2);
    expect(closed).toMatchObject({ status: 'closed', winner: null, tied: [], noWinnerReason: 'all_vetoed' });
    fake.webhooks.length = 0;
    await new WebhookWorker(t.services).runOnce(new Date('2026-06-10T08:02:00Z'));
    const msg = messages().find((m) => m.includes('🏁'))!;
    expect(msg).toContain('every suggestion was vetoed');
    expect(msg).toContain('2 vetoes cast.');
  });

  it('locks the night’s vetoes setting once someone vetoed (409 method_locked)', async () => {
    const day3 = '2026-06-13';
    const z = await suggestOn(t, u1, group.id, day3, 'Zelda');
    expect((await veto(u2, z.id)).status).toBe(201);
    const res = await t.request(nightPath(group.id, day3), { method: 'PATCH', json: { vetoes: 0 }, cookie: owner.cookie });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'method_locked', details: { vetoes: 1 } });
  });
});

describe('vetoes on a ranked night', () => {
  it('a vetoed suggestion is skipped on every ballot', async () => {
    const day = '2026-06-14';
    expect((await patchDefaults(t, owner, group.id, { method: 'ranked' })).status).toBe(200);
    const p = await suggestOn(t, u1, group.id, day, 'Portal');
    const q = await suggestOn(t, u2, group.id, day, 'Quake');
    for (const u of [owner, u1]) {
      const res = await t.request(nightPath(group.id, day, 'ballot'), { method: 'PUT', json: { ranking: [p.id, q.id] }, cookie: u.cookie });
      expect(res.status).toBe(200);
    }
    expect((await veto(u2, p.id)).status).toBe(201);
    const closed = await closeNow(t, owner, group.id, day);
    expect(closed.winner).toMatchObject({ suggestionId: q.id, votes: 2, decidedBy: 'votes' });
    const results = await body<{ rounds: Array<{ counts: Record<string, number> }> }>(
      await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: u1.cookie }),
      200,
    );
    expect(results.rounds).toEqual([{ counts: { [q.id]: 2 }, eliminated: null }]);
  });
});
