/**
 * In-process caches of the hot read paths (docs/decisions/117-read-caches.md): sessions, the group row
 * with its members' roles, its suggestions, per day its stored night, and the results answers.
 *
 * Correctness does not depend on anyone remembering to invalidate. Triggers (migrations 0007, 0008)
 * stamp, in the same transaction as the change, the scope of every change to what these caches hold in
 * `cache_versions`: `u:<user>` (account, sessions), `g:<group>` (group, memberships, suggestions,
 * nights) and `t:<group>` (the group's tallies: votes, ballots, vetoes), each stamp the new value of a
 * database-wide sequence `*`. A `g:` drop forgets everything of the group; a `t:` drop only its results
 * answers, so that a vote does not cost the next vote its membership, suggestion and night. Before a
 * request uses a cache, `sync()` asks the database what changed since it last looked and drops those
 * scopes. So a change made anywhere — this process, a second instance on the same file, a CLI such
 * as `rotate-keys`, a `libsql://` server shared by several instances — is seen by the next request.
 *
 * - Embedded file: the read client's change count (`CachedSqliteClient.changeCount()`: the WAL-index
 *   header of the `-shm` file, one pread, or `PRAGMA data_version` without WAL) tells whether anyone
 *   committed since the last look; only then is `cache_versions` read. This process's own writes also
 *   mark the caches for a recheck right after their COMMIT (`markDirty()`, called by
 *   `database.write()`), so the caches never depend on the change count for them.
 * - Anything else (`libsql://`, or @libsql/client over a `file:` URL, whose connection can change under
 *   it): data_version means nothing across connections, so every request reads
 *   `cache_versions WHERE version > ?` — one indexed statement instead of the four it saves.
 *
 * A value read while a change committed could be stale; it is stored only if its scope was not dropped
 * since the read began (`tick`/`isFresh`), so the drop cannot come before the store.
 */
import type { Client } from '@libsql/client';
import type { Database } from '../db/client.ts';
import type { schema } from '../db/client.ts';
import { CachedSqliteClient } from '../db/sqlite-client.ts';

type GroupRow = typeof schema.groups.$inferSelect;
type NightRow = typeof schema.nights.$inferSelect;
type SuggestionRow = typeof schema.suggestions.$inferSelect;
type Role = 'owner' | 'admin' | 'member';

/**
 * A Map that forgets its least recently used entry beyond `max` — with the recency kept coarsely: a
 * hit moves its entry to the newest end only when at least half of `max` entries were stored or moved
 * after it (each entry carries the sequence number of its last move). Moving an entry (a Map delete
 * and insert, which leaves a hole the Map later compacts) on every hit cost more than the lookup, and
 * most hits are on entries that were just used. So an entry is dropped only after at least
 * `max - (max / 2 - 1)` other keys were stored or read since its own last use (an exact LRU: `max`),
 * and the size never exceeds `max`: every store drops the oldest entry beyond it.
 */
export class Lru<K, V> {
  readonly #map = new Map<K, { value: V; seq: number }>();
  /** How many stores and moves the map has seen: the sequence number of the newest entry. */
  #seq = 0;
  readonly #fresh: number;
  constructor(readonly max: number) {
    this.#fresh = Math.floor(max / 2);
  }
  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#seq - entry.seq >= this.#fresh) {
      this.#map.delete(key);
      entry.seq = ++this.#seq;
      this.#map.set(key, entry);
    }
    return entry.value;
  }
  /** Reads without refreshing the entry's place. */
  peek(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, { value, seq: ++this.#seq });
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as K);
  }
  delete(key: K): void {
    this.#map.delete(key);
  }
  clear(): void {
    this.#map.clear();
  }
}

/** Scopes remembered individually as "dropped at tick n"; beyond this, all older ones count as dropped. */
const DROPPED_MAX = 10_000;

/** Reads what changed in the database since the last look and tells the caches which scopes to drop. */
export class ChangeFeed {
  /** The last `*` sequence value read; -1 before the first read. */
  #seq = -1;
  /** The read client's change count (CachedSqliteClient.changeCount) when the feed last read the changes. */
  #changeCount = -1;
  #dirty = true;
  /** Requests (Hono contexts) already synced since the last commit of this process. */
  #synced = new WeakSet<object>();
  #tick = 0;
  #floor = 0;
  readonly #dropped = new Map<string, number>();
  readonly #listeners: Array<(scope: string | null) => void> = [];

  constructor(private readonly database: () => Database) {}

  /** Called right after every COMMIT (and failed transaction) of this process: the next read rechecks. */
  markDirty(): void {
    this.#dirty = true;
    this.#synced = new WeakSet();
  }

