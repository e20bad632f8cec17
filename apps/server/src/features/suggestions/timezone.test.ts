/**
 * Days belong to the group's timezone, not the server's (tests run with TZ=Pacific/Auckland) nor UTC.
 * The app reads "now" from services.clock, so we place it just around midnight in Los Angeles. This
 * group plays late: its nights start at 23:59 with voting open until the start (night defaults), so
 * a day's night takes votes until 23:59 LA time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { NightCloser } from '../nights/index.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let friend: TestUser;
let group: TestGroup;
const clock = new ManualClock('2026-11-26T07:58:00Z'); // 23:58 on Nov 25 in Los Angeles (PST, UTC-8)

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  [owner, friend] = await Promise.all([createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'LA crew', timezone: 'America/Los_Angeles' });
  await addMembers(t, group.id, owner, [friend]);
  const late = await t.request(`/api/groups/${group.id}`, {
    method: 'PATCH',
    json: { nightDefaults: { startTime: '23:59', closeBeforeMinutes: 0 } },
    cookie: owner.cookie,
  });
  expect(late.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

async function suggest(user: TestUser, gameName: string) {
  const res = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName }, cookie: user.cookie });
  return { status: res.status, body: (await res.json()) as { id: string; date: string; code?: string } };
}

describe('a group in America/Los_Angeles, with the server in Pacific/Auckland', () => {
  it('runs with a process timezone that is neither UTC nor the group’s', () => {
    expect(process.env.TZ).toBe('Pacific/Auckland');
  });

  it('files a suggestion two minutes before midnight under the LA day, not the UTC or Auckland day', async () => {
    clock.set('2026-11-26T07:58:00Z'); // UTC: Nov 26; Auckland: Nov 26 20:58; LA: Nov 25 23:58
    const { status, body } = await suggest(owner, 'Late night game');
    expect(status).toBe(201);
    expect(body.date).toBe('2026-11-25');
    const list = (await (await t.request(`/api/groups/${group.id}/suggestions`, { cookie: owner.cookie })).json()) as Array<{ id: string }>;
    expect(list.map((s) => s.id)).toEqual([body.id]);
  });

  it('starts a new day one minute after midnight in LA', async () => {
    clock.set('2026-11-26T08:01:00Z'); // LA: Nov 26 00:01
    const { body } = await suggest(owner, 'Morning game');
    expect(body.date).toBe('2026-11-26');
    // "Today" for the list and the results is now Nov 26; yesterday's suggestion is not in it.
    const list = (await (await t.request(`/api/groups/${group.id}/suggestions`, { cookie: owner.cookie })).json()) as Array<{
      date: string;
    }>;
    expect(list.map((s) => s.date)).toEqual(['2026-11-26']);
    const results = (await (await t.request(`/api/groups/${group.id}/results`, { cookie: owner.cookie })).json()) as { date: string };
    expect(results.date).toBe('2026-11-26');
    // The same name on the new day is a new suggestion, not a duplicate.
    expect((await suggest(friend, 'Late night game')).status).toBe(201);
  });

  it('closes a night at its deadline in LA time (no longer "yesterday stays open")', async () => {
    clock.set('2026-11-26T07:58:00Z');
    const { body: s } = await suggest(friend, 'Edge game'); // filed on Nov 25
    expect(s.date).toBe('2026-11-25');
    clock.set('2026-11-26T07:58:59Z'); // LA: Nov 25 23:58:59 → the night of Nov 25 still takes votes
    expect((await t.request(`/api/suggestions/${s.id}/votes`, { method: 'POST', cookie: owner.cookie })).status).toBe(201);
    clock.set('2026-11-26T07:59:00Z'); // LA: Nov 25 23:59 → its deadline: closed
    const closed = await t.request(`/api/suggestions/${s.id}/votes`, { method: 'DELETE', cookie: owner.cookie });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({
      code: 'voting_closed',
      details: { date: '2026-11-25', closesAt: '2026-11-26T07:59:00.000Z' },
    });
    clock.set('2026-11-27T07:58:00Z'); // LA: Nov 26 23:58 → Nov 25 is yesterday: closed all the same (the old rule kept it open)
    const late = await t.request(`/api/suggestions/${s.id}/votes`, { method: 'DELETE', cookie: friend.cookie });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'voting_closed' });
    clock.set('2026-11-27T08:00:30Z'); // LA: Nov 27 00:00:30 → the nights of Nov 25 and 26 are both past their deadline
    expect(await new NightCloser(t.services).runOnce()).toMatchObject({ closed: 2 });
    // The history (closed nights, group time) shows Nov 25 with its winner.
    const history = (await (await t.request(`/api/groups/${group.id}/history`, { cookie: owner.cookie })).json()) as Array<{
      date: string;
      winners: Array<{ id: string }>;
    }>;
    expect(history.map((d) => d.date)).toEqual(['2026-11-26', '2026-11-25']);
    expect(history[1]!.winners.map((w) => w.id)).toEqual([s.id]);
  });
});
