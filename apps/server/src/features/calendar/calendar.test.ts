/**
 * The private calendar feed (docs/api.md "Calendar feed"): a URL that is the secret, rotated and
 * revoked at once, and an RFC 5545 document that a real parser (ical.js) reads back exactly.
 *
 * Nights and RSVPs have no API on this branch yet (the nights feature is built in parallel), so the
 * tests write those rows directly — the same rows the nights API writes — and everything else goes
 * through the real endpoints.
 */
import fc from 'fast-check';
import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, TEST_ORIGIN, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';
import { escapeText, foldLine } from './ics.ts';

const NOW = '2026-12-02T12:00:00Z';
let t: TestApp;
const clock = new ManualClock(NOW);
let owner: TestUser;
let friend: TestUser;
let stranger: TestUser;
let berlin: TestGroup;
let la: TestGroup;
let other: TestGroup;

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock = clock;
  [owner, friend, stranger] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
  berlin = await createGroup(t, owner, { name: 'Friday crew', timezone: 'Europe/Berlin' });
  la = await createGroup(t, owner, { name: 'LA, "west"; crew', timezone: 'America/Los_Angeles' });
  other = await createGroup(t, stranger, { name: 'Stranger things', timezone: 'UTC' });
  await addMembers(t, berlin.id, owner, [friend]);
  await addMembers(t, la.id, owner, [friend]);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  clock.set(NOW);
});

// ---- helpers: rows the nights feature writes, and the feed as a calendar app sees it ----

async function suggest(groupId: string, day: string, gameName: string, by: TestUser): Promise<string> {
  const id = newId();
  await t.services.database.write(async (tx) => {
    await tx
      .insert(schema.suggestions)
      .values({ id, groupId, day, gameName, gameKey: `${gameName.toLowerCase()}:${id}`, suggestedBy: by.id });
    await tx.insert(schema.votes).values({ suggestionId: id, userId: by.id });
  });
  return id;
}

async function rsvp(groupId: string, day: string, user: TestUser, status: 'in' | 'maybe' | 'out') {
  await t.services.database.write((tx) =>
    tx
      .insert(schema.rsvps)
      .values({ groupId, day, userId: user.id, status, updatedAt: clock.now() })
      .onConflictDoUpdate({ target: [schema.rsvps.groupId, schema.rsvps.day, schema.rsvps.userId], set: { status } }),
  );
}

async function night(groupId: string, day: string, row: Partial<typeof schema.nights.$inferInsert> & { startsAt: Date; closesAt: Date }) {
  await t.services.database.write((tx) =>
    tx
      .insert(schema.nights)
      .values({ groupId, day, ...row })
      .onConflictDoUpdate({ target: [schema.nights.groupId, schema.nights.day], set: row }),
  );
}

async function createFeed(user: TestUser): Promise<{ url: string; path: string; token: string }> {
  const res = await t.request('/api/users/me/calendar', { method: 'POST', cookie: user.cookie });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  const path = new URL(url).pathname;
  return { url, path, token: path.slice('/api/calendar/'.length, -'.ics'.length) };
}

/** A GET the way a calendar app makes it: no cookie, no Origin of ours. */
function fetchFeed(path: string, headers: Record<string, string> = {}) {
  return t.request(path, { headers: { 'user-agent': 'Google-Calendar-Importer', ...headers } });
}

