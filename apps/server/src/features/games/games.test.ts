/** The game library through the real app: CRUD, one key space for names and aliases, authorization, wins. */
import { libraryKey } from '@queuecrew/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { body, closeNow, rsvp, suggestOn } from './test-helpers.ts';
import type { GameDto } from './data.ts';

let t: TestApp;
let owner: TestUser;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let outsider: TestUser;
let group: TestGroup;
let otherGroup: TestGroup;
const events: GroupEvent[] = [];
const NOW = '2026-06-10T08:00:00Z';
const today = '2026-06-10';

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = new ManualClock(NOW);
  t.services.hub.onEvent((e) => events.push(e));
  [owner, admin, alice, bob, outsider] = await Promise.all([createUser(t), createUser(t), createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Library', timezone: 'Europe/Berlin' });
  await addMembers(t, group.id, owner, [admin], 'admin');
  await addMembers(t, group.id, owner, [alice, bob]);
  otherGroup = await createGroup(t, outsider, { name: 'Elsewhere', timezone: 'Europe/Berlin' });
});
afterAll(async () => {
  await t.close();
});

const gamesPath = (groupId: string, query = '') => `/api/groups/${groupId}/games${query}`;
async function addGame(user: TestUser, json: Record<string, unknown>, groupId = group.id): Promise<GameDto> {
  return body<GameDto>(await t.request(gamesPath(groupId), { json, cookie: user.cookie }), 201);
}
async function list(user: TestUser, query = '', groupId = group.id): Promise<GameDto[]> {
  return body<GameDto[]>(await t.request(gamesPath(groupId, query), { cookie: user.cookie }), 200);
}

