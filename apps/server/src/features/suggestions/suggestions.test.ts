import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { addDays } from '../../lib/time.ts';
import { NightCloser } from '../nights/index.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let outsider: TestUser;
let group: TestGroup;
const events: GroupEvent[] = [];
/**
 * The file runs at a fixed morning instant (10:00 in Berlin): today's game night (voting closes at 19:30
 * by default) is open, whatever the real time of day.
 */
const NOW = '2026-06-10T08:00:00Z';
const today = '2026-06-10';

/** A ManualClock that moves on by 1 ms per reading, so votes and suggestions keep their order. */
class SteppingClock extends ManualClock {
  override now(): Date {
    const d = super.now();
    this.set(d.getTime() + 1);
    return d;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = new SteppingClock(NOW);
  t.services.hub.onEvent((e) => events.push(e));
  [owner, admin, alice, bob, outsider] = await Promise.all([createUser(t), createUser(t), createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Suggest', timezone: 'Europe/Berlin' });
  await addMembers(t, group.id, owner, [admin], 'admin');
  await addMembers(t, group.id, owner, [alice, bob]);
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  t.services.clock = new SteppingClock(NOW);
});

interface SuggestionBody {
  id: string;
  gameName: string;
  game?: { id: string } | null;
  date: string;
  suggestedBy: { id: string; username: string } | null;
  votes: number;
  votedByMe: boolean;
  voters: Array<{ id: string; username: string; avatarUrl: string | null }>;
  createdAt: string;
}

async function suggest(user: TestUser, gameName: string, date?: string, groupId = group.id) {
  return t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, ...(date ? { date } : {}) }, cookie: user.cookie });
}
async function suggestOk(user: TestUser, gameName: string, date?: string, groupId = group.id): Promise<SuggestionBody> {
  const res = await suggest(user, gameName, date, groupId);
  expect(res.status).toBe(201);
  return (await res.json()) as SuggestionBody;
}
const vote = (user: TestUser, id: string) => t.request(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: user.cookie });
const unvote = (user: TestUser, id: string) => t.request(`/api/suggestions/${id}/votes`, { method: 'DELETE', cookie: user.cookie });