async function events(path: string) {
  const res = await fetchFeed(path);
  expect(res.status).toBe(200);
  const text = await res.text();
  const cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
  return {
    text,
    cal,
    events: cal.getAllSubcomponents('vevent').map((v) => ({
      uid: String(v.getFirstPropertyValue('uid')),
      summary: String(v.getFirstPropertyValue('summary')),
      status: v.getFirstPropertyValue('status') as string | null,
      url: String(v.getFirstPropertyValue('url')),
      description: String(v.getFirstPropertyValue('description') ?? ''),
      start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
      end: (v.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
      startRaw: v.getFirstProperty('dtstart')!.toICALString(),
      stamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    })),
  };
}

const uidOf = (g: TestGroup, day: string) => `${g.id}-${day}@localhost`;

// ---- attacks first ----

describe('calendar feed — attacks', () => {
  it('a rotated URL is 404 at once; the new one works', async () => {
    const first = await createFeed(owner);
    expect((await fetchFeed(first.path)).status).toBe(200);
    const second = await createFeed(owner);
    expect(second.token).not.toBe(first.token);
    const res = await fetchFeed(first.path);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found', error: expect.any(String) as string });
    expect((await fetchFeed(second.path)).status).toBe(200);
  });

  it('a revoked URL is 404 at once; revoking again is still 204', async () => {
    const feed = await createFeed(friend);
    expect((await fetchFeed(feed.path)).status).toBe(200);
    expect((await t.request('/api/users/me/calendar', { method: 'DELETE', cookie: friend.cookie })).status).toBe(204);
    expect((await fetchFeed(feed.path)).status).toBe(404);
    expect((await t.request('/api/users/me/calendar', { method: 'DELETE', cookie: friend.cookie })).status).toBe(204);
  });

  it('needs a signed-in user to create or revoke, and refuses a cross-site POST', async () => {
    expect((await t.request('/api/users/me/calendar', { method: 'POST' })).status).toBe(401);
    expect((await t.request('/api/users/me/calendar', { method: 'DELETE' })).status).toBe(401);
    const res = await t.request('/api/users/me/calendar', {
      method: 'POST',
      cookie: owner.cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it("another user's URL shows only that user's groups", async () => {
    await suggest(other.id, '2026-12-03', 'Stranger game', stranger);
    await suggest(berlin.id, '2026-12-03', 'Crew game', owner);
    const mine = await events((await createFeed(owner)).path);
    const theirs = await events((await createFeed(stranger)).path);
    expect(theirs.events.map((e) => e.uid)).toEqual([uidOf(other, '2026-12-03')]);
    expect(theirs.text).not.toContain('Friday crew');
    expect(mine.events.map((e) => e.uid)).toContain(uidOf(berlin, '2026-12-03'));
    expect(mine.events.map((e) => e.uid)).not.toContain(uidOf(other, '2026-12-03'));
  });

  it('leaving a group removes its nights from the feed at once', async () => {
    const leaver = await createUser(t);
    const g = await createGroup(t, owner, { name: 'Short stay', timezone: 'UTC' });
    await addMembers(t, g.id, owner, [leaver]);
    await rsvp(g.id, '2026-12-04', leaver, 'in');
    const feed = await createFeed(leaver);
    expect((await events(feed.path)).events.map((e) => e.uid)).toEqual([uidOf(g, '2026-12-04')]);
    const res = await t.request(`/api/groups/${g.id}/members/${leaver.id}`, { method: 'DELETE', cookie: leaver.cookie });
    expect(res.status).toBe(204);
    const after = await events(feed.path);
    expect(after.events).toEqual([]);
    expect(after.text).not.toContain('Short stay');
  });

  it('keeps the token out of the logs, the audit log and the database', async () => {
    const feed = await createFeed(owner);
    await fetchFeed(feed.path);
    await fetchFeed(`${feed.path.slice(0, -4)}x.ics`); // a near miss: 404, logged too
    expect(t.logs.text).toContain('/api/calendar/[redacted]');
    expect(t.logs.text).not.toContain(feed.token);
    const rows = await t.services.database.db.select().from(schema.securityEvents).where(eq(schema.securityEvents.userId, owner.id));
    const types = rows.map((r) => r.type);
    expect(types).toContain('calendar_feed_created');
    expect(types).toContain('calendar_feed_rotated');
    expect(JSON.stringify(rows)).not.toContain(feed.token);
    const stored = await t.services.database.db.select().from(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, owner.id)).get();
    expect(stored?.tokenHash).toBe(sha256(feed.token));
    expect(JSON.stringify(stored)).not.toContain(feed.token);
  });

  it('audits revocation', async () => {
    const u = await createUser(t);
    await createFeed(u);
    await t.request('/api/users/me/calendar', { method: 'DELETE', cookie: u.cookie });
    const rows = await t.services.database.db.select().from(schema.securityEvents).where(eq(schema.securityEvents.userId, u.id));
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['calendar_feed_created', 'calendar_feed_revoked']));
  });

  it('stops the feed of a disabled account, and removes it with a deleted one', async () => {
    const u = await createUser(t);
    const feed = await createFeed(u);
    await t.services.database.write((tx) => tx.update(schema.users).set({ disabledAt: clock.now() }).where(eq(schema.users.id, u.id)));
    expect((await fetchFeed(feed.path)).status).toBe(404);
    await t.services.database.write((tx) => tx.update(schema.users).set({ disabledAt: null }).where(eq(schema.users.id, u.id)));
    expect((await fetchFeed(feed.path)).status).toBe(200);
    const del = await t.request('/api/users/me', { method: 'DELETE', json: { confirm: u.username }, cookie: u.cookie });
    expect(del.status).toBe(204);
    expect((await fetchFeed(feed.path)).status).toBe(404);
    const rows = await t.services.database.db.select().from(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, u.id));
    expect(rows).toEqual([]);
  });

  it('answers a guessed, short or malformed token with 404 in the error format, never 500', async () => {
    const feed = await createFeed(owner);
    const guesses = [
      `/api/calendar/${'A'.repeat(43)}.ics`,
      `/api/calendar/${feed.token.slice(0, 20)}.ics`,
      `/api/calendar/${feed.token}`,
      `/api/calendar/${feed.token}.ICS`,
      `/api/calendar/${feed.token}.ics.ics`,
      `/api/calendar/${feed.token.toUpperCase()}.ics`,
      '/api/calendar/.ics',
      '/api/calendar/x.ics',
      `/api/calendar/${encodeURIComponent("' OR 1=1 --")}.ics`,
      '/api/calendar/%00.ics',
      '/api/calendar/%E2%80%AE.ics',
      '/api/calendar/%ZZ.ics',
      `/api/calendar/${'a'.repeat(5000)}.ics`,
      `/api/calendar/${sha256(feed.token)}.ics`, // the stored hash is not a key
    ];
    for (const path of guesses) {
      const res = await fetchFeed(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { code: string }).code, path).toBe('not_found');
    }
  });

  it('never names a leader before the close when results are hidden, and names the winner after', async () => {
    const g = await createGroup(t, owner, { name: 'Hidden crew', timezone: 'UTC' });
    await t.services.database.write((tx) =>
      tx.update(schema.groups).set({ nightResultsVisibility: 'after_close' }).where(eq(schema.groups.id, g.id)),
    );
    await addMembers(t, g.id, owner, [friend]);
    const leader = await suggest(g.id, '2026-12-05', 'Secret Leader', owner);
    await t.services.database.write((tx) => tx.insert(schema.votes).values({ suggestionId: leader, userId: friend.id }));
    await suggest(g.id, '2026-12-05', 'Runner Up', friend);
    // An open night row, even one carrying a stale winner (e.g. after a reopen), names no game.
    await night(g.id, '2026-12-06', {
      startsAt: new Date('2026-12-06T20:00:00Z'),
      closesAt: new Date('2026-12-06T19:30:00Z'),
      status: 'open',
      resultsVisibility: 'after_close',
      winnerGameName: 'Stale Winner',
      winnerVotes: 2,
    });
    await rsvp(g.id, '2026-12-06', friend, 'maybe');
    const feed = await createFeed(friend);
    let cal = await events(feed.path);
    const open = cal.events.filter((e) => e.uid.startsWith(`${g.id}-`));
    expect(open.map((e) => e.summary)).toEqual(['Hidden crew — voting until 19:30', 'Hidden crew — voting until 19:30']);
    for (const word of ['Secret Leader', 'Runner Up', 'Stale Winner']) expect(cal.text).not.toContain(word);

    await night(g.id, '2026-12-05', {
      startsAt: new Date('2026-12-05T20:00:00Z'),
      closesAt: new Date('2026-12-05T19:30:00Z'),
      status: 'closed',
      resultsVisibility: 'after_close',
      winnerSuggestionId: leader,
      winnerGameName: 'Secret Leader',
      winnerVotes: 2,
      decidedBy: 'votes',
      closedAt: new Date('2026-12-05T19:30:00Z'),
    });
    cal = await events(feed.path);
    expect(cal.events.find((e) => e.uid === uidOf(g, '2026-12-05'))?.summary).toBe('Secret Leader — Hidden crew');
    expect(cal.text).not.toContain('Runner Up');
  });

  it('serves a calendar app: no cookie, a foreign origin or a stale cookie change nothing; private headers', async () => {
    const feed = await createFeed(owner);
    const res = await fetchFeed(feed.path, {
      origin: 'https://calendar.google.com',
      'sec-fetch-site': 'cross-site',
      cookie: 'qc_access=expired.or.forged',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const head = await t.request(feed.path, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('calendar feed — fuzzing and the contract', () => {
  it('answers any path segment with 200 or 404 in the error format, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{40,46}(\.ics)?$/), fc.string({ unit: 'grapheme' })),
        async (seg) => {
          const res = await fetchFeed(`/api/calendar/${encodeURIComponent(seg)}`);
          expect(res.status, seg).toBeLessThan(500);
          if (res.status !== 200) expect(((await res.json()) as { code: string }).code).toMatch(/^[a-z_]+$/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never answers a 5xx to a random body on create or revoke', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'DELETE'), fc.jsonValue(), async (method, json) => {
        const res = await t.request('/api/users/me/calendar', { method, json, cookie: owner.cookie });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 30 },
    );
  });

  it('publishes the three routes in the OpenAPI document', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/api/users/me/calendar']?.post).toBeTruthy();
    expect(doc.paths['/api/users/me/calendar']?.delete).toBeTruthy();
    expect(doc.paths['/api/calendar/{token}']?.get).toBeTruthy();
  });
});

describe('calendar feed — rate limit', () => {
  it('limits feed fetches per address (429 + Retry-After)', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on' });
    try {
      const u = await createUser(limited);
      const res = await limited.request('/api/users/me/calendar', { method: 'POST', cookie: u.cookie });
      const path = new URL(((await res.json()) as { url: string }).url).pathname;
      let last: Response | undefined;
      for (let i = 0; i < 200; i++) {
        last = await limited.request(path);
        if (last.status !== 200) break;
      }
      expect(last?.status).toBe(429);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.logs.text).not.toContain(path.slice('/api/calendar/'.length, -4));
    } finally {
      await limited.close();
    }
  });
});

// ---- content ----

describe('calendar feed — content (RFC 5545, read back by ical.js)', () => {
  it('answers with the calendar properties and one event per night with a suggestion or my RSVP in/maybe', async () => {
    const u = await createUser(t);
    const g = await createGroup(t, u, { name: 'Window crew', timezone: 'UTC' });
    await suggest(g.id, '2026-11-02', 'Thirty days back', u); // today − 30: in
    await suggest(g.id, '2026-11-01', 'Too old', u); // today − 31: out
    await suggest(g.id, '2027-01-31', 'Sixty ahead', u); // today + 60: in
    await suggest(g.id, '2027-02-01', 'Too far', u); // today + 61: out
    await rsvp(g.id, '2026-12-10', u, 'in');
    await rsvp(g.id, '2026-12-11', u, 'maybe');
    await rsvp(g.id, '2026-12-12', u, 'out'); // out and nothing suggested: no event
    await night(g.id, '2026-12-13', { startsAt: new Date('2026-12-13T20:00:00Z'), closesAt: new Date('2026-12-13T19:30:00Z') }); // edited, empty
    const { cal, events: list } = await events((await createFeed(u)).path);
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(String(cal.getFirstPropertyValue('prodid'))).toMatch(/QueueCrew/);
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(String(cal.getFirstPropertyValue('x-wr-calname'))).toMatch(/QueueCrew/);
    expect(list.map((e) => e.uid).sort()).toEqual(['2026-11-02', '2026-12-10', '2026-12-11', '2027-01-31'].map((d) => uidOf(g, d)).sort());
    for (const e of list) {
      expect(e.stamp).toBe(new Date(NOW).toISOString());
      expect(e.url).toBe(`${TEST_ORIGIN}/groups/${g.id}?day=${e.uid.slice(g.id.length + 1, g.id.length + 11)}`);
    }
  });

  it('puts a Los Angeles night at its start in UTC, ends it 3 h later, and says when voting closes in group time', async () => {
    await suggest(la.id, '2026-12-05', 'Valheim', owner);
    const { events: list } = await events((await createFeed(friend)).path);
    const e = list.find((x) => x.uid === uidOf(la, '2026-12-05'))!;
    expect(e.start).toBe('2026-12-06T04:00:00.000Z'); // 20:00 PST = 04:00Z next day
    expect(e.startRaw).toBe('DTSTART:20261206T040000Z');
    expect(e.end).toBe('2026-12-06T07:00:00.000Z');
    expect(e.summary).toBe('LA, "west"; crew — voting until 19:30');
  });

  it('follows a DST change in Los Angeles (20:00 PDT after the spring switch)', async () => {
    clock.set('2027-03-10T12:00:00Z');
    await suggest(la.id, '2027-03-14', 'After the switch', owner); // US DST starts 2027-03-14
    await suggest(la.id, '2027-03-13', 'Before the switch', owner);
    const { events: list } = await events((await createFeed(owner)).path);
    expect(list.find((x) => x.uid === uidOf(la, '2027-03-13'))?.start).toBe('2027-03-14T04:00:00.000Z');
    expect(list.find((x) => x.uid === uidOf(la, '2027-03-14'))?.start).toBe('2027-03-15T03:00:00.000Z');
  });

  it('uses an edited night’s own times and the group defaults otherwise (Berlin)', async () => {
    await t.services.database.write((tx) =>
      tx.update(schema.groups).set({ nightStartTime: '19:00', nightCloseBeforeMinutes: 60 }).where(eq(schema.groups.id, berlin.id)),
    );
    await suggest(berlin.id, '2026-12-20', 'Default time', owner);
    await suggest(berlin.id, '2026-12-21', 'Moved by hand', owner);
    await night(berlin.id, '2026-12-21', {
      startsAt: new Date('2026-12-21T17:15:00Z'),
      closesAt: new Date('2026-12-21T16:45:00Z'),
      timesEdited: true,
    });
    const { events: list } = await events((await createFeed(owner)).path);
    const byDay = (d: string) => list.find((x) => x.uid === uidOf(berlin, d))!;
    expect(byDay('2026-12-20').start).toBe('2026-12-20T18:00:00.000Z'); // 19:00 CET
    expect(byDay('2026-12-20').summary).toBe('Friday crew — voting until 18:00');
    expect(byDay('2026-12-21').start).toBe('2026-12-21T17:15:00.000Z');
    expect(byDay('2026-12-21').summary).toBe('Friday crew — voting until 17:45');
  });

  it('names the winner of a closed night, and marks a cancelled night CANCELLED', async () => {
    const won = await suggest(berlin.id, '2026-12-01', 'Deep Rock Galactic', owner);
    await night(berlin.id, '2026-12-01', {
      startsAt: new Date('2026-12-01T18:00:00Z'),
      closesAt: new Date('2026-12-01T17:00:00Z'),
      status: 'closed',
      winnerSuggestionId: won,
      winnerGameName: 'Deep Rock Galactic',
      winnerVotes: 1,
      decidedBy: 'votes',
      closedAt: new Date('2026-12-01T17:00:00Z'),
    });
    await suggest(berlin.id, '2026-12-08', 'Not tonight', owner);
    await night(berlin.id, '2026-12-08', {
      startsAt: new Date('2026-12-08T18:00:00Z'),
      closesAt: new Date('2026-12-08T17:00:00Z'),
      status: 'cancelled',
    });
    const { events: list } = await events((await createFeed(friend)).path);
    const closed = list.find((x) => x.uid === uidOf(berlin, '2026-12-01'))!;
    expect(closed.summary).toBe('Deep Rock Galactic — Friday crew');
    expect(closed.status).toBe('CONFIRMED');
    const cancelled = list.find((x) => x.uid === uidOf(berlin, '2026-12-08'))!;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.summary).toBe('Friday crew — cancelled');
  });

  it('escapes and folds a winner of emoji, commas and semicolons, and reads it back unchanged', async () => {
    const name = '🎮 Co-op, chaos; and \\ backslashes, 👾👾👾 Überlänge — “quoted” ✨ night 🧙‍♀️ with a very long name indeed';
    const g = await createGroup(t, owner, { name: 'Emoji, crew', timezone: 'UTC' });
    const won = await suggest(g.id, '2026-11-30', name, owner);
    await night(g.id, '2026-11-30', {
      startsAt: new Date('2026-11-30T20:00:00Z'),
      closesAt: new Date('2026-11-30T19:30:00Z'),
      status: 'closed',
      winnerSuggestionId: won,
      winnerGameName: name,
      winnerVotes: 1,
      decidedBy: 'votes',
      closedAt: new Date('2026-11-30T19:30:00Z'),
    });
    const feed = await createFeed(owner);
    const { events: list } = await events(feed.path);
    expect(list.find((x) => x.uid === uidOf(g, '2026-11-30'))?.summary).toBe(`${name} — Emoji, crew`);

    // Raw bytes: every line ends in CRLF, none is longer than 75 octets, and none splits a UTF-8 character.
    const bytes = Buffer.from(await (await fetchFeed(feed.path)).arrayBuffer());
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    let lines = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        const line = bytes.subarray(start, i);
        expect(line.length).toBeLessThanOrEqual(75);
        expect(() => decoder.decode(line)).not.toThrow();
        start = i + 2;
        lines++;
      }
    }
    expect(start).toBe(bytes.length);
    expect(lines).toBeGreaterThan(10);
    expect(text).toContain('Co-op\\, chaos\\; and \\\\ backslashes\\,');
    expect(text).toMatch(/\r\n [^\r\n]/); // the long summary was folded
  });
});

describe('ics helpers', () => {
  it('escapes backslash, semicolon, comma and newlines, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg\u0007h\ti')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ngh\ti');
  });

  it('folds at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });
});
