/**
 * The closer (features/nights/closer.ts), first in one app with a ManualClock: a quiet tick is two
 * indexed reads; a due night closes once; a busy database makes a tick fail whole and the next one
 * succeed; reminders; the start-up backfill; reopen + close announces once more. Then for real: two
 * server instances on ONE database file with a real redis-server, both closers running on the system
 * clock — the night closes once (one outbox row, one `night_closed` per socket), the Discord message
 * reaches the fake Discord within a tick of the deadline, mentioning exactly the linked members who are
 * in, and a restart right after the close changes nothing.
 */
import { createClient } from '@libsql/client';
import { and, asc, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { localPath, schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { newId } from '../../lib/ids.ts';
import { addDays } from '../../lib/time.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import { startRedisServer, type TestRedis } from '../../test/processes.ts';
import { WebhookWorker } from '../announcements/index.ts';
import { connect, startInstance, tempDir, type Instance, type LiveMessage, type TestSocket } from '../../test/live-instances.ts';
import { NightCloser } from './closer.ts';
import { backfillNights } from './mutations.ts';
import { approve, body, closeNow, nightPath, patchDefaults, rsvp, suggestOn } from './test-helpers.ts';

const LINKED_A = '300000000000000001';
const LINKED_B = '300000000000000002';

async function linkDiscord(db: TestApp['services']['database'], userId: string, discordId: string) {
  await db.write((tx) => tx.update(schema.users).set({ discordId }).where(eq(schema.users.id, userId)));
}

describe('the closer in one app (ManualClock)', () => {
  let fake: FakeDiscord;
  let t: TestApp;
  let owner: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const clock = new ManualClock('2026-06-10T08:00:00Z');
  const day = '2026-06-10';
  const events: GroupEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    t = await createTestApp({ DISCORD_WEBHOOK_BASE_URL: fake.url });
    t.services.clock = clock;
    t.services.hub.onEvent((e) => events.push(e));
    [owner, alice, bob] = [await createUser(t), await createUser(t), await createUser(t)];
    await linkDiscord(t.services.database, alice.id, LINKED_A);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  async function crew(name: string, webhook = true) {
    const g = await createGroup(t, owner, { name, timezone: 'UTC' });
    await addMembers(t, g.id, owner, [alice, bob]);
    if (webhook) {
      const res = await t.request(`/api/groups/${g.id}`, {
        method: 'PATCH',
        json: {
          discordWebhookUrl: `${fake.url}/api/webhooks/${Date.now()}${Math.floor(Math.random() * 1000)}/tok_${newId()}`,
          webhookOnSuggestion: false,
        },
        cookie: owner.cookie,
      });
      expect(res.status).toBe(200);
    }
    return g;
  }
  const outbox = (groupId: string) =>
    t.services.database.db
      .select()
      .from(schema.webhookOutbox)
      .where(eq(schema.webhookOutbox.groupId, groupId))
      .orderBy(asc(schema.webhookOutbox.createdAt));
  const nightRow = (groupId: string, d: string) =>
    t.services.database.db
      .select()
      .from(schema.nights)
      .where(and(eq(schema.nights.groupId, groupId), eq(schema.nights.day, d)))
      .get();

  it('a quiet tick is two reads on the nights(status, …) indexes', async () => {
    const n = schema.nights;
    const now = new Date();
    const due = t.services.database.db
      .select({ groupId: n.groupId, day: n.day })
      .from(n)
      .where(and(eq(n.status, 'open'), lte(n.closesAt, now)))
      .orderBy(asc(n.closesAt))
      .limit(50)
      .toSQL();
    const remind = t.services.database.db
      .select({ groupId: n.groupId, day: n.day })
      .from(n)
      .where(
        and(
          eq(n.status, 'open'),
          lte(n.remindAt, now),
          isNull(n.reminderSentAt),
          gt(n.closesAt, now),
          sql`EXISTS (SELECT 1 FROM ${schema.suggestions} s WHERE s.group_id = ${n.groupId} AND s.day = ${n.day})`,
        ),
      )
      .limit(50)
      .toSQL();
    const plan = async (q: { sql: string; params: unknown[] }) =>
      JSON.stringify((await t.services.database.client.execute({ sql: `EXPLAIN QUERY PLAN ${q.sql}`, args: q.params as never[] })).rows);
    expect(await plan(due)).toContain('nights_open_close_idx');
    expect(await plan(remind)).toContain('nights_open_remind_idx');
    const quiet = await new NightCloser(t.services).runOnce(new Date('2020-01-01T00:00:00Z'));
    expect(quiet).toEqual({ closed: 0, reminded: 0, failed: 0 });
  });

  it('closes a due night once, however many closers tick; the message mentions exactly the linked members who are in', async () => {
    const g = await crew('Due');
    const s = await suggestOn(t, owner, g.id, day, 'Valheim');
    await approve(t, alice, s.id);
    await rsvp(t, alice, g.id, day, 'in');
    await rsvp(t, bob, g.id, day, 'in');
    await rsvp(t, owner, g.id, day, 'maybe');
    const deadline = new Date(`${day}T19:30:00Z`);
    const [one, two] = [new NightCloser(t.services), new NightCloser(t.services)];
    await one.runOnce(new Date(deadline.getTime() - 1));
    expect((await nightRow(g.id, day))?.status).toBe('open');
    events.length = 0;
    const ticks = await Promise.all([one.runOnce(deadline), two.runOnce(deadline), one.runOnce(new Date(deadline.getTime() + 5000))]);
    expect(ticks.reduce((n, x) => n + x.closed, 0)).toBeGreaterThanOrEqual(1);
    const row = await nightRow(g.id, day);
    expect(row).toMatchObject({ status: 'closed', closeCount: 1, winnerGameName: 'Valheim', decidedBy: 'votes' });
    expect(events.filter((e) => e.type === 'night_closed' && e.groupId === g.id)).toHaveLength(1);
    const rows = (await outbox(g.id)).filter((r) => r.kind === 'winner');
    expect(rows.map((r) => r.dedupeKey)).toEqual([`night:${day}:1`]);
    const payload = JSON.parse(rows[0]!.payload) as { content: string; allowed_mentions: unknown };
    // Alice is linked and in; Bob is in but not linked (named, not pinged); the owner is only "maybe".
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [LINKED_A] });
    expect(payload.content).toContain(`<@${LINKED_A}>`);
    expect(payload.content).toContain(bob.username.replace(/_/g, '\\_'));
    expect(payload.content).toContain(`<t:${Date.parse(`${day}T20:00:00Z`) / 1000}:t>`);
    expect(payload.content).not.toContain('@everyone');
  });

  it('a close that fails (database busy) rolls back whole and is retried by the next tick', async () => {
    const g = await crew('Busy');
    await suggestOn(t, owner, g.id, day, 'Blocked');
    const deadline = new Date(`${day}T19:30:00Z`);
    // Another process holds the write lock for longer than the busy timeout.
    const path = localPath(t.services.config.database.url)!;
    const other = createClient({ url: `file:${path}`, encryptionKey: t.services.config.database.encryptionKey });
    const lock = await other.transaction('write'); // BEGIN IMMEDIATE: the writer lock, held
    let tick;
    try {
      tick = await new NightCloser(t.services).runOnce(deadline);
    } finally {
      await lock.rollback();
      other.close();
    }
    expect(tick.failed).toBeGreaterThanOrEqual(1);
    expect(await nightRow(g.id, day)).toMatchObject({ status: 'open', closeCount: 0, winnerGameName: null });
    expect(await outbox(g.id)).toHaveLength(0);
    expect(t.logs.text).toContain('night close failed; retrying next tick');
    await new NightCloser(t.services).runOnce(deadline);
    expect(await nightRow(g.id, day)).toMatchObject({ status: 'closed', closeCount: 1, winnerGameName: 'Blocked' });
    expect((await outbox(g.id)).map((r) => r.dedupeKey)).toEqual([`night:${day}:1`]);
  }, 30_000);

  it('reminds once at closesAt − reminderBeforeMinutes: notifications for who has not voted, one message mentioning the linked ones', async () => {
    const g = await crew('Remind');
    const quiet = await crew('Remind quiet');
    expect((await patchDefaults(t, owner, g.id, { reminderBeforeMinutes: 45 })).status).toBe(200);
    const d = addDays(day, 1);
    await suggestOn(t, owner, g.id, d, 'Reminder game');
    await rsvp(t, bob, g.id, d, 'out');
    await rsvp(t, owner, quiet.id, d, 'in'); // a night without a suggestion gets no reminder
    const closer = new NightCloser(t.services);
    await closer.runOnce(new Date(`${d}T18:44:59Z`));
    expect((await outbox(g.id)).filter((r) => r.kind === 'reminder')).toHaveLength(0);
    expect(await closer.runOnce(new Date(`${d}T18:45:00Z`))).toMatchObject({ reminded: 1 });
    await closer.runOnce(new Date(`${d}T18:50:00Z`));
    const reminders = (await outbox(g.id)).filter((r) => r.kind === 'reminder');
    expect(reminders).toHaveLength(1);
    const payload = JSON.parse(reminders[0]!.payload) as { content: string; allowed_mentions: unknown };
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [LINKED_A] });
    expect(payload.content).toContain(`<t:${Date.parse(`${d}T19:30:00Z`) / 1000}:R>`);
    const notes = await t.services.database.db
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.kind, 'night_closing_soon'), eq(schema.notifications.groupId, g.id)))
      .all();
    expect(notes.map((n) => n.userId)).toEqual([alice.id]); // the owner voted (suggested), Bob is out
    expect(notes[0]).toMatchObject({ title: 'Voting closes at 19:30', url: `/groups/${g.id}?date=${d}` });
    expect((await outbox(quiet.id)).filter((r) => r.kind === 'reminder')).toHaveLength(0);
    expect((await nightRow(g.id, d))?.reminderSentAt?.toISOString()).toBe(`${d}T18:45:00.000Z`);
  });

  it('backfills open nights for days with suggestions but no night (once), which the closer then decides', async () => {
    const g = await crew('Legacy', false);
    const d = addDays(day, -1);
    // Rows as the old version wrote them: a suggestion and votes, no night.
    const id = newId();
    await t.services.database.write(async (tx) => {
      await tx
        .insert(schema.suggestions)
        .values({ id, groupId: g.id, day: d, gameName: 'Old favourite', gameKey: 'old favourite', suggestedBy: owner.id });
      await tx.insert(schema.votes).values([
        { suggestionId: id, userId: alice.id },
        { suggestionId: id, userId: bob.id },
      ]);
    });
    expect(await nightRow(g.id, d)).toBeUndefined();
    expect(await backfillNights(t.services.database, clock.now())).toBeGreaterThanOrEqual(1);
    expect(await backfillNights(t.services.database, clock.now())).toBe(0);
    expect(await nightRow(g.id, d)).toMatchObject({ status: 'open', closeCount: 0 });
    await new NightCloser(t.services).runOnce(clock.now());
    expect(await nightRow(g.id, d)).toMatchObject({ status: 'closed', winnerGameName: 'Old favourite', winnerVotes: 2, closeCount: 1 });
  });

  it('reopen + close again queues the new result once more, saying it changed', async () => {
    const g = await crew('Reopen');
    const d = addDays(day, 2);
    const a = await suggestOn(t, owner, g.id, d, 'First pick');
    const b = await suggestOn(t, bob, g.id, d, 'Second pick');
    await closeNow(t, owner, g.id, d); // a tie 1–1, broken at random
    await body(
      await t.request(nightPath(g.id, d, 'reopen'), { method: 'POST', json: { closesAt: `${d}T19:00:00Z` }, cookie: owner.cookie }),
      200,
    );
    await approve(t, alice, b.id);
    await new NightCloser(t.services).runOnce(new Date(`${d}T19:00:00Z`));
    await new NightCloser(t.services).runOnce(new Date(`${d}T19:00:05Z`));
    const rows = (await outbox(g.id)).filter((r) => r.kind === 'winner');
    expect(rows.map((r) => r.dedupeKey)).toEqual([`night:${d}:1`, `night:${d}:2`]);
    const second = (JSON.parse(rows[1]!.payload) as { content: string }).content;
    expect(second).toMatch(/Reopened and decided again, the result changed/);
    expect(second).toContain('Second pick');
    expect(a.id).toBeTruthy();
    // Both go out (the first at once, the second after the reopen), each once.
    const worker = new WebhookWorker(t.services);
    await worker.runOnce(new Date(`${d}T19:01:00Z`));
    await worker.runOnce(new Date(`${d}T19:02:00Z`));
    expect((await outbox(g.id)).filter((r) => r.deliveredAt !== null).map((r) => r.dedupeKey)).toEqual([`night:${d}:1`, `night:${d}:2`]);
  });
});