describe('POST /api/groups/:groupId/suggestions', () => {
  it('creates a suggestion for today in the group timezone, normalising the name', async () => {
    const s = await suggestOk(alice, '  Rocket   League ');
    // A suggestion is its suggester's approval (docs/api.md "Game nights").
    expect(s).toMatchObject({
      gameName: 'Rocket League',
      date: today,
      suggestedBy: { id: alice.id, username: alice.username },
      votes: 1,
      votedByMe: true,
      voters: [{ id: alice.id, username: alice.username, avatarUrl: null }],
    });
    expect(events.at(-1)).toMatchObject({
      type: 'suggestion_created',
      groupId: group.id,
      data: { id: s.id, gameName: 'Rocket League', votes: 1, votedByMe: false },
    });
    // The approval and the suggestion were written together: taking it back works like any approval.
    expect((await unvote(alice, s.id)).status).toBe(204);
    expect((await vote(alice, s.id)).status).toBe(201);
  });

  it('answers 409 duplicate_suggestion with the existing id (case and space insensitive)', async () => {
    const first = await suggestOk(alice, 'Among Us', addDays(today, 1));
    const res = await suggest(bob, 'among   US', addDays(today, 1));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'duplicate_suggestion', details: { suggestionId: first.id } });
    // Another day is another suggestion.
    await suggestOk(bob, 'Among Us', addDays(today, 2));
  });

  it('lets the unique index decide when two people race with the same game', async () => {
    const results = await Promise.all([alice, bob, admin, owner].map((u) => suggest(u, 'Race Game', addDays(today, 3))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const winner = (await results.find((r) => r.status === 201)!.json()) as SuggestionBody;
    for (const r of results.filter((x) => x.status === 409)) {
      expect(await r.json()).toMatchObject({ details: { suggestionId: winner.id } });
    }
  });

  it('takes suggestions while the night is open and before closesAt; refuses closed, cancelled and far-ahead dates', async () => {
    // Yesterday no longer stays open: its night closed at 19:30 yesterday (Berlin).
    const yesterday = await suggest(alice, 'Yesterday too late', addDays(today, -1));
    expect(yesterday.status).toBe(409);
    expect(await yesterday.json()).toMatchObject({
      code: 'voting_closed',
      details: { date: addDays(today, -1), closesAt: '2026-06-09T17:30:00.000Z' },
    });
    const closed = await suggest(alice, 'Too late', addDays(today, -2));
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ code: 'voting_closed' });
    // Today: until 19:30 in Berlin (CEST, 17:30 UTC), not a second later.
    t.services.clock = new ManualClock('2026-06-10T17:29:59Z');
    expect((await suggest(alice, 'Just in time')).status).toBe(201);
    t.services.clock = new ManualClock('2026-06-10T17:30:00Z');
    const late = await suggest(alice, 'One second late');
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'voting_closed', details: { date: today } });
    t.services.clock = new SteppingClock(NOW);
    // Planning ahead: 60 days, not 61.
    expect((await suggest(alice, 'Two months', addDays(today, 60))).status).toBe(201);
    const far = await suggest(alice, 'Too far', addDays(today, 61));
    expect(far.status).toBe(400);
    expect(await far.json()).toMatchObject({ code: 'invalid_input', details: { date: expect.stringContaining('60 days') } });
    // A cancelled night takes nothing.
    const cancelledDay = addDays(today, 20);
    const cancel = await t.request(`/api/groups/${group.id}/nights/${cancelledDay}`, {
      method: 'PATCH',
      json: { status: 'cancelled' },
      cookie: admin.cookie,
    });
    expect(cancel.status).toBe(200);
    const cancelled = await suggest(alice, 'Cancelled night', cancelledDay);
    expect(cancelled.status).toBe(409);
    expect(await cancelled.json()).toMatchObject({ code: 'night_cancelled' });
  });

  it.each([
    [{}, 'gameName'],
    [{ gameName: '' }, 'gameName'],
    [{ gameName: '    ' }, 'gameName'],
    [{ gameName: 'x'.repeat(101) }, 'gameName'],
    [{ gameName: 'tab\there' }, 'gameName'],
    [{ gameName: 'rtl\u202eoverride' }, 'gameName'],
    [{ gameName: 42 }, 'gameName'],
    [{ gameName: 'ok', date: '2026-02-30' }, 'date'],
    [{ gameName: 'ok', date: '26-11-2026' }, 'date'],
    [{ gameName: 'ok', userId: 'x' }, 'userId'],
    [{ gameName: 'ok', groupId: 'x' }, 'groupId'],
    [{ gameName: 'ok', votes: 99 }, 'votes'],
  ])('refuses %j with a message for %s', async (json, field) => {
    const res = await t.request(`/api/groups/${group.id}/suggestions`, { json, cookie: alice.cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(body.details[field]).toBeTruthy();
  });

  it('stores SQL metacharacters and markup literally', async () => {
    const names = [`Robert'); DROP TABLE suggestions;--`, `<script>alert(1)</script>`, `"%_\\ OR 1=1`, `<img src=x onerror=alert(1)>`];
    const day = addDays(today, 4);
    for (const name of names) expect((await suggestOk(alice, name, day)).gameName).toBe(name);
    const list = (await (
      await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: alice.cookie })
    ).json()) as SuggestionBody[];
    expect(list.map((s) => s.gameName).sort()).toEqual([...names].sort());
  });
});

describe('votes', () => {
  it('approves once (201), refuses twice (409), takes back (204) and 404 when there was none', async () => {
    const s = await suggestOk(alice, 'Vote me', addDays(today, 5));
    const first = await vote(bob, s.id);
    expect(first.status).toBe(201);
    // Alice's suggestion is her approval: Bob's is the second.
    expect(await first.json()).toEqual({ suggestionId: s.id, votes: 2 });
    expect(events.at(-1)).toEqual({
      type: 'vote_updated',
      groupId: group.id,
      data: {
        suggestionId: s.id,
        votes: 2,
        voters: [
          { id: alice.id, username: alice.username, avatarUrl: null },
          { id: bob.id, username: bob.username, avatarUrl: null },
        ],
      },
    });
    const again = await vote(bob, s.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'already_voted' });
    // The suggester has approved already.
    expect((await vote(alice, s.id)).status).toBe(409);
    expect(await (await vote(admin, s.id)).json()).toEqual({ suggestionId: s.id, votes: 3 });
    expect((await unvote(bob, s.id)).status).toBe(204);
    expect(events.at(-1)).toMatchObject({ type: 'vote_updated', data: { suggestionId: s.id, votes: 2 } });
    const none = await unvote(bob, s.id);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: 'vote_not_found' });
    expect((await vote(outsider, s.id)).status).toBe(404);
    expect((await vote(alice, 'no-such-id')).status).toBe(404);
  });

  it('counts votes in the metrics', async () => {
    const before = (await t.services.metrics.votes.get()).values[0]?.value ?? 0;
    const s = await suggestOk(alice, 'Metric game', addDays(today, 5));
    // The suggester's approval counts as a vote too.
    expect((await t.services.metrics.votes.get()).values[0]?.value).toBe(before + 1);
    await vote(bob, s.id);
    expect((await t.services.metrics.votes.get()).values[0]?.value).toBe(before + 2);
  });

  it('refuses votes (and taking them back) once the night’s deadline has passed', async () => {
    const s = await suggestOk(alice, 'Old game');
    expect((await vote(bob, s.id)).status).toBe(201);
    // 19:30 in Berlin: the deadline, even before the closer has closed the night.
    t.services.clock = new ManualClock('2026-06-10T17:30:00Z');
    const res = await vote(admin, s.id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'voting_closed' });
    expect((await unvote(bob, s.id)).status).toBe(409);
    // Once the closer has closed it, the same.
    await new NightCloser(t.services).runOnce();
    expect((await vote(owner, s.id)).status).toBe(409);
  });
});

