/**
 * The folded vote path (vote-access.ts, decision 114) answers exactly like the two-step checks it
 * replaced: 404 for unknown suggestions and non-members alike, 401 signed out, a removal takes effect
 * on the very next vote, and the answer's count and the live update are the committed voters. Both
 * database modes: the embedded file's statement-caching client, and @libsql/client itself (what a
 * `libsql://` server URL uses for everything), here over the same file through a `file:` URL.
 */
import { drizzle } from 'drizzle-orm/libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, WriteQueue, type Database } from '../../db/client.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let alice: TestUser;
let bob: TestUser;
let outsider: TestUser;
let group: TestGroup;
const events: GroupEvent[] = [];

/** Reads and writes through @libsql/client, as `openDatabase()` does for a `libsql://` URL. */
function officialClientDatabase(database: Database): Database {
  const db = drizzle(database.client, { schema });
  const queue = new WriteQueue(db, { onJobError: () => {}, onBusy: async () => {}, onGroupFailed: () => {} });
  return { ...database, db, write: (fn) => queue.push(fn), pendingWrites: () => queue.pending };
}

describe.each(['statement-caching client', '@libsql/client over a file: URL'])('vote access in one statement (%s)', (mode) => {
  beforeAll(async () => {
    t = await createTestApp();
    if (mode.startsWith('@libsql')) t.services.database = officialClientDatabase(t.services.database);
    t.services.hub.onEvent((e) => events.push(e));
    [owner, alice, bob, outsider] = await Promise.all([createUser(t), createUser(t), createUser(t), createUser(t)]);
    group = await createGroup(t, owner, { name: 'Folded', timezone: 'UTC' });
    await addMembers(t, group.id, owner, [alice, bob]);
  });
  afterAll(async () => {
    await t.close();
  });

  async function suggest(name: string): Promise<string> {
    // Tomorrow: its night takes votes whatever the time of day.
    const res = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: name, date: openDay() }, cookie: owner.cookie });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  const vote = (id: string, u: TestUser | null, method: 'POST' | 'DELETE' = 'POST') =>
    t.request(`/api/suggestions/${id}/votes`, { method, ...(u ? { cookie: u.cookie } : {}) });

  it('answers unknown suggestions and non-members alike, and 401 when signed out', async () => {
    const id = await suggest('Folded game');
    for (const res of [await vote(id, outsider), await vote('no-such-suggestion', outsider), await vote('no-such-suggestion', alice)]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    }
    expect((await vote(id, outsider, 'DELETE')).status).toBe(404);
    expect((await vote(id, null)).status).toBe(401);
  });

  it('counts and publishes the committed voters, in the order they voted', async () => {
    const id = await suggest('Counted game');
    const first = await vote(id, alice);
    expect(await first.json()).toEqual({ suggestionId: id, votes: 2 });
    const second = await vote(id, bob);
    expect(await second.json()).toEqual({ suggestionId: id, votes: 3 });
    const last = events.filter((e) => e.type === 'vote_updated' && (e.data as { suggestionId: string }).suggestionId === id).at(-1);
    expect(last?.data).toEqual({
      suggestionId: id,
      votes: 3,
      voters: [owner, alice, bob].map((u) => ({ id: u.id, username: u.username, avatarUrl: null })),
    });
    expect((await vote(id, alice, 'DELETE')).status).toBe(204);
    const afterWithdraw = events.filter((e) => e.type === 'vote_updated').at(-1);
    expect(afterWithdraw?.data).toMatchObject({ suggestionId: id, votes: 2, voters: [{ id: owner.id }, { id: bob.id }] });
  });

  it('refuses a member removed a moment ago on their very next vote', async () => {
    const id = await suggest('Removal game');
    expect((await vote(id, bob)).status).toBe(201);
    const removed = await t.request(`/api/groups/${group.id}/members/${bob.id}`, { method: 'DELETE', cookie: owner.cookie });
    expect(removed.status).toBe(204);
    expect((await vote(id, bob, 'DELETE')).status).toBe(404);
    expect((await t.request(`/api/groups/${group.id}/results`, { cookie: bob.cookie })).status).toBe(404);
  });
});