describe('two instances on one database file, a real redis-server, the system clock', () => {
  let redis: TestRedis;
  let fake: FakeDiscord;
  let a: Instance;
  let b: Instance;
  let restarted: Instance | undefined;
  let dir: ReturnType<typeof tempDir>;
  let owner: TestUser;
  let member: TestUser;
  let friend: TestUser;
  let env: Record<string, string>;
  const loops = { nights: { intervalMs: 150 }, webhooks: { intervalMs: 150 } };

  beforeAll(async () => {
    [redis, fake] = await Promise.all([startRedisServer(), startFakeDiscord()]);
    dir = tempDir();
    env = { REDIS_URL: redis.url, DISCORD_WEBHOOK_BASE_URL: fake.url };
    // One after the other: the second finds the schema migrated by the first.
    a = await startInstance(dir.dir, { env, ...loops });
    b = await startInstance(dir.dir, { env, ...loops });
    [owner, member, friend] = [await createUser(a), await createUser(b), await createUser(a)];
    await linkDiscord(a.running.services.database, member.id, LINKED_B);
    await linkDiscord(a.running.services.database, friend.id, LINKED_A);
  });
  afterAll(async () => {
    await restarted?.stop();
    await a?.stop();
    await b?.stop();
    redis?.stop();
    await fake?.stop();
    dir?.remove();
  });

  const closedEvents = (s: TestSocket, groupId: string) =>
    s.received.filter((m: LiveMessage) => m.type === 'night_closed' && m.groupId === groupId);

  it('closes a night a few seconds ahead exactly once, announces it once within the tick, and a restart changes nothing', async () => {
    const group = await createGroup(a, owner, { name: 'Two instances', timezone: 'UTC' });
    await addMembers(a, group.id, owner, [member, friend]);
    const hookId = '777000111';
    const hook = await a.request(`/api/groups/${group.id}`, {
      method: 'PATCH',
      json: { discordWebhookUrl: `${fake.url}/api/webhooks/${hookId}/two_instances_token`, webhookOnSuggestion: false },
      cookie: owner.cookie,
    });
    expect(hook.status).toBe(200);
    const day = openDay('UTC');
    const s = await suggestOn(a, owner, group.id, day, 'Deep Rock Galactic');
    await approve(b, member, s.id);
    await rsvp(b, member, group.id, day, 'in');
    await rsvp(a, friend, group.id, day, 'out');
    // The deadline a few seconds from now (the real clock), the start an hour later.
    const closesAt = new Date(Date.now() + 3000);
    closesAt.setMilliseconds(0);
    const startsAt = new Date(closesAt.getTime() + 3600_000);
    await body(
      await a.request(nightPath(group.id, day), {
        method: 'PATCH',
        json: { closesAt: closesAt.toISOString(), startsAt: startsAt.toISOString() },
        cookie: owner.cookie,
      }),
      200,
    );
    const onA = await connect(a.wsUrl, { cookie: owner.cookie });
    const onB = await connect(b.wsUrl, { cookie: member.cookie });
    await onA.subscribe(group.id);
    await onB.subscribe(group.id);

    const fromA = await onA.next((m) => m.type === 'night_closed' && m.groupId === group.id);
    const fromB = await onB.next((m) => m.type === 'night_closed' && m.groupId === group.id);
    const closed = fromA.data as { status: string; winner: { gameName: string; votes: number }; closedAt: string; myRsvp: null };
    expect(closed).toMatchObject({ status: 'closed', winner: { gameName: 'Deep Rock Galactic', votes: 2 }, myRsvp: null });
    expect(fromB.data).toEqual(fromA.data);
    const closedAt = Date.parse(closed.closedAt);
    expect(closedAt).toBeGreaterThanOrEqual(closesAt.getTime());
    expect(closedAt - closesAt.getTime()).toBeLessThan(2000); // within a tick or two (150 ms), not a minute

    // The Discord message: once, right after the close.
    const winners = () => fake.webhooks.filter((w) => w.webhookId === hookId && (w.body as { content: string }).content.includes('🏆'));
    for (let i = 0; i < 100 && winners().length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(winners()).toHaveLength(1);
    const posted = winners()[0]!;
    expect(Date.parse(posted.receivedAt) - closesAt.getTime()).toBeLessThan(5000);
    const message = posted.body as { content: string; allowed_mentions: unknown };
    expect(message.allowed_mentions).toEqual({ parse: [], users: [LINKED_B] });
    expect(message.content).toContain(`<@${LINKED_B}>`);
    expect(message.content).not.toContain(`<@${LINKED_A}>`);
    expect(message.content).toContain(`<t:${startsAt.getTime() / 1000}:t>`);

    // Let both closers and both delivery loops run several more ticks: nothing more happens.
    await new Promise((r) => setTimeout(r, 1000));
    await onA.sync();
    await onB.sync();
    expect(closedEvents(onA, group.id)).toHaveLength(1);
    expect(closedEvents(onB, group.id)).toHaveLength(1);
    const db = b.running.services.database.db;
    const rows = await db.select().from(schema.webhookOutbox).where(eq(schema.webhookOutbox.groupId, group.id));
    expect(rows.filter((r) => r.kind === 'winner').map((r) => r.dedupeKey)).toEqual([`night:${day}:1`]);
    const night = await db
      .select()
      .from(schema.nights)
      .where(and(eq(schema.nights.groupId, group.id), eq(schema.nights.day, day)))
      .get();
    expect(night).toMatchObject({ status: 'closed', closeCount: 1 });

    // A restart right after the close: a new instance on the same file finds nothing to do.
    await a.stop();
    restarted = await startInstance(dir.dir, { env, ...loops });
    await new Promise((r) => setTimeout(r, 1000));
    await onB.sync();
    expect(closedEvents(onB, group.id)).toHaveLength(1);
    expect(winners()).toHaveLength(1);
    const after = await db.select().from(schema.webhookOutbox).where(eq(schema.webhookOutbox.groupId, group.id));
    expect(after.filter((r) => r.kind === 'winner')).toHaveLength(1);
    expect(
      await db
        .select({ closeCount: schema.nights.closeCount })
        .from(schema.nights)
        .where(and(eq(schema.nights.groupId, group.id), eq(schema.nights.day, day)))
        .get(),
    ).toEqual({ closeCount: 1 });
    expect(b.logs.text + restarted.logs.text).not.toContain('night close failed');
    onA.close();
    onB.close();
  }, 60_000);
});
