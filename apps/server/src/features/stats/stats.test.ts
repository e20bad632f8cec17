/**
 * Group statistics from a history played through the real API (suggest, approve, RSVP, close on each
 * day with a ManualClock): exact numbers, the range rules, and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let a: TestUser;
let b: TestUser;
let outsider: TestUser;
let group: TestGroup;
const clock = new ManualClock('2026-02-01T08:00:00Z');

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
const suggest = async (u: TestUser, day: string, gameName: string) =>
  ok<{ id: string; game: { id: string } }>(
    await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName, date: day }, cookie: u.cookie }),
    201,
  );
const approve = async (u: TestUser, id: string) =>
  ok(await t.request(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: u.cookie }), 201);
const rsvp = async (u: TestUser, day: string, status: 'in' | 'out') =>
  ok(await t.request(`/api/groups/${group.id}/nights/${day}/rsvp`, { method: 'PUT', json: { status }, cookie: u.cookie }));
const close = async (day: string) =>
  ok<{ winner: { gameName: string } | null }>(
    await t.request(`/api/groups/${group.id}/nights/${day}/close`, { method: 'POST', cookie: owner.cookie }),
  );
const stats = (u: TestUser, query = '') => t.request(`/api/groups/${group.id}/stats${query}`, { cookie: u.cookie });

interface Stats {
  from: string;
  to: string;
  nights: number;
  games: Array<{ gameId: string | null; name: string; wins: number; lastWonOn: string }>;
  members: Array<{ id: string; username: string; nightsIn: number; suggestions: number; approvals: number; picksWon: number }>;
}

let drg: string;
let valheim: string;

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  [owner, a, b, outsider] = (await Promise.all([1, 2, 3, 4].map(() => createUser(t)))) as [TestUser, TestUser, TestUser, TestUser];
  group = await createGroup(t, owner, { name: 'Stats crew', timezone: 'UTC' });
  await addMembers(t, group.id, owner, [a, b]);

  // 2026-02-01 (before the asked range): b's Valheim wins.
  valheim = (await suggest(b, '2026-02-01', 'Valheim')).game.id;
  await close('2026-02-01');

  // 2026-03-01: a Valheim (1), b Deep Rock Galactic (+ owner = 2) → DRG, b's pick. a and b in.
  clock.set('2026-03-01T08:00:00Z');
  await suggest(a, '2026-03-01', 'Valheim');
  const d1 = await suggest(b, '2026-03-01', 'Deep Rock Galactic');
  drg = d1.game.id;
  await approve(owner, d1.id);
  await rsvp(a, '2026-03-01', 'in');
  await rsvp(b, '2026-03-01', 'in');
  expect((await close('2026-03-01')).winner?.gameName).toBe('Deep Rock Galactic');

  // 2026-03-05: a DRG (+ b = 2), owner Valheim (1) → DRG, a's pick. a and owner in.
  clock.set('2026-03-05T08:00:00Z');
  const d2 = await suggest(a, '2026-03-05', 'Deep Rock Galactic');
  await approve(b, d2.id);
  await suggest(owner, '2026-03-05', 'Valheim');
  await rsvp(a, '2026-03-05', 'in');
  await rsvp(owner, '2026-03-05', 'in');
  expect((await close('2026-03-05')).winner?.gameName).toBe('Deep Rock Galactic');

  // 2026-03-09: owner Valheim alone → Valheim, owner's pick. owner in, b out.
  clock.set('2026-03-09T08:00:00Z');
  await suggest(owner, '2026-03-09', 'Valheim');
  await rsvp(owner, '2026-03-09', 'in');
  await rsvp(b, '2026-03-09', 'out');
  expect((await close('2026-03-09')).winner?.gameName).toBe('Valheim');

  // 2026-03-12: a suggests Terraria and says in, then the night is cancelled: no night held.
  clock.set('2026-03-12T08:00:00Z');
  await suggest(a, '2026-03-12', 'Terraria');
  await rsvp(a, '2026-03-12', 'in');
  await ok(
    await t.request(`/api/groups/${group.id}/nights/2026-03-12`, { method: 'PATCH', json: { status: 'cancelled' }, cookie: owner.cookie }),
  );

  clock.set('2026-03-20T08:00:00Z');
});
afterAll(async () => {
  await t.close();
});

describe('stats', () => {
  it('counts nights held, wins per game and each member’s part in a range', async () => {
    const s = await ok<Stats>(await stats(a, '?from=2026-03-01&to=2026-03-20'));
    expect(s.from).toBe('2026-03-01');
    expect(s.nights).toBe(3);
    expect(s.games).toEqual([
      { gameId: drg, name: 'Deep Rock Galactic', wins: 2, lastWonOn: '2026-03-05' },
      { gameId: valheim, name: 'Valheim', wins: 1, lastWonOn: '2026-03-09' },
    ]);
    const byId = Object.fromEntries(s.members.map(({ id, username: _u, ...rest }) => [id, rest]));
    expect(byId).toEqual({
      [owner.id]: { nightsIn: 2, suggestions: 2, approvals: 3, picksWon: 1 },
      [a.id]: { nightsIn: 2, suggestions: 3, approvals: 3, picksWon: 1 },
      [b.id]: { nightsIn: 1, suggestions: 1, approvals: 2, picksWon: 1 },
    });
  });

  it('defaults to the 366 days up to today, ordering games by wins then the latest win', async () => {
    const s = await ok<Stats>(await stats(b));
    expect([s.from, s.to]).toEqual(['2025-03-20', '2026-03-20']);
    expect(s.nights).toBe(4);
    expect(s.games.map((g) => [g.name, g.wins, g.lastWonOn])).toEqual([
      ['Valheim', 2, '2026-03-09'],
      ['Deep Rock Galactic', 2, '2026-03-05'],
    ]);
    expect(s.members.find((m) => m.id === b.id)).toMatchObject({ suggestions: 2, approvals: 3, picksWon: 2 });
  });

  it('validates the range', async () => {
    for (const q of ['?from=2026-03-10&to=2026-03-01', '?from=2025-01-01&to=2026-03-01', '?from=2026-02-30', '?to=yesterday']) {
      const res = await stats(a, q);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_input');
    }
    // Exactly 366 days is fine.
    expect((await stats(a, '?from=2025-03-20&to=2026-03-20')).status).toBe(200);
  });

  it('is for members only', async () => {
    expect((await stats(outsider)).status).toBe(404);
    expect((await t.request(`/api/groups/${group.id}/stats`)).status).toBe(401);
  });
});

describe('least_recent reads the same win history, by library game', () => {
  it('knows a game that won under its full name when it is suggested under an alias', async () => {
    // Valheim won 2026-03-09, Deep Rock Galactic 2026-03-05. "Vh" is an alias of Valheim: the tie
    // between "Vh" and Deep Rock Galactic goes to DRG, the one that won longer ago.
    await ok(await t.request(`/api/games/${valheim}`, { method: 'PATCH', json: { aliases: ['Vh'] }, cookie: owner.cookie }));
    expect(
      (
        await t.request(`/api/groups/${group.id}`, {
          method: 'PATCH',
          json: { nightDefaults: { tieBreak: 'least_recent' } },
          cookie: owner.cookie,
        })
      ).status,
    ).toBe(200);
    const vh = await suggest(a, '2026-03-20', 'Vh');
    expect(vh.game.id).toBe(valheim);
    await suggest(b, '2026-03-20', 'Deep Rock Galactic');
    const closed = await ok<{ winner: { gameName: string; decidedBy: string } | null }>(
      await t.request(`/api/groups/${group.id}/nights/2026-03-20/close`, { method: 'POST', cookie: owner.cookie }),
    );
    expect(closed.winner).toMatchObject({ gameName: 'Deep Rock Galactic', decidedBy: 'least_recent' });
  });
});