  /** `fn(scope)` for each changed scope; `fn(null)` when everything must go (first read, or a sequence that went back). */
  onDrop(fn: (scope: string | null) => void): void {
    this.#listeners.push(fn);
  }

  /** A stamp to take before reading something to cache. */
  get tick(): number {
    return this.#tick;
  }

  /** True when `scope` was not dropped since `tick`: a value read after `tick` may be stored. */
  isFresh(scope: string, tick: number): boolean {
    return (this.#dropped.get(scope) ?? this.#floor) <= tick;
  }

  /**
   * Brings the caches up to date with the database. `request` (the Hono context) lets one request
   * sync once; a commit of this process makes every request sync again.
   */
  async sync(request?: object): Promise<void> {
    if (request && this.#synced.has(request)) return;
    const { db } = this.database();
    const client = db.$client as Client;
    if (client instanceof CachedSqliteClient) {
      const changes = client.changeCount();
      if (!this.#dirty && this.#seq >= 0 && changes === this.#changeCount) {
        if (request) this.#synced.add(request);
        return;
      }
      this.#dirty = false;
      await this.#read(client);
      this.#changeCount = changes;
    } else {
      this.#dirty = false;
      await this.#read(client);
    }
    if (request) this.#synced.add(request);
  }

  async #read(client: Client): Promise<void> {
    if (this.#seq < 0) {
      const rs = await client.execute("SELECT version FROM cache_versions WHERE scope = '*'");
      this.#seq = Number(rs.rows[0]?.[0] ?? 0);
      this.#dropAll();
      return;
    }
    const since = this.#seq;
    const rs = await client.execute({ sql: "SELECT scope, version FROM cache_versions WHERE version > ? OR scope = '*'", args: [since] });
    let star = since;
    const changed: string[] = [];
    for (const row of rs.rows) {
      const scope = String(row[0]);
      if (scope === '*') star = Number(row[1]);
      else changed.push(scope);
    }
    if (star < since) {
      // The sequence went back (the file was replaced): nothing cached can be trusted.
      this.#seq = star;
      this.#dropAll();
      return;
    }
    if (changed.length === 0) return;
    this.#tick++;
    if (this.#dropped.size + changed.length > DROPPED_MAX) {
      this.#dropped.clear();
      this.#floor = this.#tick;
    }
    for (const scope of changed) {
      this.#dropped.set(scope, this.#tick);
      for (const fn of this.#listeners) fn(scope);
    }
    if (star > this.#seq) this.#seq = star;
  }

  #dropAll(): void {
    this.#tick++;
    this.#dropped.clear();
    this.#floor = this.#tick;
    for (const fn of this.#listeners) fn(null);
  }
}

export interface CachedSession {
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  lastUsedAt: Date;
  disabledAt: Date | null;
}

/** What is kept per group: its row, its members' roles, its suggestions, and per day its stored night. */
interface GroupEntry {
  row: GroupRow | undefined;
  roles: Lru<string, Role>;
  suggestions: Lru<string, SuggestionRow>;
  /** null: no stored night (the virtual one is computed per request, it depends on the clock). */
  nights: Lru<string, NightRow | null>;
  /** Replaced when the group's tallies change (`t:`): answers stored under an older one are misses. */
  tallies: object;
}

/**
 * An answer belongs to the tallies of the group entry it was stored in: once that entry is dropped
 * (`g:`) or its tallies change (`t:`), the answer is a miss.
 */
interface Answer {
  owner: object;
  value: unknown;
}

const MAX_USERS = 5_000;
const MAX_SESSIONS_PER_USER = 16;
const MAX_GROUPS = 2_000;
const MAX_MEMBERS_PER_GROUP = 1_000;
const MAX_NIGHTS_PER_GROUP = 32;
/** Suggestions kept per group (a day has at most a few dozen; older days fall out first). */
const MAX_SUGGESTIONS_PER_GROUP = 500;
/** The suggestion → group index, over all groups. */
const MAX_SUGGESTIONS = 50_000;
/** Results answers of all groups together (≈ 10–20 KB each for a day of 50 suggestions). */
const MAX_ANSWERS = 1_000;

/** Cached rows and answers are shared by every request: frozen, so that no caller can change them. */
function frozen<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || value instanceof Date) return value;
  for (const v of Object.values(value)) frozen(v);
  return Object.freeze(value);
}

/** The caches and their change feed: one per process (services.caches). */
export class ReadCaches {
  readonly feed: ChangeFeed;
  readonly #sessions = new Lru<string, Lru<string, CachedSession>>(MAX_USERS);
  readonly #groups = new Lru<string, GroupEntry>(MAX_GROUPS);
  readonly #answers = new Lru<string, Answer>(MAX_ANSWERS);
  /** Which group a cached suggestion belongs to (the row itself is kept in that group's entry). */
  readonly #suggestionGroups = new Lru<string, string>(MAX_SUGGESTIONS);