describe('library CRUD', () => {
  let drg: GameDto;

  it('adds a game with the contract DTO', async () => {
    events.length = 0;
    drg = await addGame(alice, {
      name: '  Deep Rock   Galactic ',
      aliases: ['DRG', 'drg'],
      minPlayers: 1,
      maxPlayers: 4,
      playtimeMinutes: 45,
      platforms: ['pc', 'xbox'],
      steamAppId: 548430,
    });
    expect(drg).toMatchObject({
      name: 'Deep Rock Galactic',
      aliases: ['DRG'],
      minPlayers: 1,
      maxPlayers: 4,
      playtimeMinutes: 45,
      platforms: ['pc', 'xbox'],
      steamAppId: 548430,
      owners: [],
      ownedByMe: false,
      timesWon: 0,
      lastWonOn: null,
      addedBy: { id: alice.id, username: alice.username },
    });
    expect(drg.coverUrl).toBe('https://cdn.cloudflare.steamstatic.com/steam/apps/548430/header.jpg');
    expect(events.map((e) => e.type)).toEqual(['game_updated']);
  });

  it('refuses a name or alias whose key is taken (409 duplicate_game pointing at the game)', async () => {
    for (const json of [
      { name: 'deeprockgalactic' },
      { name: 'Deep-Rock: Galactic!' },
      { name: 'D.R.G.' },
      { name: 'Something else', aliases: ['Deep Rock Galactic'] },
    ]) {
      const res = await t.request(gamesPath(group.id), { json, cookie: bob.cookie });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'duplicate_game', details: { gameId: drg.id } });
    }
    // Another group has its own key space.
    await addGame(outsider, { name: 'Deep Rock Galactic' }, otherGroup.id);
  });

  it('two racing adds of the same game: exactly one wins', async () => {
    const results = await Promise.all(
      [alice, bob, admin].map((u) => t.request(gamesPath(group.id), { json: { name: 'Lethal Company' }, cookie: u.cookie })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('validates as the contract says, naming the field', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: 'X', minPlayers: 0 }, 'minPlayers'],
      [{ name: 'X', maxPlayers: 101 }, 'maxPlayers'],
      [{ name: 'X', minPlayers: 5, maxPlayers: 2 }, 'minPlayers'],
      [{ name: 'X', playtimeMinutes: 0 }, 'playtimeMinutes'],
      [{ name: 'X', playtimeMinutes: 1441 }, 'playtimeMinutes'],
      [{ name: 'X', aliases: Array.from({ length: 11 }, (_, i) => `alias ${i}`) }, 'aliases'],
      [{ name: 'X', platforms: ['amiga'] }, 'platforms.0'],
      [{ name: 'X', isAdmin: true }, ''],
      [{ name: '' }, 'name'],
      [{ name: 'a\u202eb' }, 'name'],
      [{ name: '...' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'X', minPlayers: 'two' }, 'minPlayers'],
    ];
    for (const [json, field] of bad) {
      const res = await t.request(gamesPath(group.id), { json, cookie: alice.cookie });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const b = (await res.json()) as { code: string; details: Record<string, string> };
      expect(b.code).toBe('invalid_input');
      if (field) expect(Object.keys(b.details)).toContain(field);
    }
    const res = await t.request(gamesPath(group.id), {
      method: 'POST',
      body: 'nope',
      headers: { 'content-type': 'application/json' },
      cookie: alice.cookie,
    });
    expect(res.status).toBe(400);
  });

  it('searches by name prefix and by key, names and aliases alike', async () => {
    await addGame(bob, { name: 'Rocket League', aliases: ['RL'] });
    await addGame(bob, { name: 'Deep Sea Fishing' });
    const names = async (q: string) => (await list(alice, `?q=${encodeURIComponent(q)}`)).map((g) => g.name);
    expect(await names('deep')).toEqual(['Deep Rock Galactic', 'Deep Sea Fishing']);
    expect(await names('Deep Rock')).toEqual(['Deep Rock Galactic']);
    expect(await names('deep-rock:')).toEqual(['Deep Rock Galactic']);
    expect(await names('DR')).toEqual(['Deep Rock Galactic']);
    expect(await names('rl')).toEqual(['Rocket League']);
    expect(await names('league')).toEqual([]);
    expect((await list(alice)).map((g) => g.name)).toEqual(['Deep Rock Galactic', 'Deep Sea Fishing', 'Lethal Company', 'Rocket League']);
    expect((await t.request(gamesPath(group.id, `?q=${'a'.repeat(101)}`), { cookie: alice.cookie })).status).toBe(400);
    expect((await t.request(gamesPath(group.id, '?date=2026-02-30'), { cookie: alice.cookie })).status).toBe(400);
  });

  it('edits: the adder or an admin; a member who did not add it gets 403 and a security event', async () => {
    const res = await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { playtimeMinutes: 60 }, cookie: bob.cookie });
    expect(res.status).toBe(403);
    const logged = await t.services.database.db
      .select()
      .from(schema.securityEvents)
      .where(and(eq(schema.securityEvents.type, 'permission_denied'), eq(schema.securityEvents.groupId, group.id)))
      .all();
    expect(logged.length).toBeGreaterThan(0);

    const mine = await body<GameDto>(
      await t.request(`/api/games/${drg.id}`, {
        method: 'PATCH',
        json: { playtimeMinutes: 60, aliases: ['DRG', 'Rock and Stone'] },
        cookie: alice.cookie,
      }),
      200,
    );
    expect(mine).toMatchObject({ playtimeMinutes: 60, aliases: ['DRG', 'Rock and Stone'], minPlayers: 1, maxPlayers: 4 });
    expect((await list(alice, '?q=rockandst')).map((g) => g.id)).toEqual([drg.id]);
    const byAdmin = await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { maxPlayers: 8 }, cookie: admin.cookie });
    expect(byAdmin.status).toBe(200);
    // min ≤ max against the stored game.
    const bad = await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { minPlayers: 9 }, cookie: alice.cookie });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: object }).details).toHaveProperty('minPlayers');
    // Renaming onto another game's alias is a duplicate.
    const clash = await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { aliases: ['R.L.'] }, cookie: alice.cookie });
    expect(clash.status).toBe(409);
    expect((await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { nope: 1 }, cookie: alice.cookie })).status).toBe(400);
  });

  it('ownership: PUT/DELETE owners/me, idempotent, with live updates', async () => {
    events.length = 0;
    const owned = await body<GameDto>(await t.request(`/api/games/${drg.id}/owners/me`, { method: 'PUT', cookie: bob.cookie }), 200);
    expect(owned.ownedByMe).toBe(true);
    expect(owned.owners.map((o) => o.id)).toEqual([bob.id]);
    await body(await t.request(`/api/games/${drg.id}/owners/me`, { method: 'PUT', cookie: bob.cookie }), 200);
    await body(await t.request(`/api/games/${drg.id}/owners/me`, { method: 'PUT', cookie: alice.cookie }), 200);
    const seenByAlice = (await list(alice, '?q=drg'))[0]!;
    expect(seenByAlice.owners.map((o) => o.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(seenByAlice.ownedByMe).toBe(true);
    const dropped = await body<GameDto>(await t.request(`/api/games/${drg.id}/owners/me`, { method: 'DELETE', cookie: bob.cookie }), 200);
    expect(dropped.ownedByMe).toBe(false);
    expect(dropped.owners.map((o) => o.id)).toEqual([alice.id]);
    expect(events.filter((e) => e.type === 'game_updated' && e.groupId === group.id)).toHaveLength(4);
    expect(events.every((e) => (e.data as GameDto).ownedByMe === false)).toBe(true);
  });

  it('non-members get 404 for every game id of another group, exactly like an unknown id', async () => {
    const foreign = (await list(outsider, '', otherGroup.id))[0]!;
    for (const [method, path, json] of [
      ['PATCH', `/api/games/${foreign.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/games/${foreign.id}`, undefined],
      ['PUT', `/api/games/${foreign.id}/owners/me`, undefined],
      ['DELETE', `/api/games/${foreign.id}/owners/me`, undefined],
      ['PATCH', `/api/games/no-such-game`, { name: 'x' }],
    ] as const) {
      const res = await t.request(path, { method, json, cookie: alice.cookie });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await t.request(gamesPath(otherGroup.id), { cookie: alice.cookie })).status).toBe(404);
    expect((await t.request(gamesPath(otherGroup.id), { json: { name: 'Sneaky' }, cookie: alice.cookie })).status).toBe(404);
    expect((await t.request(gamesPath(group.id))).status).toBe(401);
  });

  it('playable for a night: in, fits, ownersIn, missingOwners', async () => {
    await rsvp(t, alice, group.id, today, 'in');
    await rsvp(t, bob, group.id, today, 'in');
    await rsvp(t, admin, group.id, today, 'maybe');
    const games = await list(owner, `?date=${today}`);
    const d = games.find((g) => g.id === drg.id)!;
    expect(d.playable).toEqual({ in: 2, fits: true, ownersIn: 1, missingOwners: [expect.objectContaining({ id: bob.id })] });
    const noCounts = games.find((g) => g.name === 'Lethal Company')!;
    expect(noCounts.playable).toMatchObject({ in: 2, fits: null, ownersIn: 0 });
    await addGame(owner, { name: 'Chess', minPlayers: 2, maxPlayers: 2 });
    await addGame(owner, { name: 'Werewolf', minPlayers: 6 });
    const after = await list(owner, `?date=${today}`);
    expect(after.find((g) => g.name === 'Chess')!.playable!.fits).toBe(true);
    expect(after.find((g) => g.name === 'Werewolf')!.playable!.fits).toBe(false);
    expect((await list(owner)).every((g) => g.playable === undefined)).toBe(true);
  });

  it('times won and last won come from closed nights whose winner links to the game', async () => {
    const s = await suggestOn(t, alice, group.id, today, 'DRG');
    await closeNow(t, owner, group.id, today);
    const d = (await list(alice, '?q=drg'))[0]!;
    expect(d).toMatchObject({ id: drg.id, timesWon: 1, lastWonOn: today });
    const row = await t.services.database.db.select().from(schema.suggestions).where(eq(schema.suggestions.id, s.id)).get();
    expect(row?.gameId).toBe(drg.id);
  });

  it('a search answers the full list narrowed to its key prefix: same DTOs, order, wins, owners, playable', async () => {
    // Matching keys in another group: a search never crosses groups.
    await addGame(outsider, { name: 'Deep Cover', aliases: ['DRGS'] }, otherGroup.id);
    await addGame(outsider, { name: 'Rocket Arena' }, otherGroup.id);
    const keysOf = (g: GameDto) => [g.name, ...g.aliases].map((n) => libraryKey(n));
    for (const query of ['', `?date=${today}`]) {
      const all = await list(alice, query);
      for (const q of ['d', 'deep', 'DRG', 'r', 'rock', 'c', 'zzz', 'Deep Rock Galactic']) {
        const key = libraryKey(q);
        const sep = query ? '&' : '?';
        const found = await list(alice, `${query}${sep}q=${encodeURIComponent(q)}`);
        expect(found, q).toEqual(all.filter((g) => keysOf(g).some((k) => k.startsWith(key))));
      }
    }
    expect((await list(alice, '?q=deepc')).length).toBe(0);
    expect((await list(outsider, '?q=drgs', otherGroup.id)).map((g) => g.name)).toEqual(['Deep Cover']);
  });

  it('delete: admin only (403 for the adder), suggestions keep their names', async () => {
    expect((await t.request(`/api/games/${drg.id}`, { method: 'DELETE', cookie: alice.cookie })).status).toBe(403);
    events.length = 0;
    expect((await t.request(`/api/games/${drg.id}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(204);
    expect(events.map((e) => e.type)).toEqual(['game_deleted']);
    expect((await list(alice, '?q=drg')).length).toBe(0);
    const left = await t.services.database.db.select().from(schema.suggestions).where(eq(schema.suggestions.groupId, group.id)).all();
    expect(left.map((r) => [r.gameName, r.gameId])).toEqual([['DRG', null]]);
    // The name is free again.
    await addGame(alice, { name: 'Deep Rock Galactic' });
  });
});
