/**
 * The read caches (lib/read-caches.ts) never answer from a stale entry: logout, revocation, disabling,
 * deletion and removal from a group take effect on the very next request with every cache warm, and so
 * does a write made by another connection to the same file (a second app instance, a CLI, anything
 * that does not go through this process). The results read model follows every vote, veto,
 * suggestion, close and settings change. Both database modes: the embedded file (data_version +
 * cache_versions) and @libsql/client over a `file:` URL, the client a `libsql://` URL uses, where
 * cache_versions is read on every request.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LibsqlDatabase from 'libsql';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { openDatabase, schema, type Database } from '../db/client.ts';
import { CachedSqliteClient } from '../db/sqlite-client.ts';
import { loadConfig } from '../env.ts';
import { addDays } from '../lib/time.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices } from '../services.ts';
import { createTestApp, LogCapture, TEST_ORIGIN, testEnv, type TestApp } from '../test/create-test-app.ts';
import { createUser, login, STRONG_PASSWORD, type TestUser } from '../test/factories.ts';
import { addMembers, createGroup, openDay, type TestGroup } from '../test/group-factories.ts';

interface Results {
  voters: number;
  suggestions: Array<{ id: string; gameName: string; votes: number | null }>;
  winners: string[];
}

/** Reads and writes through @libsql/client, as `openDatabase()` does for a `libsql://` URL. */
function officialClientDatabase(database: Database): Database {
  const db = drizzle(database.client, { schema });
  return { ...database, db, write: (fn) => db.transaction(fn, { behavior: 'immediate' }) };
}