describe('GET /api/groups/:groupId/suggestions', () => {
  it('sorts by votes then age and shows voters and votedByMe per viewer', async () => {
    const day = addDays(today, 6);
    // Each suggestion starts with its suggester's approval.
    const a = await suggestOk(alice, 'A game', day);
    const b = await suggestOk(bob, 'B game', day);
    const c = await suggestOk(admin, 'C game', day);
    await vote(alice, b.id);
    await vote(owner, b.id);
    await vote(bob, c.id);
    const res = await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: bob.cookie });
    expect(res.status).toBe(200);
    const list = (await res.json()) as SuggestionBody[];
    expect(list.map((s) => [s.id, s.votes, s.votedByMe])).toEqual([
      [b.id, 3, true],
      [c.id, 2, true],
      [a.id, 1, false],
    ]);
    expect(list[0]!.voters.map((v) => v.id)).toEqual([bob.id, alice.id, owner.id]);
    expect(list[0]!.suggestedBy).toEqual({ id: bob.id, username: bob.username });
    const asAlice = (await (
      await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: alice.cookie })
    ).json()) as SuggestionBody[];
    expect(asAlice.map((s) => s.votedByMe)).toEqual([true, false, true]);
  });

  it('defaults to today and answers [] for an empty day; 400 for a bad date', async () => {
    const list = (await (await t.request(`/api/groups/${group.id}/suggestions`, { cookie: alice.cookie })).json()) as SuggestionBody[];
    expect(list.every((s) => s.date === today)).toBe(true);
    expect(await (await t.request(`/api/groups/${group.id}/suggestions?date=2001-01-01`, { cookie: alice.cookie })).json()).toEqual([]);
    expect((await t.request(`/api/groups/${group.id}/suggestions?date=yesterday`, { cookie: alice.cookie })).status).toBe(400);
  });
});

