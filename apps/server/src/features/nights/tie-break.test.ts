/**
 * Deciding a night: most approvals wins; ties are broken by the group's tie-break exactly as the
 * contract says. `random` is recomputed here from the recorded seed with node:crypto (candidates sorted
 * by id, first 4 bytes of sha256(seed) big-endian, mod the count); `least_recent` uses the group's past
 * winners by game key; `admin` waits for /pick.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { addDays } from '../../lib/time.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup } from '../../test/group-factories.ts';
import type { NightDto } from './data.ts';
import { decide, leastRecent, randomIndex } from './decide.ts';
import { body, closeNow, nightPath, patchDefaults, suggestOn, unapprove } from './test-helpers.ts';

let t: TestApp;
let owner: TestUser;
let admin: TestUser;
let m1: TestUser;
let m2: TestUser;
let m3: TestUser;
const clock = new ManualClock('2026-06-10T08:00:00Z');
const today = '2026-06-10';

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  [owner, admin, m1, m2, m3] = (await Promise.all([1, 2, 3, 4, 5].map(() => createUser(t)))) as [
    TestUser,
    TestUser,
    TestUser,
    TestUser,
    TestUser,
  ];
});
afterAll(async () => {
  await t.close();
});

async function groupWith(tieBreak: 'random' | 'least_recent' | 'admin') {
  const g = await createGroup(t, owner, { name: `Tie ${tieBreak}`, timezone: 'UTC' });
  await addMembers(t, g.id, owner, [admin], 'admin');
  await addMembers(t, g.id, owner, [m1, m2, m3]);
  expect((await patchDefaults(t, owner, g.id, { tieBreak })).status).toBe(200);
  return g;
}

/** One suggestion per user, each with only its suggester's approval: an n-way tie. */
async function tiedNight(groupId: string, day: string, games: string[]) {
  const users = [m1, m2, m3, admin];
  const ids: string[] = [];
  for (const [i, game] of games.entries()) ids.push((await suggestOn(t, users[i]!, groupId, day, game)).id);
  return ids;
}

/** The contract's rule, written independently of the server's code. */
function expectedRandomPick(seed: string, candidates: string[]): string {
  const sorted = [...candidates].sort();
  const index = createHash('sha256').update(seed).digest().readUInt32BE(0) % sorted.length;
  return sorted[index]!;
}

describe('random', () => {
  it('records a seed from which anyone can recompute the pick', async () => {
    const g = await groupWith('random');
    const picks = new Set<string>();
    for (let i = 1; i <= 6; i += 1) {
      const day = addDays(today, i);
      const ids = await tiedNight(g.id, day, [`Alpha ${i}`, `Beta ${i}`, `Gamma ${i}`]);
      const night = await closeNow(t, admin, g.id, day);
      expect(night.tied).toEqual([...ids].sort());
      expect(night.tieBreakSeed).toMatch(/^[0-9a-f]{32}$/);
      expect(night.winner).toMatchObject({ decidedBy: 'random', votes: 1 });
      expect(night.winner!.suggestionId).toBe(expectedRandomPick(night.tieBreakSeed!, ids));
      picks.add(night.tieBreakSeed!);
    }
    // A fresh seed each time.
    expect(picks.size).toBe(6);
  });

  it('needs no tie-break for a clear winner, and has no winner without an approval', async () => {
    const g = await groupWith('random');
    const day = addDays(today, 1);
    const [a, b] = await tiedNight(g.id, day, ['Clear', 'Second']);
    await body(await t.request(`/api/suggestions/${a}/votes`, { method: 'POST', cookie: m3.cookie }), 201);
    expect(await closeNow(t, admin, g.id, day)).toMatchObject({
      winner: { suggestionId: a, votes: 2, decidedBy: 'votes' },
      tied: [],
      tieBreakSeed: null,
    });
    expect(b).toBeTruthy();
    const empty = await closeNow(t, admin, g.id, addDays(today, 2));
    expect(empty).toMatchObject({ status: 'closed', winner: null, tied: [], tieBreakSeed: null });
    const withdrawn = addDays(today, 3);
    const [only] = await tiedNight(g.id, withdrawn, ['Taken back']);
    await unapprove(t, m1, only!);
    expect(await closeNow(t, admin, g.id, withdrawn)).toMatchObject({ winner: null, tied: [] });
  });
});