describe.each(['embedded file', '@libsql/client over a file: URL'])('read caches (%s)', (mode) => {
  let t: TestApp;
  let admin: TestUser;
  let owner: TestUser;
  let group: TestGroup;
  let foreign: Client;
  const day = openDay();

  beforeAll(async () => {
    t = await createTestApp();
    if (mode.startsWith('@libsql')) t.services.database = officialClientDatabase(t.services.database);
    // The first account is the instance admin.
    admin = await createUser(t);
    owner = await createUser(t);
    group = await createGroup(t, owner, { name: 'Cached', timezone: 'UTC' });
    const vetoes = await t.request(`/api/groups/${group.id}`, {
      method: 'PATCH',
      json: { nightDefaults: { vetoes: 1 } },
      cookie: owner.cookie,
    });
    expect(vetoes.status).toBe(200);
    const path = t.services.config.database.url.replace(/^file:/, '');
    foreign = createClient({ url: `file:${path}`, encryptionKey: t.services.config.database.encryptionKey, intMode: 'number' });
  });
  afterAll(async () => {
    foreign.close();
    await t.close();
  });

  const resultsPath = (d = day) => `/api/groups/${group.id}/results?date=${d}`;
  const results = (u: { cookie?: string; bearer?: string }) => t.request(resultsPath(), u);
  async function resultsOf(u: TestUser): Promise<Results> {
    const res = await results({ cookie: u.cookie });
    expect(res.status).toBe(200);
    return (await res.json()) as Results;
  }
  /** Two reads, so that the session, membership, group, night and results are all cached. */
  async function warm(u: { cookie?: string; bearer?: string }) {
    expect((await results(u)).status).toBe(200);
    expect((await results(u)).status).toBe(200);
  }
  async function member(): Promise<TestUser> {
    const u = await createUser(t);
    await addMembers(t, group.id, owner, [u]);
    return u;
  }
  async function suggest(name: string, by = owner): Promise<string> {
    const res = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: name, date: day }, cookie: by.cookie });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  const vote = (id: string, u: TestUser, method: 'POST' | 'DELETE' = 'POST') =>
    t.request(`/api/suggestions/${id}/votes`, { method, cookie: u.cookie });

  describe('sessions', () => {
    it('logout: the same access token is refused on the next request', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      expect((await t.request('/api/auth/logout', { method: 'POST', cookie: u.cookie })).status).toBe(204);
      expect((await results({ cookie: u.cookie })).status).toBe(401);
      expect((await results({ bearer: u.accessToken })).status).toBe(401);
    });

    it('revoking one session from another: the revoked one is refused at once, the other still works', async () => {
      const u = await member();
      const second = await login(t, u.email, STRONG_PASSWORD);
      await warm({ bearer: second.accessToken });
      await warm({ cookie: u.cookie });
      const list = (await (await t.request('/api/auth/sessions', { cookie: u.cookie })).json()) as Array<{ id: string; current: boolean }>;
      const other = list.find((s) => !s.current);
      expect(other).toBeDefined();
      expect((await t.request(`/api/auth/sessions/${other!.id}`, { method: 'DELETE', cookie: u.cookie })).status).toBe(204);
      expect((await results({ bearer: second.accessToken })).status).toBe(401);
      expect((await results({ cookie: u.cookie })).status).toBe(200);
    });

    it('disabling an account: every one of its sessions is refused at once', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      expect((await t.request(`/api/admin/users/${u.id}/disable`, { method: 'POST', cookie: admin.cookie })).status).toBe(200);
      expect((await results({ cookie: u.cookie })).status).toBe(401);
      expect((await t.request('/api/users/me', { cookie: u.cookie })).status).toBe(401);
    });

    it('deleting an account: its other sessions are refused at once', async () => {
      const u = await member();
      const second = await login(t, u.email, STRONG_PASSWORD);
      await warm({ bearer: second.accessToken });
      const del = await t.request('/api/users/me', { method: 'DELETE', json: { confirm: u.username }, cookie: u.cookie });
      expect(del.status).toBe(204);
      expect((await results({ bearer: second.accessToken })).status).toBe(401);
    });

    it('a session revoked by another connection (rotate-keys, a second instance) is refused on the next request', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      await foreign.execute({
        sql: "UPDATE sessions SET revoked_at = ?, revoked_reason = 'test' WHERE user_id = ?",
        args: [Date.now(), u.id],
      });
      expect((await results({ cookie: u.cookie })).status).toBe(401);
    });

    it('a user disabled by another connection is refused on the next request', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      await foreign.execute({ sql: 'UPDATE users SET disabled_at = ? WHERE id = ?', args: [Date.now(), u.id] });
      expect((await results({ cookie: u.cookie })).status).toBe(401);
    });
  });

  describe('memberships', () => {
    it('removal from the group: the next results read and the next vote answer 404', async () => {
      const u = await member();
      const id = await suggest(`Removal ${mode}`);
      await warm({ cookie: u.cookie });
      expect((await t.request(`/api/groups/${group.id}/members/${u.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
      expect((await results({ cookie: u.cookie })).status).toBe(404);
      expect((await vote(id, u)).status).toBe(404);
      expect((await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: u.cookie })).status).toBe(404);
    });

    it('leaving the group: the next read answers 404', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      expect((await t.request(`/api/groups/${group.id}/members/${u.id}`, { method: 'DELETE', cookie: u.cookie })).status).toBe(204);
      expect((await results({ cookie: u.cookie })).status).toBe(404);
    });

    it('a membership deleted by another connection answers 404 on the next request', async () => {
      const u = await member();
      await warm({ cookie: u.cookie });
      await foreign.execute({ sql: 'DELETE FROM memberships WHERE group_id = ? AND user_id = ?', args: [group.id, u.id] });
      expect((await results({ cookie: u.cookie })).status).toBe(404);
    });

    it('a demotion by another connection takes effect on the next request', async () => {
      const u = await member();
      await foreign.execute({ sql: "UPDATE memberships SET role = 'admin' WHERE group_id = ? AND user_id = ?", args: [group.id, u.id] });
      const invites = () => t.request(`/api/groups/${group.id}/invites`, { cookie: u.cookie });
      expect((await invites()).status).toBe(200);
      expect((await invites()).status).toBe(200);
      await foreign.execute({ sql: "UPDATE memberships SET role = 'member' WHERE group_id = ? AND user_id = ?", args: [group.id, u.id] });
      expect((await invites()).status).toBe(403);
    });
  });

  describe('the vote path (suggestion, membership, group and night from the caches)', () => {
    /** Votes and withdrawals until the vote path's rows are cached (a vote changes only the tallies). */
    async function warmVotes(id: string, u: TestUser) {
      for (let i = 0; i < 2; i++) {
        expect((await vote(id, u)).status).toBe(201);
        expect((await vote(id, u, 'DELETE')).status).toBe(204);
      }
    }

    it('removal from the group after cached votes: the next vote and withdrawal answer 404', async () => {
      const u = await member();
      const id = await suggest(`Vote removal ${mode}`);
      await warmVotes(id, u);
      expect((await vote(id, u)).status).toBe(201);
      expect((await t.request(`/api/groups/${group.id}/members/${u.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
      expect((await vote(id, u, 'DELETE')).status).toBe(404);
      expect((await vote(id, u)).status).toBe(404);
    });

    it('a night closed by another connection: the next vote and withdrawal answer 409 voting_closed', async () => {
      const u = await member();
      const d = addDays(day, 2);
      const res = await t.request(`/api/groups/${group.id}/suggestions`, {
        json: { gameName: `Closing ${mode}`, date: d },
        cookie: owner.cookie,
      });
      expect(res.status).toBe(201);
      const id = ((await res.json()) as { id: string }).id;
      await warmVotes(id, u);
      expect((await vote(id, u)).status).toBe(201);
      await foreign.execute({
        sql: "UPDATE nights SET status = 'closed', closed_at = ? WHERE group_id = ? AND day = ?",
        args: [Date.now(), group.id, d],
      });
      for (const method of ['DELETE', 'POST'] as const) {
        const refused = await vote(id, u, method);
        expect(refused.status).toBe(409);
        expect(await refused.json()).toMatchObject({ code: 'voting_closed' });
      }
    });

    it('a suggestion deleted by another connection: the next vote answers 404', async () => {
      const u = await member();
      const id = await suggest(`Vanishing ${mode}`);
      await warmVotes(id, u);
      await foreign.execute({ sql: 'DELETE FROM suggestions WHERE id = ?', args: [id] });
      expect((await vote(id, u)).status).toBe(404);
    });
  });

  describe('results read model', () => {
    it('follows votes, withdrawals, new and deleted suggestions, and vetoes', async () => {
      const u = await member();
      const a = await suggest(`Alpha ${mode}`);
      const before = await resultsOf(u);
      const tally = (r: Results, id: string) => r.suggestions.find((s) => s.id === id)?.votes;
      expect(tally(before, a)).toBe(1);
      expect((await vote(a, u)).status).toBe(201);
      expect(tally(await resultsOf(u), a)).toBe(2);
      expect((await vote(a, u, 'DELETE')).status).toBe(204);
      expect(tally(await resultsOf(u), a)).toBe(1);

      const b = await suggest(`Bravo ${mode}`, u);
      expect(tally(await resultsOf(u), b)).toBe(1);
      expect((await vote(b, owner)).status).toBe(201);
      const withB = await resultsOf(u);
      expect(tally(withB, b)).toBe(2);
      expect(withB.winners).toContain(b);
      expect((await t.request(`/api/suggestions/${b}/veto`, { method: 'POST', cookie: owner.cookie })).status).toBe(201);
      expect((await resultsOf(u)).winners).not.toContain(b);
      expect((await t.request(`/api/suggestions/${b}`, { method: 'DELETE', cookie: u.cookie })).status).toBe(204);
      expect((await resultsOf(u)).suggestions.map((s) => s.id)).not.toContain(b);
    });

    it('the suggestions list follows an RSVP and a vote, with its playable counts', async () => {
      const u = await member();
      const id = await suggest(`Listed ${mode}`);
      type Listed = { id: string; votes: number | null; votedByMe: boolean; playable: { in: number } | null };
      const list = async (by: TestUser) => {
        const res = await t.request(`/api/groups/${group.id}/suggestions?date=${day}`, { cookie: by.cookie });
        expect(res.status).toBe(200);
        return ((await res.json()) as Listed[]).find((s) => s.id === id)!;
      };
      const before = await list(u);
      expect(before).toMatchObject({ votes: 1, votedByMe: false });
      const rsvp = await t.request(`/api/groups/${group.id}/nights/${day}/rsvp`, {
        method: 'PUT',
        json: { status: 'in' },
        cookie: u.cookie,
      });
      expect(rsvp.status).toBe(200);
      expect((await vote(id, u)).status).toBe(201);
      const after = await list(u);
      expect(after).toMatchObject({ votes: 2, votedByMe: true });
      expect(after.playable!.in).toBe(before.playable!.in + 1);
    });

    it('sees votes written by another connection on the next read', async () => {
      const u = await member();
      const id = await suggest(`Foreign vote ${mode}`);
      const tally = async () => (await resultsOf(owner)).suggestions.find((s) => s.id === id)?.votes;
      expect(await tally()).toBe(1);
      expect(await tally()).toBe(1);
      await foreign.execute({
        sql: 'INSERT INTO votes (suggestion_id, user_id, created_at) VALUES (?, ?, ?)',
        args: [id, u.id, Date.now()],
      });
      expect(await tally()).toBe(2);
    });

    it('hides the tally as soon as the group keeps results until the close, and shows it after the close', async () => {
      const id = await suggest(`Hidden ${mode}`);
      const shown = await resultsOf(owner);
      expect(shown.suggestions.find((s) => s.id === id)?.votes).toBe(1);
      const patch = await t.request(`/api/groups/${group.id}`, {
        method: 'PATCH',
        json: { nightDefaults: { resultsVisibility: 'after_close' } },
        cookie: owner.cookie,
      });
      expect(patch.status).toBe(200);
      // The night of the day already has its row: its own visibility is what counts.
      await foreign.execute({
        sql: "UPDATE nights SET results_visibility = 'after_close' WHERE group_id = ? AND day = ?",
        args: [group.id, day],
      });
      const hidden = await resultsOf(owner);
      expect(hidden.suggestions.every((s) => s.votes === null)).toBe(true);
      expect(hidden.winners).toEqual([]);
      expect((await t.request(`/api/groups/${group.id}/nights/${day}/close`, { method: 'POST', cookie: owner.cookie })).status).toBe(200);
      const closed = await resultsOf(owner);
      expect(closed.suggestions.find((s) => s.id === id)?.votes).toBe(1);
      // Back to live results for the other tests.
      const back = await t.request(`/api/groups/${group.id}`, {
        method: 'PATCH',
        json: { nightDefaults: { resultsVisibility: 'live' } },
        cookie: owner.cookie,
      });
      expect(back.status).toBe(200);
    });
  });
});

describe('a value read before a change is not stored after the change was seen', () => {
  it('storeRole / storeSession with a stamp older than the drop are ignored', async () => {
    const t = await createTestApp();
    try {
      const owner = await createUser(t);
      const group = await createGroup(t, owner, { name: 'Race', timezone: 'UTC' });
      const { caches } = t.services;
      await caches.feed.sync();
      // A reader takes its stamp and reads the row…
      const stamp = caches.feed.tick;
      // …meanwhile the membership and the session change and the caches see it…
      await t.services.database.client.execute({ sql: "UPDATE memberships SET role = 'owner' WHERE group_id = ?", args: [group.id] });
      await t.services.database.client.execute({
        sql: 'UPDATE sessions SET revoked_at = ? WHERE user_id = ?',
        args: [Date.now(), owner.id],
      });
      await caches.feed.sync();
      // …then the reader stores what it read before: refused, both times.
      caches.storeRole(group.id, owner.id, 'owner', stamp);
      expect(caches.role(group.id, owner.id)).toBeUndefined();
      caches.storeSession(
        's',
        { userId: owner.id, revokedAt: null, expiresAt: new Date(Date.now() + 60_000), lastUsedAt: new Date(), disabledAt: null },
        stamp,
      );
      expect(caches.session(owner.id, 's')).toBeUndefined();
      // A read that starts after the drop is stored.
      caches.storeRole(group.id, owner.id, 'owner', caches.feed.tick);
      expect(caches.role(group.id, owner.id)).toBe('owner');
    } finally {
      await t.close();
    }
  });
});

describe('the change count without a WAL index (PRAGMA data_version)', () => {
  it('moves when another connection commits, and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-change-count-'));
    const path = join(dir, 'rollback-journal.db');
    const other = new LibsqlDatabase(path);
    let reader: CachedSqliteClient | undefined;
    try {
      other.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
      reader = new CachedSqliteClient(path, { timeout: 1000 });
      const first = reader.changeCount();
      expect(reader.changeCount()).toBe(first);
      other.prepare('INSERT INTO t VALUES (2)').run();
      const after = reader.changeCount();
      expect(after).not.toBe(first);
      expect(reader.changeCount()).toBe(after);
      // No WAL, so no -shm to read: this was PRAGMA data_version's answer.
      expect(existsSync(`${path}-shm`)).toBe(false);
    } finally {
      reader?.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the change count of the read client (WAL-index header)', () => {
  it('moves for every commit, of this process or of another one, and stays put otherwise', async () => {
    const t = await createTestApp();
    try {
      const reader = t.services.database.db.$client as unknown as CachedSqliteClient;
      const first = reader.changeCount();
      expect(reader.changeCount()).toBe(first);
      // Reads change nothing.
      expect((await t.request('/healthz', {})).status).toBe(200);
      expect(reader.changeCount()).toBe(first);
      // A commit of this process's writer.
      await createUser(t);
      const afterOwn = reader.changeCount();
      expect(afterOwn).not.toBe(first);
      expect(reader.changeCount()).toBe(afterOwn);
      // A commit of another process: a child with its own libsql connection to the same encrypted file.
      const { database } = t.services.config;
      const child = spawnSync(
        process.execPath,
        [
          '-e',
          `const D = require('libsql'); const db = new D(process.argv[1], { encryptionKey: process.argv[2], timeout: 5000 });
           db.prepare("UPDATE app_settings SET updated_at = updated_at + 1 WHERE key = 'audit_retention_days'").run(); db.close();`,
          database.url.replace(/^file:/, ''),
          database.encryptionKey ?? '',
        ],
        { cwd: import.meta.dirname, encoding: 'utf8' },
      );
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const afterForeign = reader.changeCount();
      expect(afterForeign).not.toBe(afterOwn);
      expect(reader.changeCount()).toBe(afterForeign);
    } finally {
      await t.close();
    }
  });
});

describe('a second app instance on the same file', () => {
  let t: TestApp;
  let second: { app: ReturnType<typeof createApp>; database: Database };
  let owner: TestUser;
  let alice: TestUser;
  let group: TestGroup;
  const day = openDay();

  beforeAll(async () => {
    t = await createTestApp();
    const config = loadConfig(testEnv(t.dir));
    const logger = createLogger(config.logLevel, new LogCapture());
    const database = await openDatabase(config, logger);
    second = { app: createApp(createServices(config, database, logger)), database };
    [owner, alice] = [await createUser(t), await createUser(t)];
    group = await createGroup(t, owner, { name: 'Two instances', timezone: 'UTC' });
    await addMembers(t, group.id, owner, [alice]);
  });
  afterAll(async () => {
    second.database.close();
    await t.close();
  });

  const onSecond = (path: string, init: RequestInit & { cookie: string }) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', init.cookie);
    if (init.method && init.method !== 'GET') headers.set('origin', TEST_ORIGIN);
    return second.app.request(`http://localhost:3000${path}`, { ...init, headers });
  };

  it('a removal made on the other instance answers 404 here on the next request', async () => {
    const results = () => t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: alice.cookie });
    expect((await results()).status).toBe(200);
    expect((await results()).status).toBe(200);
    const suggestion = await t.request(`/api/groups/${group.id}/suggestions`, {
      json: { gameName: 'Shared file', date: day },
      cookie: owner.cookie,
    });
    const id = ((await suggestion.json()) as { id: string }).id;
    // A vote on the other instance shows here at once.
    expect((await onSecond(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: alice.cookie })).status).toBe(201);
    const tally = (await (await results()).json()) as Results;
    expect(tally.suggestions.find((s) => s.id === id)?.votes).toBe(2);
    expect((await onSecond(`/api/groups/${group.id}/members/${alice.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await results()).status).toBe(404);
  });

  it('a logout on the other instance is refused here on the next request', async () => {
    const me = () => t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: owner.cookie });
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(200);
    expect((await onSecond('/api/auth/logout', { method: 'POST', cookie: owner.cookie })).status).toBe(204);
    expect((await me()).status).toBe(401);
  });
});
