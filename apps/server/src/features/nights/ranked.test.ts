/**
 * Ranked nights over real HTTP (docs/api.md "Fair picks"): the method setting and its lock, ballots
 * (bad input first), the approval endpoints refusing, the close deciding by instant runoff with the
 * rounds in the results, the Discord message, and hidden results on every channel.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { WebhookWorker } from '../announcements/index.ts';
import { NightCloser } from './closer.ts';
import type { NightDto } from './data.ts';
import { body, closeNow, getNight, nightPath, patchDefaults, suggestOn } from './test-helpers.ts';

let fake: FakeDiscord;
let t: TestApp;
let owner: TestUser;
let u1: TestUser;
let u2: TestUser;
let u3: TestUser;
let u4: TestUser;
let outsider: TestUser;
let group: TestGroup;
let other: TestGroup;
const clock = new ManualClock('2026-06-10T08:00:00Z');
const day = '2026-06-10';
const tomorrow = '2026-06-11';
const events: GroupEvent[] = [];

interface Results {
  method: string;
  voters: number;
  suggestions: Array<{ id: string; gameName: string; votes: number | null }>;
  winners: string[];
  rounds: Array<{ counts: Record<string, number>; eliminated: string | null }>;
}

const putBallot = (u: TestUser, ranking: unknown, d = day, g = group) =>
  t.request(nightPath(g.id, d, 'ballot'), { method: 'PUT', json: { ranking }, cookie: u.cookie });
const results = async (u: TestUser, d = day, g = group) =>
  body<Results>(await t.request(`/api/groups/${g.id}/results?date=${d}`, { cookie: u.cookie }), 200);
const contents = () => fake.webhooks.map((w) => (w.body as { content: string }).content);

beforeAll(async () => {
  fake = await startFakeDiscord();
  t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
  t.services.clock = clock;
  t.services.hub.onEvent((e) => events.push(e));
  [owner, u1, u2, u3, u4, outsider] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUser(t)))) as [
    TestUser,
    TestUser,
    TestUser,
    TestUser,
    TestUser,
    TestUser,
  ];
  group = await createGroup(t, owner, { name: 'Ranked crew', timezone: 'UTC' });
  await addMembers(t, group.id, owner, [u1, u2, u3, u4]);
  other = await createGroup(t, outsider, { name: 'Elsewhere', timezone: 'UTC' });
  const hook = await t.request(`/api/groups/${group.id}`, {
    method: 'PATCH',
    json: { discordWebhookUrl: `${fake.url}/api/webhooks/515151/ranked_token` },
    cookie: owner.cookie,
  });
  expect(hook.status).toBe(200);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

describe('the method setting', () => {
  it('refuses unknown methods and vetoes other than 0 or 1', async () => {
    for (const nightDefaults of [{ method: 'borda' }, { vetoes: 2 }, { vetoes: '1' }]) {
      const res = await patchDefaults(t, owner, group.id, nightDefaults);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_input');
    }
  });

  it('accepts ranked and shows it on the group and its nights', async () => {
    const res = await patchDefaults(t, owner, group.id, { method: 'ranked' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { nightDefaults: { method: string } }).nightDefaults.method).toBe('ranked');
    expect((await getNight(t, u1, group.id, day)).method).toBe('ranked');
  });
});

describe('ballots', () => {
  let a: { id: string };
  let b: { id: string };
  let c: { id: string };
  let d: { id: string };
  let foreign: { id: string };
  let otherNight: { id: string };

  beforeAll(async () => {
    a = await suggestOn(t, u1, group.id, day, 'Alpha');
    b = await suggestOn(t, u2, group.id, day, 'Bravo');
    c = await suggestOn(t, u3, group.id, day, 'Charlie');
    d = await suggestOn(t, u4, group.id, day, 'Delta');
    otherNight = await suggestOn(t, u1, group.id, tomorrow, 'Echo');
    foreign = await suggestOn(t, outsider, other.id, day, 'Foxtrot');
  });

  it('a suggestion on a ranked night is not an approval', async () => {
    const list = await body<Array<{ id: string; votes: number; votedByMe: boolean }>>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: u1.cookie }),
      200,
    );
    expect(list.map((s) => [s.votes, s.votedByMe])).toEqual([
      [0, false],
      [0, false],
      [0, false],
      [0, false],
    ]);
  });

  it('refuses repeats, ids of another night or group (naming them), and malformed rankings', async () => {
    const repeat = await putBallot(u1, [a.id, b.id, a.id]);
    expect(repeat.status).toBe(400);
    expect(await repeat.json()).toMatchObject({ code: 'invalid_input' });
    for (const bad of [otherNight.id, foreign.id, 'no-such-suggestion']) {
      const res = await putBallot(u1, [a.id, bad]);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { code: string; details: { suggestionId: string; ranking: string } };
      expect(err.code).toBe('invalid_input');
      expect(err.details.suggestionId).toBe(bad);
      expect(err.details.ranking).toContain(bad);
    }
    for (const ranking of ['x', [1, 2], null, Array.from({ length: 101 }, (_, i) => `id${i}`)]) {
      expect((await putBallot(u1, ranking)).status).toBe(400);
    }
    const extra = await t.request(nightPath(group.id, day, 'ballot'), {
      method: 'PUT',
      json: { ranking: [], admin: true },
      cookie: u1.cookie,
    });
    expect(extra.status).toBe(400);
    // Nothing was stored by the refused ballots.
    expect(await body(await t.request(nightPath(group.id, day, 'ballot'), { cookie: u1.cookie }), 200)).toEqual({ date: day, ranking: [] });
  });

  it('is for members only (404 for others, 401 without a session)', async () => {
    expect((await putBallot(outsider, [a.id])).status).toBe(404);
    expect((await t.request(nightPath(group.id, day, 'ballot'), { cookie: outsider.cookie })).status).toBe(404);
    expect((await t.request(nightPath(group.id, day, 'ballot'), { method: 'PUT', json: { ranking: [] } })).status).toBe(401);
  });

  it('the approval endpoints answer 409 wrong_method on a ranked night', async () => {
    const add = await t.request(`/api/suggestions/${a.id}/votes`, { method: 'POST', cookie: u2.cookie });
    expect(add.status).toBe(409);
    expect(await add.json()).toMatchObject({ code: 'wrong_method', details: { method: 'ranked' } });
    const del = await t.request(`/api/suggestions/${a.id}/votes`, { method: 'DELETE', cookie: u2.cookie });
    expect(del.status).toBe(409);
  });

  it('stores, replaces and reads back a ballot; announces only that someone voted', async () => {
    events.length = 0;
    expect(await body(await putBallot(u1, [c.id, a.id]), 200)).toEqual({ date: day, ranking: [c.id, a.id] });
    expect(await body(await putBallot(u1, [a.id, c.id]), 200)).toEqual({ date: day, ranking: [a.id, c.id] });
    expect(await body(await t.request(nightPath(group.id, day, 'ballot'), { cookie: u1.cookie }), 200)).toEqual({
      date: day,
      ranking: [a.id, c.id],
    });
    const night = events.filter((e) => e.type === 'night_updated').at(-1)!.data as NightDto;
    expect(night.voters).toBe(1);
    expect(JSON.stringify(events)).not.toContain(c.id);
    expect((await getNight(t, u2, group.id, day)).notVoted.map((u) => u.id)).not.toContain(u1.id);
  });

  it('drops the entries of a deleted suggestion', async () => {
    const gone = await suggestOn(t, u2, group.id, day, 'Golf');
    await body(await putBallot(u2, [gone.id, b.id]), 200);
    expect((await t.request(`/api/suggestions/${gone.id}`, { method: 'DELETE', cookie: u2.cookie })).status).toBe(204);
    expect(await body(await t.request(nightPath(group.id, day, 'ballot'), { cookie: u2.cookie }), 200)).toEqual({
      date: day,
      ranking: [b.id],
    });
  });

  it('locks the night’s method once ballots exist (409 method_locked); a fresh night can switch', async () => {
    const locked = await t.request(nightPath(group.id, day), { method: 'PATCH', json: { method: 'approval' }, cookie: owner.cookie });
    expect(locked.status).toBe(409);
    expect(await locked.json()).toMatchObject({ code: 'method_locked', details: { method: 'ranked' } });
    // Changing the group's default leaves a night with ballots alone.
    expect((await patchDefaults(t, owner, group.id, { method: 'approval' })).status).toBe(200);
    expect((await getNight(t, u1, group.id, day)).method).toBe('ranked');
    expect((await getNight(t, u1, group.id, '2026-06-20')).method).toBe('approval');
    // The ballot endpoint on an approval night: 409 wrong_method.
    const wrong = await putBallot(u1, [], '2026-06-20');
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toMatchObject({ code: 'wrong_method', details: { method: 'approval' } });
    // A night nobody voted on can be switched by an admin (and members may not).
    const asMember = await t.request(nightPath(group.id, '2026-06-20'), { method: 'PATCH', json: { method: 'ranked' }, cookie: u1.cookie });
    expect(asMember.status).toBe(403);
    const switched = await t.request(nightPath(group.id, '2026-06-20'), {
      method: 'PATCH',
      json: { method: 'ranked' },
      cookie: owner.cookie,
    });
    expect(((await body<NightDto>(switched, 200)) as NightDto).method).toBe('ranked');
    expect((await putBallot(u1, [], '2026-06-20')).status).toBe(200);
  });

  it('decides by instant runoff at the close, with the rounds in the results and the message', async () => {
    // owner: A. u1: A>C (stored). u2: B>C. u3: C. u4: C.
    // Round 1: A 2, B 1, C 2, D 0 of 5: no majority, D goes. Round 2: B goes, its ballot moves to C.
    // Round 3: C 3 of 5 wins — plurality would have had A and C level.
    await body(await putBallot(owner, [a.id]), 200);
    await body(await putBallot(u2, [b.id, c.id]), 200);
    await body(await putBallot(u3, [c.id]), 200);
    await body(await putBallot(u4, [c.id]), 200);
    const open = await results(u1);
    expect(open).toMatchObject({ method: 'ranked', voters: 5, rounds: [] });
    expect(open.suggestions.find((s) => s.id === a.id)?.votes).toBe(2);
    expect([...open.winners].sort()).toEqual([a.id, c.id].sort());

    const closed = await closeNow(t, owner, group.id, day);
    expect(closed.winner).toEqual({ suggestionId: c.id, gameName: 'Charlie', votes: 3, decidedBy: 'votes' });
    expect(closed.noWinnerReason).toBeNull();
    const r = await results(u2);
    expect(r.winners).toEqual([c.id]);
    expect(r.rounds).toEqual([
      { counts: { [a.id]: 2, [b.id]: 1, [c.id]: 2, [d.id]: 0 }, eliminated: d.id },
      { counts: { [a.id]: 2, [b.id]: 1, [c.id]: 2 }, eliminated: b.id },
      { counts: { [a.id]: 2, [c.id]: 3 }, eliminated: null },
    ]);

    // After the close the ballot is refused.
    const late = await putBallot(u1, [b.id]);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'voting_closed' });

    await new WebhookWorker(t.services).runOnce(new Date('2026-06-10T08:01:00Z'));
    const winner = contents().find((m) => m.includes('🏆'));
    expect(winner).toContain('**Charlie** with 3 votes in the last of 3 instant-runoff rounds');
  });
});

describe('hidden results on a ranked night', () => {
  const hday = '2026-06-12';
  let x: { id: string };
  let y: { id: string };

  beforeAll(async () => {
    expect((await patchDefaults(t, owner, group.id, { method: 'ranked', resultsVisibility: 'after_close' })).status).toBe(200);
    x = await suggestOn(t, u1, group.id, hday, 'Xray');
    // Hidden lists come in the order suggested: one second apart, so the order is not left to the ids.
    clock.set('2026-06-10T08:00:01Z');
    y = await suggestOn(t, u2, group.id, hday, 'Yankee');
  });

  it('shows no first choices, leader or rounds anywhere before the close', async () => {
    events.length = 0;
    fake.webhooks.length = 0;
    for (const u of [u1, u2, u3]) await body(await putBallot(u, [y.id, x.id], hday), 200);
    // Results: only how many voted.
    expect(await results(u4, hday)).toEqual({
      date: hday,
      method: 'ranked',
      voters: 3,
      suggestions: [
        { id: x.id, gameName: 'Xray', votes: null },
        { id: y.id, gameName: 'Yankee', votes: null },
      ],
      winners: [],
      rounds: [],
    });
    // Lists: no tallies.
    const list = await body<Array<{ votes: number | null; voters: unknown[] }>>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${hday}`, { cookie: u4.cookie }),
      200,
    );
    expect(list.map((s) => [s.votes, s.voters])).toEqual([
      [null, []],
      [null, []],
    ]);
    // The night and its live events: nothing decided, no ranking.
    expect(await getNight(t, u4, group.id, hday)).toMatchObject({ status: 'open', winner: null, tied: [], voters: 3 });
    expect(events.map((e) => e.type)).toEqual(['night_updated', 'night_updated', 'night_updated']);
    for (const e of events) expect(JSON.stringify(e.data)).not.toContain(y.id);
    // Discord: suggestion announcements and the reminder carry no count, leader or round.
    await new NightCloser(t.services).runOnce(new Date('2026-06-12T18:31:00Z'));
    await new WebhookWorker(t.services).runOnce(new Date('2026-06-12T18:31:00Z'));
    expect(contents().length).toBeGreaterThanOrEqual(3);
    for (const m of contents()) expect(m).not.toMatch(/\d+ votes?|approval|round|leads?/i);
    // The calendar feed: "voting until", no game.
    const feed = await t.request('/api/users/me/calendar', { method: 'POST', cookie: u4.cookie });
    const { url } = (await feed.json()) as { url: string };
    const ics = await (await t.request(new URL(url).pathname)).text();
    const summaries = new ICAL.Component(ICAL.parse(ics) as unknown[])
      .getAllSubcomponents('vevent')
      .map((v) => String(v.getFirstPropertyValue('summary')));
    const mine = summaries.find((s) => s.includes('voting until'));
    expect(mine).toBeDefined();
    expect(summaries.join('\n')).not.toContain('Yankee');
  });

  it('shows everything after the close', async () => {
    const closed = await closeNow(t, owner, group.id, hday);
    expect(closed.winner).toMatchObject({ suggestionId: y.id, votes: 3, decidedBy: 'votes' });
    const r = await results(u4, hday);
    expect(r.rounds).toEqual([{ counts: { [x.id]: 0, [y.id]: 3 }, eliminated: null }]);
    expect(r.winners).toEqual([y.id]);
  });
});