describe('DELETE /api/suggestions/:id', () => {
  it('lets the suggester or an admin delete (votes go with it), not another member', async () => {
    const day = addDays(today, 7);
    const mine = await suggestOk(alice, 'Mine', day);
    await vote(bob, mine.id);
    expect((await t.request(`/api/suggestions/${mine.id}`, { method: 'DELETE', cookie: bob.cookie })).status).toBe(403);
    expect((await t.request(`/api/suggestions/${mine.id}`, { method: 'DELETE', cookie: outsider.cookie })).status).toBe(404);
    expect((await t.request(`/api/suggestions/${mine.id}`, { method: 'DELETE', cookie: alice.cookie })).status).toBe(204);
    expect(events.at(-1)).toEqual({ type: 'suggestion_deleted', groupId: group.id, data: { suggestionId: mine.id } });
    const votesLeft = await t.services.database.db.select().from(schema.votes).where(eq(schema.votes.suggestionId, mine.id)).all();
    expect(votesLeft).toEqual([]);
    const theirs = await suggestOk(bob, 'Theirs', day);
    expect((await t.request(`/api/suggestions/${theirs.id}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(204);
    expect((await t.request(`/api/suggestions/${theirs.id}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(404);
  });
});

describe('results and history', () => {
  it('reports the tally, all tied winners and distinct voters', async () => {
    const day = addDays(today, 8);
    const x = await suggestOk(alice, 'X', day);
    const y = await suggestOk(alice, 'Y', day);
    const z = await suggestOk(alice, 'Z', day);
    // Only the suggester's own approvals so far: a three-way tie, one voter.
    const start = (await (await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: bob.cookie })).json()) as {
      winners: string[];
    };
    expect(start).toMatchObject({ date: day, voters: 1, winners: [x.id, y.id, z.id] });
    await vote(bob, x.id);
    await vote(bob, y.id);
    await vote(admin, y.id);
    await vote(owner, z.id);
    await unvote(alice, y.id);
    const res = await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: bob.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { date: string; voters: number; suggestions: unknown[]; winners: string[] };
    expect(body).toEqual({
      date: day,
      voters: 4,
      suggestions: [
        { id: x.id, gameName: 'X', votes: 2 },
        { id: y.id, gameName: 'Y', votes: 2 },
        { id: z.id, gameName: 'Z', votes: 2 },
      ],
      winners: [x.id, y.id, z.id],
      method: 'approval',
      rounds: [],
    });
    await unvote(alice, z.id);
    const after = (await (await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: bob.cookie })).json()) as {
      suggestions: Array<{ votes: number }>;
      winners: string[];
    };
    expect(after.winners).toEqual([x.id, y.id]);
    for (const bad of ['2026-02-30', 'today', '2026-1-1']) {
      const res400 = await t.request(`/api/groups/${group.id}/results?date=${bad}`, { cookie: bob.cookie });
      expect(res400.status).toBe(400);
      expect(await res400.json()).toMatchObject({ code: 'invalid_input', details: { date: expect.any(String) } });
    }
    const none = await t.request(`/api/groups/${group.id}/results?date=1999-01-01`, { cookie: bob.cookie });
    expect(await none.json()).toEqual({ date: '1999-01-01', method: 'approval', voters: 0, suggestions: [], winners: [], rounds: [] });
  });

  it('lists one row per closed night with its winner and decidedBy, newest first, within the range', async () => {
    const h = await createGroup(t, owner, { name: 'History', timezone: 'UTC' });
    await addMembers(t, h.id, owner, [alice, bob]);
    const start = new Date('2026-03-10T12:00:00Z');
    t.services.clock = new ManualClock(start);
    const d1 = '2026-03-10';
    const a = await suggestOk(alice, 'Alpha', d1, h.id);
    const b = await suggestOk(bob, 'Beta', d1, h.id);
    await vote(bob, a.id);
    expect((await vote(bob, b.id)).status).toBe(409); // his own suggestion: approved already
    expect(
      (await t.request(`/api/groups/${h.id}/nights/${d1}/rsvp`, { method: 'PUT', json: { status: 'in' }, cookie: bob.cookie })).status,
    ).toBe(200);
    t.services.clock = new ManualClock('2026-03-11T12:00:00Z');
    const c = await suggestOk(alice, 'Gamma', '2026-03-11', h.id);
    const d = await suggestOk(alice, 'Delta', '2026-03-11', h.id);
    await vote(bob, c.id);
    await vote(bob, d.id);
    t.services.clock = new ManualClock('2026-03-12T12:00:00Z');
    const quiet = await suggestOk(bob, 'Nobody voted', '2026-03-12', h.id);
    expect((await unvote(bob, quiet.id)).status).toBe(204);
    t.services.clock = new ManualClock('2026-03-13T12:00:00Z');
    // Tonight (13th) is still open: not history yet.
    await suggestOk(alice, 'Still open', '2026-03-13', h.id);
    expect(await new NightCloser(t.services).runOnce()).toMatchObject({ closed: 3, failed: 0 });

    const res = await t.request(`/api/groups/${h.id}/history`, { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const rows = (await res.json()) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.date)).toEqual(['2026-03-12', '2026-03-11', '2026-03-10']);
    expect(rows[0]).toEqual({ date: '2026-03-12', winners: [], suggestions: 1, voters: 0, winner: null, decidedBy: null, in: [] });
    // A tie (2 each), broken at random: the winner is one of the two and says how it was decided.
    expect(rows[1]).toMatchObject({
      date: '2026-03-11',
      winners: [
        { id: d.id, gameName: 'Delta', votes: 2 },
        { id: c.id, gameName: 'Gamma', votes: 2 },
      ],
      suggestions: 2,
      voters: 2,
      decidedBy: 'random',
      winner: { gameName: expect.stringMatching(/^(Gamma|Delta)$/), votes: 2, decidedBy: 'random' },
      in: [],
    });
    expect(rows[2]).toEqual({
      date: '2026-03-10',
      winners: [{ id: a.id, gameName: 'Alpha', votes: 2 }],
      suggestions: 2,
      voters: 2,
      winner: { suggestionId: a.id, gameId: a.game?.id, gameName: 'Alpha', votes: 2, decidedBy: 'votes' },
      decidedBy: 'votes',
      in: [{ id: bob.id, username: bob.username, avatarUrl: null }],
    });
    const ranged = await t.request(`/api/groups/${h.id}/history?from=2026-03-11&to=2026-03-11`, { cookie: alice.cookie });
    expect(((await ranged.json()) as Array<{ date: string }>).map((r) => r.date)).toEqual(['2026-03-11']);
    for (const q of ['from=2026-03-12&to=2026-03-11', 'from=2024-01-01&to=2026-01-01', 'from=nope', 'to=2026-13-01']) {
      const bad = await t.request(`/api/groups/${h.id}/history?${q}`, { cookie: alice.cookie });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'invalid_input' });
    }
  });
});
