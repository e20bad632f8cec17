/**
 * GET /api/groups carries each group's tonight:
 * today in the group's own timezone, the deadline, the leader while open — never while results are
 * hidden until the close — and the winner once closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { approve, body, closeNow, patchDefaults, suggestOn } from './test-helpers.ts';

let t: TestApp;
let owner: TestUser;
let friend: TestUser;
const clock = new ManualClock('2026-06-10T08:00:00Z');
const day = '2026-06-10';
const groups: Record<string, TestGroup> = {};

interface Tonight {
  date: string;
  status: string;
  closesAt: string;
  resultsHidden: boolean;
  suggestions: number;
  leader: { gameName: string; votes: number; tied: boolean } | null;
  winner: { gameName: string; votes: number } | null;
}
interface Item {
  id: string;
  name: string;
  timezone: string;
  tonight: Tonight;
}

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  [owner, friend] = [await createUser(t), await createUser(t)];
  for (const [key, name, timezone] of [
    ['open', 'Open crew', 'UTC'],
    ['tied', 'Tied crew', 'UTC'],
    ['hidden', 'Secret crew', 'UTC'],
    ['closed', 'Closed crew', 'UTC'],
    ['honolulu', 'Island crew', 'Pacific/Honolulu'],
  ] as const) {
    groups[key] = await createGroup(t, owner, { name, timezone });
    await addMembers(t, groups[key].id, owner, [friend]);
  }
  // Open: Hades leads 2–1; a bigger favourite of tomorrow does not count.
  const hades = await suggestOn(t, owner, groups.open!.id, day, 'Hades');
  await approve(t, friend, hades.id);
  await suggestOn(t, friend, groups.open!.id, day, 'Celeste');
  const tomorrow = await suggestOn(t, owner, groups.open!.id, '2026-06-11', 'Factorio');
  await approve(t, friend, tomorrow.id);
  // Tied 1–1.
  clock.set('2026-06-10T08:00:01Z');
  await suggestOn(t, owner, groups.tied!.id, day, 'Valheim');
  clock.set('2026-06-10T08:00:02Z');
  await suggestOn(t, friend, groups.tied!.id, day, 'Terraria');
  // Hidden until the close.
  expect((await patchDefaults(t, owner, groups.hidden!.id, { resultsVisibility: 'after_close' })).status).toBe(200);
  const secret = await suggestOn(t, owner, groups.hidden!.id, day, 'Portal 2');
  await approve(t, friend, secret.id);
  // Closed early by the owner.
  await suggestOn(t, owner, groups.closed!.id, day, 'Stardew Valley');
  await closeNow(t, owner, groups.closed!.id, day);
});
afterAll(async () => {
  await t.close();
});

async function myGroups(user: TestUser): Promise<Map<string, Item>> {
  const items = await body<Item[]>(await t.request('/api/groups', { cookie: user.cookie }), 200);
  return new Map(items.map((i) => [i.name, i]));
}

describe('GET /api/groups tonight', () => {
  it('shows the leader of an open night and its deadline, counting only today', async () => {
    const open = (await myGroups(friend)).get('Open crew')!;
    expect(open.timezone).toBe('UTC');
    expect(open.tonight).toMatchObject({
      date: day,
      status: 'open',
      closesAt: '2026-06-10T19:30:00.000Z',
      resultsHidden: false,
      suggestions: 2,
      leader: { gameName: 'Hades', votes: 2, tied: false },
      winner: null,
    });
  });

  it('says when the lead is shared (the earliest suggestion is named)', async () => {
    const tied = (await myGroups(owner)).get('Tied crew')!;
    expect(tied.tonight.leader).toEqual({ gameName: 'Valheim', votes: 1, tied: true });
  });

  it('shows no leader while results are hidden until the close', async () => {
    const hidden = (await myGroups(friend)).get('Secret crew')!;
    expect(hidden.tonight).toMatchObject({ status: 'open', resultsHidden: true, suggestions: 1, leader: null, winner: null });
    expect(JSON.stringify(hidden)).not.toContain('Portal 2');
  });

  it('shows the winner of a closed night', async () => {
    const closed = (await myGroups(friend)).get('Closed crew')!;
    expect(closed.tonight).toMatchObject({ status: 'closed', leader: null, winner: { gameName: 'Stardew Valley', votes: 1 } });
  });

  it("uses each group's own timezone for today", async () => {
    // 08:00 UTC is 22:00 the day before in Honolulu, after that night's 19:30 deadline.
    const island = (await myGroups(owner)).get('Island crew')!;
    expect(island.tonight).toMatchObject({ date: '2026-06-09', status: 'closed', winner: null, leader: null });
    expect(island.tonight.closesAt).toBe('2026-06-10T05:30:00.000Z');
  });

  it('lists only the caller’s groups', async () => {
    const stranger = await createUser(t);
    expect((await myGroups(stranger)).size).toBe(0);
  });
});
