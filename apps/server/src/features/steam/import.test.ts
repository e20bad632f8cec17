/** POST /api/users/me/steam/import against the fake Steam's GetOwnedGames (public and private profiles). */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSteam, type FakeSteam } from '../../../../../scripts/fake-steam/server.ts';
import { schema } from '../../db/client.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';

let fake: FakeSteam;
let t: TestApp;
let ann: TestUser;
let ben: TestUser;
let cat: TestUser;
let group: TestGroup;
let second: TestGroup;
let foreign: TestGroup;
const ids: Record<string, string> = {};

async function linkSteamId(userId: string, steamId: string) {
  await t.services.database.write((tx) => tx.update(schema.users).set({ steamId }).where(eq(schema.users.id, userId)));
}
const importAs = (user: TestUser, json: Record<string, unknown> = {}, app: TestApp = t) =>
  app.request('/api/users/me/steam/import', { json, cookie: user.cookie });

beforeAll(async () => {
  fake = await startFakeSteam();
  t = await createTestApp({ STEAM_OPENID_URL: fake.openidUrl, STEAM_API_URL: fake.url, STEAM_WEB_API_KEY: fake.apiKey });
  [ann, ben, cat] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, ann, { name: 'Steamers' });
  second = await createGroup(t, ann, { name: 'Second' });
  foreign = await createGroup(t, cat, { name: 'Not Ann’s' });
  await addMembers(t, group.id, ann, [ben]);
  for (const [g, json] of [
    [group, { name: 'deep-rock galactic' }], // by name key (no app id)
    [group, { name: 'Valheim (Viking)', steamAppId: 892970 }], // by app id, whatever its name
    [group, { name: 'Chess' }],
    [second, { name: 'Valheim' }],
    [foreign, { name: 'Valheim' }],
  ] as const) {
    const owner = g === foreign ? cat : ann;
    const res = await t.request(`/api/groups/${g.id}/games`, { json, cookie: owner.cookie });
    ids[`${g.name}:${json.name}`] = ((await res.json()) as { id: string }).id;
  }
  await linkSteamId(ann.id, '76561198000000001');
  await linkSteamId(ben.id, '76561198000000002'); // private profile
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

async function ownersOf(gameId: string) {
  return t.services.database.db.select().from(schema.gameOwners).where(eq(schema.gameOwners.gameId, gameId)).all();
}

describe('Steam import', () => {
  it('409 steam_not_linked before anything is asked of Steam', async () => {
    const res = await importAs(cat);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('steam_not_linked');
  });

  it('409 steam_profile_private, saying what to change in Steam', async () => {
    const res = await importAs(ben);
    expect(res.status).toBe(409);
    const b = (await res.json()) as { code: string; error: string };
    expect(b.code).toBe('steam_profile_private');
    expect(b.error).toMatch(/Privacy Settings/);
    expect(b.error).toMatch(/Game details/);
  });

  it('marks ownership by app id, else by name key, in all of the user’s groups; idempotent', async () => {
    const res = await importAs(ann);
    expect(res.status).toBe(200);
    const b = (await res.json()) as {
      owned: number;
      matched: number;
      games: Array<{ steamAppId: number; name: string; playtimeMinutes: number }>;
    };
    expect(b.owned).toBe(2);
    expect(b.games).toContainEqual({ steamAppId: 548430, name: 'Deep Rock Galactic', playtimeMinutes: 1200 });
    expect(b.matched).toBe(3);
    expect((await ownersOf(ids['Steamers:deep-rock galactic']!)).map((o) => [o.userId, o.source])).toEqual([[ann.id, 'steam']]);
    expect((await ownersOf(ids['Steamers:Valheim (Viking)']!)).map((o) => o.userId)).toEqual([ann.id]);
    expect((await ownersOf(ids['Second:Valheim']!)).map((o) => o.userId)).toEqual([ann.id]);
    expect(await ownersOf(ids['Steamers:Chess']!)).toEqual([]);
    expect(await ownersOf(ids['Not Ann’s:Valheim']!)).toEqual([]);
    const again = (await (await importAs(ann)).json()) as { matched: number };
    expect(again.matched).toBe(3);
    expect((await ownersOf(ids['Second:Valheim']!)).length).toBe(1);
  });

  it('only in the given group when groupId is set; a group of others is 404; unknown fields 400', async () => {
    expect((await importAs(ann, { groupId: foreign.id })).status).toBe(404);
    expect((await importAs(ann, { groupId: group.id, extra: 1 })).status).toBe(400);
    const res = await importAs(ann, { groupId: second.id });
    expect(((await res.json()) as { matched: number }).matched).toBe(1);
  });

  it('never logs or returns the Web API key', async () => {
    expect(t.logs.text).not.toContain(fake.apiKey);
  });

  it('Steam refusing our key is a 502 with retry advice, nothing imported', async () => {
    const wrong = await createTestApp({ STEAM_API_URL: fake.url, STEAM_WEB_API_KEY: 'not-the-key' });
    try {
      const u = await createUser(wrong);
      await wrong.services.database.write((tx) =>
        tx.update(schema.users).set({ steamId: '76561198000000001' }).where(eq(schema.users.id, u.id)),
      );
      const res = await importAs(u, {}, wrong);
      expect(res.status).toBe(502);
      const b = (await res.json()) as { code: string; error: string };
      expect(b.code).toBe('steam_unavailable');
      expect(b.error).toMatch(/try again/);
      expect(wrong.logs.text).not.toContain('not-the-key');
    } finally {
      await wrong.close();
    }
  });

  it('unlinking removes the Steam marks and keeps manual ones', async () => {
    await t.request(`/api/games/${ids['Steamers:Chess']!}/owners/me`, { method: 'PUT', cookie: ann.cookie });
    expect((await t.request('/api/users/me/steam', { method: 'DELETE', cookie: ann.cookie })).status).toBe(200);
    const left = await t.services.database.db
      .select()
      .from(schema.gameOwners)
      .where(and(eq(schema.gameOwners.userId, ann.id)))
      .all();
    expect(left.map((o) => [o.gameId, o.source])).toEqual([[ids['Steamers:Chess'], 'manual']]);
  });
});