describe('least_recent', () => {
  it('picks the tied game that never won, then the one that won longest ago (by game key), then by id', async () => {
    const g = await groupWith('least_recent');
    // History: Alpha won on day 1, Beta on day 2 (clear wins).
    await suggestOn(t, m1, g.id, addDays(today, 1), 'Alpha');
    expect((await closeNow(t, admin, g.id, addDays(today, 1))).winner?.gameName).toBe('Alpha');
    await suggestOn(t, m1, g.id, addDays(today, 2), 'Beta');
    expect((await closeNow(t, admin, g.id, addDays(today, 2))).winner?.gameName).toBe('Beta');

    // Day 3: "alpha" (same key as Alpha), Beta and a never-won Gamma tie: Gamma.
    await tiedNight(g.id, addDays(today, 3), ['alpha', 'Beta', 'Gamma']);
    expect((await closeNow(t, admin, g.id, addDays(today, 3))).winner).toMatchObject({ gameName: 'Gamma', decidedBy: 'least_recent' });
    // Day 4: ALPHA and beta tie: Alpha won longest ago (day 1, Beta day 2).
    await tiedNight(g.id, addDays(today, 4), ['beta', '  ALPHA ']);
    const day4 = await closeNow(t, admin, g.id, addDays(today, 4));
    expect(day4.winner).toMatchObject({ gameName: 'ALPHA', decidedBy: 'least_recent' });
    expect(day4.tied).toHaveLength(2);
    expect(day4.tieBreakSeed).toBeNull();
    // Day 5: two never-won games: the smaller id.
    const ids = await tiedNight(g.id, addDays(today, 5), ['Delta', 'Epsilon']);
    expect((await closeNow(t, admin, g.id, addDays(today, 5))).winner?.suggestionId).toBe([...ids].sort()[0]);
  });

  it('the pure rule, in isolation', () => {
    const c = (id: string, name: string) => ({ id, gameName: name, gameKey: name.toLowerCase(), votes: 2 });
    const wins = [
      { day: '2026-01-01', gameName: 'A' },
      { day: '2026-03-01', gameName: 'a' },
      { day: '2026-02-01', gameName: 'B' },
    ];
    // A last won 03-01 (its latest win counts), B 02-01: B won longer ago.
    expect(leastRecent([c('1', 'A'), c('2', 'B')], wins).id).toBe('2');
    expect(leastRecent([c('9', 'A'), c('8', 'C')], wins).id).toBe('8');
    expect(decide([c('1', 'A'), c('2', 'B')], 'least_recent', wins)).toMatchObject({ decidedBy: 'least_recent', tied: ['1', '2'] });
    expect(randomIndex('00', 1)).toBe(0);
    const seed = 'abc';
    expect(decide([c('b', 'X'), c('a', 'Y')], 'random', [], seed).winner?.id).toBe(['a', 'b'][expectedIndex(seed, 2)]);
  });
});

function expectedIndex(seed: string, n: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % n;
}

describe('admin', () => {
  it('leaves the winner open with the tied candidates until an admin picks one of them', async () => {
    const g = await groupWith('admin');
    const day = addDays(today, 1);
    const ids = await tiedNight(g.id, day, ['Left', 'Right']);
    const closed = await closeNow(t, admin, g.id, day);
    expect(closed).toMatchObject({ status: 'closed', winner: null, tied: [...ids].sort(), tieBreak: 'admin', tieBreakSeed: null });

    const pick = (u: TestUser, suggestionId: string) =>
      t.request(nightPath(g.id, day, 'pick'), { method: 'POST', json: { suggestionId }, cookie: u.cookie });
    expect((await pick(m1, ids[0]!)).status).toBe(403);
    const other = await suggestOn(t, m1, g.id, addDays(today, 2), 'Elsewhere');
    const wrong = await pick(admin, other.id);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: 'invalid_input', details: { suggestionId: expect.any(String) } });
    expect((await t.request(nightPath(g.id, day, 'pick'), { method: 'POST', json: {}, cookie: admin.cookie })).status).toBe(400);

    const picked = await body<NightDto>(await pick(admin, ids[1]!), 200);
    expect(picked.winner).toEqual({ suggestionId: ids[1], gameName: 'Right', votes: 1, decidedBy: 'admin' });
    expect(picked.tied).toEqual([...ids].sort());
    const again = await pick(admin, ids[0]!);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'no_pending_tie' });
    // The history says how it was decided.
    clock.set(`${addDays(today, 3)}T08:00:00Z`);
    const history = await body<Array<{ date: string; decidedBy: string; winner: { gameName: string } }>>(
      await t.request(`/api/groups/${g.id}/history`, { cookie: m2.cookie }),
      200,
    );
    expect(history.find((h) => h.date === day)).toMatchObject({ decidedBy: 'admin', winner: { gameName: 'Right' } });
    clock.set('2026-06-10T08:00:00Z');
  });

  it('has nothing to pick on an open night, a decided night, or a night of another tie-break', async () => {
    const g = await groupWith('admin');
    const day = addDays(today, 1);
    const [a] = await tiedNight(g.id, day, ['Only']);
    const open = await t.request(nightPath(g.id, day, 'pick'), { method: 'POST', json: { suggestionId: a }, cookie: admin.cookie });
    expect(await open.json()).toMatchObject({ code: 'no_pending_tie' });
    await closeNow(t, admin, g.id, day); // a clear winner
    const decided = await t.request(nightPath(g.id, day, 'pick'), { method: 'POST', json: { suggestionId: a }, cookie: admin.cookie });
    expect(decided.status).toBe(409);
  });
});
