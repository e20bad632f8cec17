/**
 * Votes through real HTTP (the app on a port of its own) with grouped commits (decision 118):
 * - 200 members voting at once: every acknowledged vote is a row afterwards, no 5xx;
 * - a group whose COMMIT fails (a deferred foreign key a test trigger violates) fails every request
 *   in it, and none of them is stored;
 * - a request refused inside a group (AppError: its night was cancelled meanwhile; a duplicate vote)
 *   is rolled back alone, the others in its group are committed.
 * To make a group deterministic, a write holds the writer until the requests are queued behind it
 * (`pendingWrites()`), so they all run in the next group.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { schema, type Tx } from '../../db/client.ts';
import { addDays } from '../../lib/time.ts';
import { createTestApp, TEST_ORIGIN, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, createSignedInUsers, openDay } from '../../test/group-factories.ts';

const VOTERS = 200;
let t: TestApp;
let server: ServerType;
let base: string;
let owner: TestUser;
const voters: TestUser[] = [];
let groupId: string;
const day = openDay('UTC');
const laterDay = addDays(day, 1);

beforeAll(async () => {
  t = await createTestApp();
  owner = await createUser(t);
  voters.push(...(await createSignedInUsers(t, VOTERS)));
  groupId = (await createGroup(t, owner, { name: 'Grouped', timezone: 'UTC' })).id;
  await addMembers(t, groupId, owner, voters);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

async function suggest(name: string, date = day): Promise<string> {
  const res = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName: name, date }, cookie: owner.cookie });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

async function vote(u: TestUser, suggestionId: string, method: 'POST' | 'DELETE' = 'POST'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}/api/suggestions/${suggestionId}/votes`, { method, headers: { cookie: u.cookie, origin: TEST_ORIGIN } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function storedVoters(suggestionId: string): Promise<Set<string>> {
  const rows = await t.services.database.db
    .select({ userId: schema.votes.userId })
    .from(schema.votes)
    .where(eq(schema.votes.suggestionId, suggestionId))
    .all();
  return new Set(rows.map((r) => r.userId));
}

/** Holds the writer until `count` writes are queued behind it; `then` runs inside the holding write. */
async function holdWriterUntilQueued<T>(count: number, requests: () => Array<Promise<T>>, then?: (tx: Tx) => Promise<void>): Promise<T[]> {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const running = new Promise<void>((r) => (started = r));
  const holding = t.services.database.write(async (tx) => {
    started();
    await gate;
    if (then) await then(tx);
  });
  // The holding write runs in a group of its own before the requests are sent.
  await running;
  const pending = requests();
  await vi.waitFor(() => expect(t.services.database.pendingWrites()).toBe(count), { timeout: 20_000, interval: 5 });
  release();
  await holding;
  return Promise.all(pending);
}

describe('votes with grouped commits, over real HTTP', () => {
  it(`${VOTERS} members voting at once: every acknowledged vote is stored, each tally counted once, no 5xx`, async () => {
    const [a, b] = [await suggest('Crowd favourite'), await suggest('Second choice')];
    const answers = await Promise.all(voters.flatMap((u) => [vote(u, a), vote(u, b)]));
    expect(answers.filter((r) => r.status !== 201)).toEqual([]);
    for (const id of [a, b]) {
      const stored = await storedVoters(id);
      // The suggester's own approval comes on top of the members'.
      expect(stored.size).toBe(VOTERS + 1);
      for (const u of voters) expect(stored.has(u.id)).toBe(true);
    }
    // Each answer carries the running tally of its own committed transaction: all distinct.
    const tallies = answers.filter((_, i) => i % 2 === 0).map((r) => (r.body as { votes: number }).votes);
    expect(new Set(tallies).size).toBe(VOTERS);
    expect(Math.max(...tallies)).toBe(VOTERS + 1);

    // Half of them take it back while the other half vote on a third suggestion, all at once.
    const c = await suggest('Third choice');
    const half = voters.slice(0, VOTERS / 2);
    const rest = voters.slice(VOTERS / 2);
    const mixed = await Promise.all([...half.map((u) => vote(u, a, 'DELETE')), ...rest.map((u) => vote(u, c))]);
    expect(mixed.map((r) => r.status)).toEqual([...half.map(() => 204), ...rest.map(() => 201)]);
    const afterA = await storedVoters(a);
    expect(afterA.size).toBe(VOTERS / 2 + 1);
    for (const u of half) expect(afterA.has(u.id)).toBe(false);
    expect((await storedVoters(c)).size).toBe(VOTERS / 2 + 1);
  }, 60_000);

  it('a group whose COMMIT fails fails every request in it, and stores none of them', async () => {
    const id = await suggest('Poisoned');
    const [poison, ...others] = voters.slice(0, 10);
    // Violated at COMMIT only: a deferred foreign key, broken by a trigger on the poison voter's vote.
    await t.services.database.client.executeMultiple(`
      CREATE TABLE gv_parents (id TEXT PRIMARY KEY);
      CREATE TABLE gv_children (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES gv_parents(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER gv_poison AFTER INSERT ON votes WHEN NEW.user_id = '${poison!.id}'
      BEGIN INSERT INTO gv_children (id, parent_id) VALUES (NEW.suggestion_id, 'missing'); END;`);
    try {
      const answers = await holdWriterUntilQueued(10, () => [poison!, ...others].map((u) => vote(u, id)));
      for (const r of answers) {
        expect(r.status).toBe(503);
        expect(r.body).toMatchObject({ code: 'write_failed' });
      }
      expect((await storedVoters(id)).size).toBe(1); // the suggester's approval only
      // The innocent ones succeed on their retry (a group without the poison).
      const retried = await Promise.all(others.map((u) => vote(u, id)));
      expect(retried.map((r) => r.status)).toEqual(others.map(() => 201));
      expect((await storedVoters(id)).size).toBe(others.length + 1);
    } finally {
      await t.services.database.client.executeMultiple('DROP TRIGGER gv_poison; DROP TABLE gv_children; DROP TABLE gv_parents;');
    }
  }, 60_000);

  it('a request refused inside a group is rolled back alone; the others in the group commit', async () => {
    const open = await suggest('Still open', laterDay);
    const doomed = await suggest('Night gets cancelled', day);
    const [dup, ...crowd] = voters.slice(20, 32);
    expect((await vote(dup!, open)).status).toBe(201);
    const answers = await holdWriterUntilQueued(
      1 + crowd.length * 2,
      () => [vote(dup!, open), ...crowd.flatMap((u) => [vote(u, doomed), vote(u, open)])],
      // Inside the holding write, after every vote has passed its checks outside the transaction: the
      // doomed suggestion's night is cancelled, so each vote on it is refused inside the group.
      async (tx) => {
        await tx
          .update(schema.nights)
          .set({ status: 'cancelled' })
          .where(and(eq(schema.nights.groupId, groupId), eq(schema.nights.day, day)));
      },
    );
    const [dupAnswer, ...rest] = answers;
    expect(dupAnswer).toMatchObject({ status: 409, body: { code: 'already_voted' } });
    rest.forEach((r, i) => {
      if (i % 2 === 0) expect(r).toMatchObject({ status: 409, body: { code: 'night_cancelled' } });
      else expect(r.status).toBe(201);
    });
    const stored = await storedVoters(open);
    expect(stored.size).toBe(crowd.length + 2); // the suggester, the first vote of `dup`, the crowd
    for (const u of crowd) expect(stored.has(u.id)).toBe(true);
    expect((await storedVoters(doomed)).size).toBe(1);
  }, 60_000);
});
