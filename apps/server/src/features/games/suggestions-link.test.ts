/** Suggestions link to library games: by name key or id, the duplicate rule by game, `game` and `playable`. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { body, closeNow, rsvp } from './test-helpers.ts';
import type { GameDto, PlayableDto } from './data.ts';

interface SuggestionBody {
  id: string;
  gameName: string;
  game: {
    id: string;
    coverUrl: string | null;
    minPlayers: number | null;
    maxPlayers: number | null;
    timesWon: number;
    lastWonOn: string | null;
  } | null;
  playable: PlayableDto | null;
}

let t: TestApp;
let owner: TestUser;
let alice: TestUser;
let bob: TestUser;
let outsider: TestUser;
let group: TestGroup;
let otherGroup: TestGroup;
const events: GroupEvent[] = [];
const NOW = '2026-06-10T08:00:00Z';
const today = '2026-06-10';
const tomorrow = '2026-06-11';

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = new ManualClock(NOW);
  t.services.hub.onEvent((e) => events.push(e));
  [owner, alice, bob, outsider] = await Promise.all([createUser(t), createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Link', timezone: 'Europe/Berlin' });
  await addMembers(t, group.id, owner, [alice, bob]);
  otherGroup = await createGroup(t, outsider, { name: 'Other', timezone: 'Europe/Berlin' });
});
afterAll(async () => {
  await t.close();
});

const suggest = (user: TestUser, json: Record<string, unknown>, groupId = group.id) =>
  t.request(`/api/groups/${groupId}/suggestions`, { json, cookie: user.cookie });
const games = async (user: TestUser, query = '') =>
  body<GameDto[]>(await t.request(`/api/groups/${group.id}/games${query}`, { cookie: user.cookie }), 200);

describe('suggestions link to the library', () => {
  let drg: GameDto;

  it('a new name adds a game in the same write, and the suggestion carries it', async () => {
    events.length = 0;
    const s = await body<SuggestionBody>(await suggest(alice, { gameName: 'Deep Rock Galactic', date: today }), 201);
    const lib = await games(alice);
    expect(lib.map((g) => g.name)).toEqual(['Deep Rock Galactic']);
    drg = lib[0]!;
    expect(drg.addedBy?.id).toBe(alice.id);
    expect(s.game).toEqual({ id: drg.id, coverUrl: null, minPlayers: null, maxPlayers: null, timesWon: 0, lastWonOn: null });
    expect(s.playable).toEqual({ in: 0, fits: null, ownersIn: 0, missingOwners: [] });
    expect(events.map((e) => e.type).sort()).toEqual(['game_updated', 'suggestion_created']);
  });

  it('"DRG" after "Deep Rock Galactic" on the same date is 409 duplicate_suggestion pointing at the first', async () => {
    await body(await t.request(`/api/games/${drg.id}`, { method: 'PATCH', json: { aliases: ['DRG'] }, cookie: alice.cookie }), 200);
    const first = (
      await body<SuggestionBody[]>(await t.request(`/api/groups/${group.id}/suggestions?date=${today}`, { cookie: bob.cookie }), 200)
    )[0]!;
    for (const json of [{ gameName: 'DRG' }, { gameName: 'deep-rock galactic!' }, { gameId: drg.id }]) {
      const res = await suggest(bob, { ...json, date: today });
      expect(res.status, JSON.stringify(json)).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'duplicate_suggestion', details: { suggestionId: first.id } });
    }
    // Another day is fine, and links to the same game without adding one.
    const s = await body<SuggestionBody>(await suggest(bob, { gameName: 'drg', date: tomorrow }), 201);
    expect(s.game?.id).toBe(drg.id);
    expect(s.gameName).toBe('drg');
    expect((await games(alice)).length).toBe(1);
  });

  it('takes exactly one of gameName and gameId; a game of another group is 404', async () => {
    for (const json of [{}, { gameName: 'X', gameId: drg.id }, { gameId: '' }, { gameId: 'x'.repeat(65) }, { gameName: 'X', extra: 1 }]) {
      const res = await suggest(alice, { ...json, date: tomorrow });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
    const foreign = await body<GameDto>(
      await t.request(`/api/groups/${otherGroup.id}/games`, { json: { name: 'Secret game' }, cookie: outsider.cookie }),
      201,
    );
    const res = await suggest(alice, { gameId: foreign.id, date: tomorrow });
    expect(res.status).toBe(404);
    expect((await suggest(alice, { gameId: 'unknown-game', date: tomorrow })).status).toBe(404);
    const byId = await body<SuggestionBody>(
      await suggest(alice, {
        gameId: (
          await body<GameDto>(
            await t.request(`/api/groups/${group.id}/games`, {
              json: { name: 'Chess', minPlayers: 2, maxPlayers: 2 },
              cookie: alice.cookie,
            }),
            201,
          )
        ).id,
        date: today,
      }),
      201,
    );
    expect(byId.gameName).toBe('Chess');
  });

  it('playable follows RSVPs "in" and ownership, computed for the suggestion’s night', async () => {
    await rsvp(t, alice, group.id, today, 'in');
    await rsvp(t, bob, group.id, today, 'in');
    await rsvp(t, owner, group.id, today, 'out');
    await body(await t.request(`/api/games/${drg.id}/owners/me`, { method: 'PUT', cookie: alice.cookie }), 200);
    const list = await body<SuggestionBody[]>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${today}`, { cookie: owner.cookie }),
      200,
    );
    const d = list.find((s) => s.game?.id === drg.id)!;
    expect(d.playable).toMatchObject({ in: 2, fits: null, ownersIn: 1, missingOwners: [{ id: bob.id }] });
    const chess = list.find((s) => s.gameName === 'Chess')!;
    expect(chess.playable).toMatchObject({ in: 2, fits: true, ownersIn: 0 });
    expect(chess.game).toMatchObject({ minPlayers: 2, maxPlayers: 2 });
    await rsvp(t, owner, group.id, today, 'in');
    const after = await body<SuggestionBody[]>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${today}`, { cookie: owner.cookie }),
      200,
    );
    expect(after.find((s) => s.gameName === 'Chess')!.playable).toMatchObject({ in: 3, fits: false });
    // Tomorrow nobody is in yet.
    const tom = await body<SuggestionBody[]>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${tomorrow}`, { cookie: owner.cookie }),
      200,
    );
    expect(tom[0]!.playable).toMatchObject({ in: 0, ownersIn: 0 });
  });

  it('game carries its wins before the suggestion’s night, whatever name or alias won', async () => {
    const listOn = async (day: string) =>
      body<SuggestionBody[]>(await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: owner.cookie }), 200);
    const todays = await listOn(today);
    const d = todays.find((s) => s.game?.id === drg.id)!;
    await body(await t.request(`/api/suggestions/${d.id}/votes`, { method: 'POST', cookie: bob.cookie }), 201);
    await closeNow(t, owner, group.id, today);
    const night = await body<{ winner: { suggestionId: string } | null }>(
      await t.request(`/api/groups/${group.id}/nights/${today}`, { cookie: owner.cookie }),
      200,
    );
    expect(night.winner?.suggestionId).toBe(d.id);
    // The night it won does not count for itself; the next night (suggested as "drg") sees it.
    expect((await listOn(today)).find((s) => s.id === d.id)!.game).toMatchObject({ timesWon: 0, lastWonOn: null });
    const next = (await listOn(tomorrow))[0]!;
    expect(next.gameName).toBe('drg');
    expect(next.game).toMatchObject({ id: drg.id, timesWon: 1, lastWonOn: today });
    // One suggestion (the create answer) carries the same.
    const later = await body<SuggestionBody>(await suggest(alice, { gameId: drg.id, date: '2026-06-13' }), 201);
    expect(later.game).toMatchObject({ id: drg.id, timesWon: 1, lastWonOn: today });
    // History names the library game of the winner, for streaks across aliases.
    const history = await body<Array<{ date: string; winner: { suggestionId: string; gameId: string | null } | null }>>(
      await t.request(`/api/groups/${group.id}/history?from=${today}&to=${today}`, { cookie: owner.cookie }),
      200,
    );
    expect(history).toMatchObject([{ date: today, winner: { suggestionId: d.id, gameId: drg.id } }]);
    // Another game of the same night has no wins.
    expect((await listOn(today)).find((s) => s.gameName === 'Chess')!.game).toMatchObject({ timesWon: 0, lastWonOn: null });
  });

  it('a deleted game leaves its suggestions with their names and game null', async () => {
    expect((await t.request(`/api/games/${drg.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    const list = await body<SuggestionBody[]>(
      await t.request(`/api/groups/${group.id}/suggestions?date=${today}`, { cookie: owner.cookie }),
      200,
    );
    const d = list.find((s) => s.gameName === 'Deep Rock Galactic')!;
    expect(d).toMatchObject({ game: null, playable: null });
    const rows = await t.services.database.db.select().from(schema.suggestions).where(eq(schema.suggestions.groupId, group.id)).all();
    expect(rows.length).toBe(4);
  });
});