  constructor(database: () => Database) {
    this.feed = new ChangeFeed(database);
    this.feed.onDrop((scope) => {
      if (scope === null) {
        this.#sessions.clear();
        this.#groups.clear();
        this.#answers.clear();
        this.#suggestionGroups.clear();
      } else if (scope.startsWith('u:')) this.#sessions.delete(scope.slice(2));
      else if (scope.startsWith('g:')) this.#groups.delete(scope.slice(2));
      else if (scope.startsWith('t:')) {
        const e = this.#groups.peek(scope.slice(2));
        if (e) e.tallies = {};
      }
    });
  }

  // Sessions, by user (so that a change to the user or any of their sessions drops them all).

  session(userId: string, sessionId: string): CachedSession | undefined {
    return this.#sessions.get(userId)?.get(sessionId);
  }

  storeSession(sessionId: string, value: CachedSession, tick: number): void {
    if (!this.feed.isFresh(`u:${value.userId}`, tick)) return;
    let byId = this.#sessions.get(value.userId);
    if (!byId) {
      byId = new Lru(MAX_SESSIONS_PER_USER);
      this.#sessions.set(value.userId, byId);
    }
    byId.set(sessionId, value);
  }

  // Groups.

  #entry(groupId: string, tick: number): GroupEntry | undefined {
    if (!this.feed.isFresh(`g:${groupId}`, tick)) return undefined;
    let e = this.#groups.get(groupId);
    if (!e) {
      e = {
        row: undefined,
        roles: new Lru(MAX_MEMBERS_PER_GROUP),
        suggestions: new Lru(MAX_SUGGESTIONS_PER_GROUP),
        nights: new Lru(MAX_NIGHTS_PER_GROUP),
        tallies: {},
      };
      this.#groups.set(groupId, e);
    }
    return e;
  }

  /** The member's role and the group's row, when both are cached. */
  memberWithGroup(groupId: string, userId: string): { role: Role; group: GroupRow } | undefined {
    const e = this.#groups.get(groupId);
    const role = e?.roles.get(userId);
    return e?.row && role ? { role, group: e.row } : undefined;
  }

  role(groupId: string, userId: string): Role | undefined {
    return this.#groups.peek(groupId)?.roles.peek(userId);
  }

  storeRole(groupId: string, userId: string, role: Role, tick: number): void {
    this.#entry(groupId, tick)?.roles.set(userId, role);
  }

  storeMemberWithGroup(group: GroupRow, userId: string, role: Role, tick: number): void {
    const e = this.#entry(group.id, tick);
    if (!e) return;
    e.row = frozen(group);
    e.roles.set(userId, role);
  }

  /** The stored night of a day: a row, null for "none stored", undefined when not cached. */
  night(groupId: string, day: string): NightRow | null | undefined {
    return this.#groups.peek(groupId)?.nights.peek(day);
  }

  storeNight(groupId: string, day: string, night: NightRow | null, tick: number): void {
    this.#entry(groupId, tick)?.nights.set(day, frozen(night));
  }

  /** A cached suggestion, by id (whatever its group). */
  suggestion(suggestionId: string): SuggestionRow | undefined {
    const groupId = this.#suggestionGroups.peek(suggestionId);
    return groupId === undefined ? undefined : this.#groups.peek(groupId)?.suggestions.get(suggestionId);
  }

  storeSuggestion(row: SuggestionRow, tick: number): void {
    const e = this.#entry(row.groupId, tick);
    if (!e) return;
    e.suggestions.set(row.id, frozen(row));
    this.#suggestionGroups.set(row.id, row.groupId);
  }

  /** A cached answer for `key` within the group (e.g. results of a day, in a given night state). */
  answer<T>(groupId: string, key: string): T | undefined {
    const a = this.#answers.get(`${groupId}|${key}`);
    return a && a.owner === this.#groups.peek(groupId)?.tallies ? (a.value as T) : undefined;
  }

  /** Stores an answer that depends on the group and its tallies: only if neither changed since `tick`. */
  storeAnswer(groupId: string, key: string, value: unknown, tick: number): void {
    if (!this.feed.isFresh(`t:${groupId}`, tick)) return;
    const e = this.#entry(groupId, tick);
    if (e) this.#answers.set(`${groupId}|${key}`, { owner: e.tallies, value: frozen(value) });
  }
}
