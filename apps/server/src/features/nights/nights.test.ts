/**
 * Game nights through the real API (docs/api.md "Game nights"): virtual nights from the defaults,
 * start/deadline instants in the group's timezone across DST, the 60-day limit, admin edits (and who
 * may make them), close / reopen, RSVPs, nudges, and rescheduling when the defaults change. The clock
 * is a ManualClock: deadlines are decided at chosen instants, never by waiting.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent, UserEvent } from '../../lib/hub.ts';
import { addDays } from '../../lib/time.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import type { NightDto } from './data.ts';
import { approve, body, closeNow, getNight, nightPath, patchDefaults, rsvp, suggestOn } from './test-helpers.ts';

let t: TestApp;
let owner: TestUser;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let outsider: TestUser;
let group: TestGroup;
let other: TestGroup;
const clock = new ManualClock('2026-06-10T08:00:00Z'); // 10:00 in Berlin (CEST)
const today = '2026-06-10';
const events: GroupEvent[] = [];
const userEvents: UserEvent[] = [];

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  t.services.hub.onEvent((e) => events.push(e));
  t.services.hub.onUserEvent((e) => userEvents.push(e));
  [owner, admin, alice, bob, outsider] = (await Promise.all([1, 2, 3, 4, 5].map(() => createUser(t)))) as [
    TestUser,
    TestUser,
    TestUser,
    TestUser,
    TestUser,
  ];
  group = await createGroup(t, owner, { name: 'Nights', timezone: 'Europe/Berlin' });
  await addMembers(t, group.id, owner, [admin], 'admin');
  await addMembers(t, group.id, owner, [alice, bob]);
  other = await createGroup(t, outsider, { name: 'Elsewhere', timezone: 'UTC' });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  clock.set('2026-06-10T08:00:00Z');
});

const user = (u: TestUser) => ({ id: u.id, username: u.username, avatarUrl: null });
const byName = (list: TestUser[]) => [...list].sort((a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase()));

async function nightRow(groupId: string, day: string) {
  return t.services.database.db
    .select()
    .from(schema.nights)
    .where(and(eq(schema.nights.groupId, groupId), eq(schema.nights.day, day)))
    .get();
}

async function patchNight(u: TestUser, day: string, json: unknown, groupId = group.id) {
  return t.request(nightPath(groupId, day), { method: 'PATCH', json, cookie: u.cookie });
}

describe('GET /nights/:date', () => {
  it('answers a virtual night from the group defaults, without writing a row', async () => {
    const night = await getNight(t, alice, group.id, today);
    expect(night).toEqual({
      groupId: group.id,
      date: today,
      startsAt: '2026-06-10T18:00:00.000Z', // 20:00 CEST
      closesAt: '2026-06-10T17:30:00.000Z', // 30 minutes before
      status: 'open',
      method: 'approval',
      vetoes: 0,
      tieBreak: 'random',
      resultsVisibility: 'live',
      winner: null,
      tied: [],
      tieBreakSeed: null,
      noWinnerReason: null,
      rsvps: { in: [], maybe: [], out: [] },
      myRsvp: null,
      voters: 0,
      notVoted: byName([owner, admin, alice, bob]).map(user),
      closedAt: null,
    });
    expect(await nightRow(group.id, today)).toBeUndefined();
  });

  it('shows a past night nobody touched as closed without a winner', async () => {
    const night = await getNight(t, alice, group.id, '2026-06-01');
    expect(night).toMatchObject({ status: 'closed', winner: null, closedAt: '2026-06-01T17:30:00.000Z' });
  });

  it('is 404 for other groups and non-members, 401 signed out, 400 for a bad or far date', async () => {
    expect((await t.request(nightPath(group.id, today), { cookie: outsider.cookie })).status).toBe(404);
    expect((await t.request(nightPath(other.id, today), { cookie: alice.cookie })).status).toBe(404);
    expect((await t.request(nightPath(group.id, today))).status).toBe(401);
    for (const bad of ['2026-02-30', 'tonight', '2026-6-1']) {
      const res = await t.request(nightPath(group.id, bad), { cookie: alice.cookie });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_input', details: { date: expect.any(String) } });
    }
    expect((await t.request(nightPath(group.id, addDays(today, 60)), { cookie: alice.cookie })).status).toBe(200);
    const far = await t.request(nightPath(group.id, addDays(today, 61)), { cookie: alice.cookie });
    expect(far.status).toBe(400);
    expect(await far.json()).toMatchObject({
      code: 'invalid_input',
      details: { date: expect.stringMatching(/at most 60 days ahead.*2026-08-09/) },
    });
  });
});

describe('start and deadline across DST changes (group timezone, server in Pacific/Auckland)', () => {
  it('Europe/Berlin: the spring-forward and fall-back days keep 20:00 local', async () => {
    const berlin = await createGroup(t, owner, { name: 'Berlin', timezone: 'Europe/Berlin' });
    clock.set('2026-03-20T08:00:00Z');
    // Materialised by a suggestion on the switch day, and virtual the day before.
    await suggestOn(t, owner, berlin.id, '2026-03-29', 'Switch day game');
    expect(await getNight(t, owner, berlin.id, '2026-03-28')).toMatchObject({
      startsAt: '2026-03-28T19:00:00.000Z', // CET, UTC+1
      closesAt: '2026-03-28T18:30:00.000Z',
    });
    expect(await getNight(t, owner, berlin.id, '2026-03-29')).toMatchObject({
      startsAt: '2026-03-29T18:00:00.000Z', // CEST, UTC+2 since 02:00 that morning
      closesAt: '2026-03-29T17:30:00.000Z',
    });
    expect((await nightRow(berlin.id, '2026-03-29'))?.startsAt.toISOString()).toBe('2026-03-29T18:00:00.000Z');
    clock.set('2026-10-20T08:00:00Z');
    expect(await getNight(t, owner, berlin.id, '2026-10-25')).toMatchObject({ startsAt: '2026-10-25T19:00:00.000Z' });
  });

  it('America/Los_Angeles: the switch day, and a deadline that falls on the other side of midnight UTC', async () => {
    const la = await createGroup(t, owner, { name: 'LA', timezone: 'America/Los_Angeles' });
    clock.set('2026-03-01T20:00:00Z');
    await suggestOn(t, owner, la.id, '2026-03-08', 'Switch day game');
    expect(await getNight(t, owner, la.id, '2026-03-07')).toMatchObject({
      startsAt: '2026-03-08T04:00:00.000Z', // PST, UTC-8
      closesAt: '2026-03-08T03:30:00.000Z',
    });
    expect(await getNight(t, owner, la.id, '2026-03-08')).toMatchObject({
      startsAt: '2026-03-09T03:00:00.000Z', // PDT, UTC-7
      closesAt: '2026-03-09T02:30:00.000Z',
    });
    // A start time inside the skipped hour moves forward by the gap; the deadline keeps its 30 minutes.
    expect((await patchDefaults(t, owner, la.id, { startTime: '02:30' })).status).toBe(200);
    expect(await getNight(t, owner, la.id, '2026-03-08')).toMatchObject({
      startsAt: '2026-03-08T10:30:00.000Z', // = 03:30 PDT
      closesAt: '2026-03-08T10:00:00.000Z',
    });
  });
});

describe('GET /nights?from&to', () => {
  it('lists the nights that have a row in the range, by date; 400 past 366 days or backwards', async () => {
    const g = await createGroup(t, owner, { name: 'Listing', timezone: 'UTC' });
    await addMembers(t, g.id, owner, [alice]);
    await suggestOn(t, alice, g.id, addDays(today, 2), 'Later');
    await rsvp(t, alice, g.id, today, 'maybe');
    await body(await patchNight(owner, addDays(today, 5), { status: 'cancelled' }, g.id), 200);
    const list = await body<NightDto[]>(await t.request(`/api/groups/${g.id}/nights`, { cookie: alice.cookie }), 200);
    expect(list.map((n) => [n.date, n.status])).toEqual([
      [today, 'open'],
      [addDays(today, 2), 'open'],
      [addDays(today, 5), 'cancelled'],
    ]);
    expect(list[0]).toMatchObject({ myRsvp: 'maybe', rsvps: { maybe: [user(alice)] } });
    expect(list[1]).toMatchObject({ voters: 1, notVoted: [user(owner)] });
    const ranged = await body<NightDto[]>(
      await t.request(`/api/groups/${g.id}/nights?from=${addDays(today, 1)}&to=${addDays(today, 3)}`, { cookie: alice.cookie }),
      200,
    );
    expect(ranged.map((n) => n.date)).toEqual([addDays(today, 2)]);
    for (const q of [`from=${today}&to=${addDays(today, -1)}`, `from=2025-01-01&to=2026-06-10`, 'from=nope']) {
      const bad = await t.request(`/api/groups/${g.id}/nights?${q}`, { cookie: alice.cookie });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'invalid_input' });
    }
    expect((await t.request(`/api/groups/${g.id}/nights?from=2025-06-10&to=2026-06-10`, { cookie: alice.cookie })).status).toBe(200);
    expect((await t.request(`/api/groups/${g.id}/nights`, { cookie: outsider.cookie })).status).toBe(404);
  });
});

describe('PATCH /nights/:date (admin)', () => {
  it('moves a night: times edited by hand, reminder follows the deadline, night_updated published', async () => {
    const day = addDays(today, 3);
    const res = await patchNight(admin, day, { startsAt: `${day}T19:00:00Z`, closesAt: `${day}T18:00:00+00:00` });
    const night = await body<NightDto>(res, 200);
    expect(night).toMatchObject({ startsAt: `${day}T19:00:00.000Z`, closesAt: `${day}T18:00:00.000Z`, status: 'open' });
    const row = await nightRow(group.id, day);
    expect(row).toMatchObject({ timesEdited: true });
    expect(row?.remindAt?.toISOString()).toBe(`${day}T17:00:00.000Z`);
    expect(events.at(-1)).toMatchObject({ type: 'night_updated', groupId: group.id, data: { date: day, myRsvp: null } });
    // Moving only the start keeps the deadline.
    expect(await body<NightDto>(await patchNight(admin, day, { startsAt: `${day}T21:00:00Z` }), 200)).toMatchObject({
      startsAt: `${day}T21:00:00.000Z`,
      closesAt: `${day}T18:00:00.000Z`,
    });
  });

  it('answers 400 for a deadline after the start, an open night with a past deadline, bad instants and unknown fields', async () => {
    const day = addDays(today, 4);
    const cases: Array<[unknown, string]> = [
      [{ closesAt: `${day}T19:00:00Z` }, 'closesAt'], // after the default 18:00Z start
      [{ startsAt: `${day}T17:00:00Z` }, 'closesAt'], // start moved before the 17:30Z deadline
      [{ closesAt: '2026-06-10T07:59:00Z' }, 'closesAt'], // in the past
      [{ closesAt: 'tomorrow evening' }, 'closesAt'],
      [{ startsAt: '2026-06-14 18:00' }, 'startsAt'],
      [{ status: 'closed' }, 'status'],
      [{ winner: 'x' }, 'winner'],
    ];
    for (const [json, field] of cases) {
      const res = await patchNight(admin, day, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as { details: Record<string, string> }).details[field]).toBeTruthy();
    }
    expect(await nightRow(group.id, day)).toBeUndefined();
  });

  it('is 403 for members (logged as a security event), 404 for outsiders and other groups', async () => {
    const day = addDays(today, 6);
    const denied = await patchNight(alice, day, { status: 'cancelled' });
    expect(denied.status).toBe(403);
    const logged = await t.services.database.db
      .select()
      .from(schema.securityEvents)
      .where(and(eq(schema.securityEvents.type, 'permission_denied'), eq(schema.securityEvents.userId, alice.id)))
      .all();
    expect(logged.map((e) => JSON.parse(e.detail ?? '{}') as { route: string })).toContainEqual(
      expect.objectContaining({ route: '/api/groups/:groupId/nights/:date' }),
    );
    for (const action of ['close', 'reopen', 'pick']) {
      const json = action === 'reopen' ? { closesAt: `${day}T12:00:00Z` } : action === 'pick' ? { suggestionId: 'x' } : undefined;
      const res = await t.request(nightPath(group.id, day, action), { method: 'POST', ...(json ? { json } : {}), cookie: bob.cookie });
      expect(res.status, action).toBe(403);
    }
    expect((await patchNight(outsider, day, { status: 'cancelled' })).status).toBe(404);
    // An admin of this group editing another group's night: not found, like any foreign id.
    expect((await patchNight(admin, day, { status: 'cancelled' }, other.id)).status).toBe(404);
    expect((await t.request(nightPath(other.id, day, 'close'), { method: 'POST', cookie: owner.cookie })).status).toBe(404);
    expect((await getNight(t, owner, group.id, day)).status).toBe('open');
  });

  it('cancels a night (no suggestions, votes or RSVPs: 409 night_cancelled) and opens it again', async () => {
    const day = addDays(today, 7);
    const s = await suggestOn(t, alice, group.id, day, 'Cancelled game');
    expect(await body<NightDto>(await patchNight(admin, day, { status: 'cancelled' }), 200)).toMatchObject({ status: 'cancelled' });
    for (const res of [
      await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Nope', date: day }, cookie: bob.cookie }),
      await t.request(`/api/suggestions/${s.id}/votes`, { method: 'POST', cookie: bob.cookie }),
      await t.request(nightPath(group.id, day, 'rsvp'), { method: 'PUT', json: { status: 'in' }, cookie: bob.cookie }),
      await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: bob.cookie }),
      await t.request(nightPath(group.id, day, 'close'), { method: 'POST', cookie: admin.cookie }),
    ]) {
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'night_cancelled' });
    }
    expect(await body<NightDto>(await patchNight(admin, day, { status: 'open' }), 200)).toMatchObject({ status: 'open' });
    await approve(t, bob, s.id);
  });
});

describe('close and reopen (admin)', () => {
  it('closes now with the winner, publishes night_closed, notifies members who are not out; 409 when closed', async () => {
    const day = addDays(today, 8);
    const a = await suggestOn(t, alice, group.id, day, 'Portal 2');
    await suggestOn(t, bob, group.id, day, 'Tetris');
    await approve(t, owner, a.id);
    await rsvp(t, bob, group.id, day, 'out');
    userEvents.length = 0;
    const closed = await closeNow(t, admin, group.id, day);
    expect(closed).toMatchObject({
      status: 'closed',
      winner: { suggestionId: a.id, gameName: 'Portal 2', votes: 2, decidedBy: 'votes' },
      tied: [],
      tieBreakSeed: null,
      method: 'approval',
      tieBreak: 'random',
      resultsVisibility: 'live',
      closedAt: '2026-06-10T08:00:00.000Z',
    });
    expect(events.at(-1)).toMatchObject({ type: 'night_closed', groupId: group.id, data: { date: day, status: 'closed' } });
    expect((await nightRow(group.id, day))?.closeCount).toBe(1);
    const notified = await t.services.database.db
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.kind, 'night_closed'), eq(schema.notifications.day, day)))
      .all();
    expect(notified.map((n) => n.userId).sort()).toEqual([owner.id, admin.id, alice.id].sort());
    expect(notified[0]).toMatchObject({ title: 'Portal 2 wins 2026-06-18', url: `/groups/${group.id}?date=${day}` });
    expect(userEvents.map((e) => e.userId).sort()).toEqual([owner.id, admin.id, alice.id].sort());
    const again = await t.request(nightPath(group.id, day, 'close'), { method: 'POST', cookie: admin.cookie });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'night_closed' });
    // Closed: suggestions, votes and nudges are refused; RSVPs still count (who's in tonight).
    const late = await t.request(`/api/suggestions/${a.id}/votes`, { method: 'POST', cookie: bob.cookie });
    expect(await late.json()).toMatchObject({ code: 'voting_closed' });
    expect((await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: bob.cookie })).status).toBe(409);
    expect((await rsvp(t, bob, group.id, day, 'in')).myRsvp).toBe('in');
    // A new deadline on a closed night goes through /reopen.
    const moved = await patchNight(admin, day, { closesAt: `${day}T16:00:00Z` });
    expect(moved.status).toBe(409);
    expect(await moved.json()).toMatchObject({ code: 'night_closed' });
  });

  it('reopens before the start with a new deadline (decision cleared), not after it', async () => {
    const day = addDays(today, 9);
    const a = await suggestOn(t, alice, group.id, day, 'Hades');
    await closeNow(t, admin, group.id, day);
    const bad: Array<[unknown, number, string]> = [
      [{ closesAt: '2026-06-10T07:00:00Z' }, 400, 'invalid_input'],
      [{ closesAt: `${day}T19:00:00Z` }, 400, 'invalid_input'], // after the 18:00Z start
      [{}, 400, 'invalid_input'],
    ];
    for (const [json, status, code] of bad) {
      const res = await t.request(nightPath(group.id, day, 'reopen'), { method: 'POST', json, cookie: admin.cookie });
      expect(res.status, JSON.stringify(json)).toBe(status);
      expect(await res.json()).toMatchObject({ code });
    }
    const reopened = await body<NightDto>(
      await t.request(nightPath(group.id, day, 'reopen'), { method: 'POST', json: { closesAt: `${day}T17:00:00Z` }, cookie: admin.cookie }),
      200,
    );
    expect(reopened).toMatchObject({ status: 'open', winner: null, tied: [], closedAt: null, closesAt: `${day}T17:00:00.000Z` });
    expect(events.at(-1)).toMatchObject({ type: 'night_updated', data: { date: day, status: 'open' } });
    await approve(t, bob, a.id);
    const open = await t.request(nightPath(group.id, day, 'reopen'), {
      method: 'POST',
      json: { closesAt: `${day}T17:00:00Z` },
      cookie: admin.cookie,
    });
    expect(open.status).toBe(409);
    expect(await open.json()).toMatchObject({ code: 'night_open' });
    expect((await closeNow(t, admin, group.id, day)).winner).toMatchObject({ votes: 2 });
    expect((await nightRow(group.id, day))?.closeCount).toBe(2);
    // After the start: too late to reopen.
    clock.set(`${day}T18:00:00Z`);
    const started = await t.request(nightPath(group.id, day, 'reopen'), {
      method: 'POST',
      json: { closesAt: `${day}T18:30:00Z` },
      cookie: admin.cookie,
    });
    expect(started.status).toBe(409);
    expect(await started.json()).toMatchObject({ code: 'night_started' });
  });
});

describe('PUT /nights/:date/rsvp', () => {
  it('records in / maybe / out, publishes rsvp_updated, and keeps "out" members off notVoted', async () => {
    const day = addDays(today, 10);
    const night = await rsvp(t, alice, group.id, day, 'in');
    expect(night).toMatchObject({ myRsvp: 'in', rsvps: { in: [user(alice)], maybe: [], out: [] } });
    expect(events.at(-1)).toEqual({ type: 'rsvp_updated', groupId: group.id, data: { date: day, userId: alice.id, status: 'in' } });
    expect(await nightRow(group.id, day)).toBeDefined();
    const changed = await rsvp(t, alice, group.id, day, 'out');
    expect(changed).toMatchObject({ myRsvp: 'out', rsvps: { in: [], out: [user(alice)] } });
    expect(changed.notVoted.map((u) => u.id)).not.toContain(alice.id);
    expect((await getNight(t, bob, group.id, day)).myRsvp).toBeNull();
  });

  it('refuses past nights (409 night_past), bad answers (400) and non-members (404)', async () => {
    const past = await t.request(nightPath(group.id, addDays(today, -1), 'rsvp'), {
      method: 'PUT',
      json: { status: 'in' },
      cookie: alice.cookie,
    });
    expect(past.status).toBe(409);
    expect(await past.json()).toMatchObject({ code: 'night_past' });
    for (const json of [{ status: 'yes' }, {}, { status: 'in', userId: bob.id }]) {
      expect((await t.request(nightPath(group.id, today, 'rsvp'), { method: 'PUT', json, cookie: alice.cookie })).status).toBe(400);
    }
    expect(
      (await t.request(nightPath(group.id, today, 'rsvp'), { method: 'PUT', json: { status: 'in' }, cookie: outsider.cookie })).status,
    ).toBe(404);
  });
});

describe('POST /nights/:date/nudge', () => {
  it('notifies who has not voted (not the nudger), is audited, then 429 with Retry-After for 30 minutes', async () => {
    const day = addDays(today, 11);
    await suggestOn(t, alice, group.id, day, 'Nudge game');
    await rsvp(t, bob, group.id, day, 'maybe');
    userEvents.length = 0;
    const res = await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: alice.cookie });
    expect(res.status).toBe(202);
    const { nudged } = (await res.json()) as { nudged: string[] };
    expect(nudged.sort()).toEqual([owner.id, admin.id, bob.id].sort());
    const rows = await t.services.database.db
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.kind, 'nudge'), eq(schema.notifications.day, day)))
      .all();
    expect(rows.map((r) => r.userId).sort()).toEqual(nudged.sort());
    expect(rows[0]!.title).toBe(`${alice.username} is waiting for your vote`);
    expect(rows[0]!.body).toContain('19:30');
    expect(
      userEvents
        .filter((e) => e.type === 'notification')
        .map((e) => e.userId)
        .sort(),
    ).toEqual(nudged.sort());
    const audit = await t.services.database.db
      .select()
      .from(schema.securityEvents)
      .where(and(eq(schema.securityEvents.type, 'night_nudged'), eq(schema.securityEvents.userId, alice.id)))
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail ?? '{}')).toEqual({ date: day, nudged: 3 });

    clock.set('2026-06-10T08:10:00Z');
    const soon = await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: bob.cookie });
    expect(soon.status).toBe(429);
    expect(soon.headers.get('retry-after')).toBe(String(20 * 60));
    expect(await soon.json()).toMatchObject({ code: 'nudge_too_soon', details: { retryAfterSeconds: 1200 } });
    clock.set('2026-06-10T08:30:00Z');
    expect((await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: bob.cookie })).status).toBe(202);
    // After the deadline: 409.
    clock.set(`${day}T17:30:00Z`);
    const closed = await t.request(nightPath(group.id, day, 'nudge'), { method: 'POST', cookie: bob.cookie });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ code: 'voting_closed' });
  });
});

describe('nightDefaults on the group', () => {
  it('shows the defaults, takes partial updates (admin) and validates each field', async () => {
    const g = await createGroup(t, owner, { name: 'Defaults', timezone: 'UTC' });
    await addMembers(t, g.id, owner, [alice]);
    const res = await patchDefaults(t, owner, g.id, { startTime: '21:15', tieBreak: 'least_recent' });
    expect(((await body<{ nightDefaults: unknown }>(res, 200)) as { nightDefaults: unknown }).nightDefaults).toEqual({
      startTime: '21:15',
      closeBeforeMinutes: 30,
      tieBreak: 'least_recent',
      resultsVisibility: 'live',
      reminderBeforeMinutes: 60,
      method: 'approval',
      vetoes: 0,
    });
    const patched = await patchDefaults(t, owner, g.id, {
      closeBeforeMinutes: 720,
      reminderBeforeMinutes: 0,
      resultsVisibility: 'after_close',
    });
    expect((await body<{ nightDefaults: Record<string, unknown> }>(patched, 200)).nightDefaults).toMatchObject({
      startTime: '21:15',
      closeBeforeMinutes: 720,
      reminderBeforeMinutes: 0,
      resultsVisibility: 'after_close',
      tieBreak: 'least_recent',
    });
    expect(events.at(-1)).toMatchObject({ type: 'group_updated', data: { nightDefaults: { startTime: '21:15' } } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ startTime: '24:00' }, 'nightDefaults.startTime'],
      [{ startTime: '8:00' }, 'nightDefaults.startTime'],
      [{ closeBeforeMinutes: 721 }, 'nightDefaults.closeBeforeMinutes'],
      [{ closeBeforeMinutes: -1 }, 'nightDefaults.closeBeforeMinutes'],
      [{ reminderBeforeMinutes: 1.5 }, 'nightDefaults.reminderBeforeMinutes'],
      [{ tieBreak: 'coin' }, 'nightDefaults.tieBreak'],
      [{ resultsVisibility: 'never' }, 'nightDefaults.resultsVisibility'],
      [{ method: 'borda' }, 'nightDefaults.method'],
      [{ vetoes: 2 }, 'nightDefaults.vetoes'],
      [{ color: 'red' }, 'nightDefaults.color'],
    ];
    for (const [json, field] of cases) {
      const bad = await patchDefaults(t, owner, g.id, json);
      expect(bad.status, JSON.stringify(json)).toBe(400);
      const err = (await bad.json()) as { code: string; details: Record<string, string> };
      expect(err.code).toBe('invalid_input');
      expect(err.details[field], JSON.stringify(err.details)).toBeTruthy();
    }
    expect((await patchDefaults(t, owner, g.id, { method: 'approval', vetoes: 0 })).status).toBe(200);
    expect((await patchDefaults(t, alice, g.id, { startTime: '18:00' })).status).toBe(403);
    expect((await patchDefaults(t, outsider, g.id, { startTime: '18:00' })).status).toBe(404);
    const detail = await body<{ nightDefaults: { startTime: string } }>(
      await t.request(`/api/groups/${g.id}`, { cookie: alice.cookie }),
      200,
    );
    expect(detail.nightDefaults.startTime).toBe('21:15');
  });

  it('moves open nights not edited by hand when the timezone or the schedule changes; leaves edited and closed ones', async () => {
    const g = await createGroup(t, owner, { name: 'Moving', timezone: 'UTC' });
    const [plain, edited, closed] = [addDays(today, 2), addDays(today, 3), addDays(today, 4)];
    await suggestOn(t, owner, g.id, plain, 'Plain');
    await body(await patchNight(owner, edited, { startsAt: `${edited}T22:00:00Z`, closesAt: `${edited}T21:00:00Z` }, g.id), 200);
    await suggestOn(t, owner, g.id, closed, 'Closed');
    await closeNow(t, owner, g.id, closed);
    events.length = 0;
    expect(
      (await t.request(`/api/groups/${g.id}`, { method: 'PATCH', json: { timezone: 'Asia/Tokyo' }, cookie: owner.cookie })).status,
    ).toBe(200);
    expect(await getNight(t, owner, g.id, plain)).toMatchObject({ startsAt: `${plain}T11:00:00.000Z`, closesAt: `${plain}T10:30:00.000Z` });
    expect(await getNight(t, owner, g.id, edited)).toMatchObject({
      startsAt: `${edited}T22:00:00.000Z`,
      closesAt: `${edited}T21:00:00.000Z`,
    });
    expect(await getNight(t, owner, g.id, closed)).toMatchObject({ startsAt: `${closed}T20:00:00.000Z`, status: 'closed' });
    expect(events.filter((e) => e.type === 'night_updated').map((e) => (e.data as NightDto).date)).toEqual([plain]);

    expect((await patchDefaults(t, owner, g.id, { startTime: '19:00', closeBeforeMinutes: 60, reminderBeforeMinutes: 15 })).status).toBe(
      200,
    );
    expect(await getNight(t, owner, g.id, plain)).toMatchObject({ startsAt: `${plain}T10:00:00.000Z`, closesAt: `${plain}T09:00:00.000Z` });
    expect((await nightRow(g.id, plain))?.remindAt?.toISOString()).toBe(`${plain}T08:45:00.000Z`);
    // The edited night keeps its times; only its reminder follows the new setting.
    expect(await getNight(t, owner, g.id, edited)).toMatchObject({
      startsAt: `${edited}T22:00:00.000Z`,
      closesAt: `${edited}T21:00:00.000Z`,
    });
    expect((await nightRow(g.id, edited))?.remindAt?.toISOString()).toBe(`${edited}T20:45:00.000Z`);
    // A virtual night simply follows the defaults.
    expect(await getNight(t, owner, g.id, addDays(today, 20))).toMatchObject({ startsAt: `${addDays(today, 20)}T10:00:00.000Z` });
  });
});
