/**
 * Reading the game library. A list is a fixed number of SQL queries whatever its size: the games (with
 * their wins from closed nights), all owners of those games, and — for a night — the "in" members who
 * do not own each game. Search runs on the `game_keys` primary key (group, key) as a key-prefix range.
 */
import type { z } from '@hono/zod-openapi';
import { GameSchema, GameUserSchema, libraryKey, PlayableSchema } from '@queuecrew/shared';
import { sql } from 'drizzle-orm';
import { executeText, schema, type Db, type Tx } from '../../db/client.ts';

export { GameUserSchema, PlayableSchema, GameSchema };

export type GameUser = z.infer<typeof GameUserSchema>;

export type PlayableDto = z.infer<typeof PlayableSchema>;

export type GameDto = z.infer<typeof GameSchema>;

export type GameRow = typeof schema.games.$inferSelect;

export async function findGame(db: Db | Tx, gameId: string): Promise<GameRow | undefined> {
  return db
    .select()
    .from(schema.games)
    .where(sql`${schema.games.id} = ${gameId}`)
    .get();
}

/** The game that owns `key` (a name or alias key) in the group. */
export async function findGameIdByKey(db: Db | Tx, groupId: string, key: string): Promise<string | undefined> {
  const row = await db
    .select({ gameId: schema.gameKeys.gameId })
    .from(schema.gameKeys)
    .where(sql`${schema.gameKeys.groupId} = ${groupId} AND ${schema.gameKeys.key} = ${key}`)
    .get();
  return row?.gameId;
}

interface GameSqlRow {
  id: string;
  name: string;
  aliases: string;
  min_players: number | null;
  max_players: number | null;
  playtime_minutes: number | null;
  platforms: string;
  steam_app_id: number | null;
  cover_url: string | null;
  added_by_id: string | null;
  added_by_name: string | null;
  created_at: number;
  times_won: number;
  last_won_on: string | null;
}

interface Filter {
  groupId: string;
  /** Only these games (by id). */
  ids?: string[];
  /** Search text: games with a name or alias key starting with its key. */
  q?: string;
}

/** The upper bound of a key-prefix range: every key starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * The games a filter selects. With ids or a search, the rows are found from the id list or the key
 * range (primary keys), and the group is a check on each (`+g.group_id`, no index): left indexable,
 * SQLite walks every game of the group by `games_group_idx` and tests each against the list, which is
 * what made a search on a library of 5,000 games cost ≈ 6 ms (docs/operations.md, Issue 15).
 */
function whereOf(f: Filter) {
  const narrowed = f.ids !== undefined || (f.q !== undefined && libraryKey(f.q).length > 0);
  const parts = [narrowed ? sql`+g.group_id = ${f.groupId}` : sql`g.group_id = ${f.groupId}`];
  if (f.ids)
    parts.push(
      sql`g.id IN (${sql.join(
        f.ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  if (f.q !== undefined) {
    const key = libraryKey(f.q);
    if (key.length > 0) {
      parts.push(sql`g.id IN (SELECT k.game_id FROM game_keys k
        WHERE k.group_id = ${f.groupId} AND k.key >= ${key} AND k.key < ${prefixEnd(key)})`);
    }
  }
  return sql.join(parts, sql` AND `);
}

/**
 * Games of a group as `viewerId` sees them, by name; with `day`, each with `playable` for that night.
 * Four queries whatever the number of games.
 */
export async function listGames(db: Db | Tx, f: Filter, viewerId: string, day?: string): Promise<GameDto[]> {
  if (f.ids && f.ids.length === 0) return [];
  const rows = await db.all<GameSqlRow>(sql`
    SELECT g.id, g.name, g.aliases, g.min_players, g.max_players, g.playtime_minutes, g.platforms,
           g.steam_app_id, g.cover_url, u.id AS added_by_id, u.username AS added_by_name, g.created_at,
           coalesce(w.times_won, 0) AS times_won, w.last_won_on
    FROM games g
    LEFT JOIN users u ON u.id = g.added_by
    LEFT JOIN (
      -- The group's nights by primary key: status is a check (+), not the closed nights of every group.
      SELECT s.game_id, count(*) AS times_won, max(n.day) AS last_won_on
      FROM nights n JOIN suggestions s ON s.id = n.winner_suggestion_id
      WHERE n.group_id = ${f.groupId} AND +n.status = 'closed' AND s.game_id IS NOT NULL
      GROUP BY s.game_id
    ) w ON w.game_id = g.id
    WHERE ${whereOf(f)}
    ORDER BY g.name COLLATE NOCASE, g.id`);
  if (rows.length === 0) return [];

  const owners = await db.all<{ game_id: string; id: string; username: string; avatar_url: string | null }>(sql`
    SELECT o.game_id, u.id, u.username, u.avatar_url
    FROM game_owners o JOIN games g ON g.id = o.game_id JOIN users u ON u.id = o.user_id
    WHERE ${whereOf(f)}
    ORDER BY u.username COLLATE NOCASE, u.id`);
  const ownersOf = new Map<string, GameUser[]>();
  for (const o of owners) {
    ownersOf.set(o.game_id, [...(ownersOf.get(o.game_id) ?? []), { id: o.id, username: o.username, avatarUrl: o.avatar_url }]);
  }

  let playable: Map<string, PlayableDto> | undefined;
  if (day !== undefined)
    playable = await playableOf(
      db,
      f.groupId,
      rows.map((r) => r.id),
      day,
    );

  return rows.map((r) => {
    const gameOwners = ownersOf.get(r.id) ?? [];
    const dto: GameDto = {
      id: r.id,
      name: r.name,
      aliases: JSON.parse(r.aliases) as string[],
      minPlayers: r.min_players,
      maxPlayers: r.max_players,
      playtimeMinutes: r.playtime_minutes,
      platforms: JSON.parse(r.platforms) as GameDto['platforms'],
      steamAppId: r.steam_app_id,
      coverUrl: r.cover_url,
      owners: gameOwners,
      ownedByMe: gameOwners.some((o) => o.id === viewerId),
      timesWon: Number(r.times_won),
      lastWonOn: r.last_won_on,
      addedBy: r.added_by_id !== null && r.added_by_name !== null ? { id: r.added_by_id, username: r.added_by_name } : null,
      createdAt: new Date(Number(r.created_at)).toISOString(),
    };
    if (playable) dto.playable = playable.get(r.id) ?? { in: 0, fits: null, ownersIn: 0, missingOwners: [] };
    return dto;
  });
}

/** The games `playableOf` answers for: the group's games of an id list (a JSON array, so the SQL text is fixed). */
const PLAYABLE_GAMES = `+g.group_id = ? AND g.id IN (SELECT value FROM json_each(?))`;

/**
 * `playable` for a night, in SQL: `in` counts RSVPs "in", `fits` whether that lies within the game's
 * min–max players (null without counts; a missing bound is open), `ownersIn` the "in" members who own it,
 * `missingOwners` those who do not. `+` keeps SQLite on the id lookups, not a scan of the library.
 */
const PLAYABLE_COUNTS_SQL = `
  WITH ins AS (SELECT user_id FROM rsvps WHERE group_id = ? AND day = ? AND status = 'in'),
  n AS (SELECT count(*) AS n_in FROM ins)
  SELECT g.id, n.n_in,
         (SELECT count(*) FROM game_owners o JOIN ins ON ins.user_id = o.user_id WHERE o.game_id = g.id) AS owners_in,
         CASE WHEN g.min_players IS NULL AND g.max_players IS NULL THEN NULL
              ELSE (n.n_in >= coalesce(g.min_players, 0) AND n.n_in <= coalesce(g.max_players, n.n_in)) END AS fits
  FROM games g, n
  WHERE ${PLAYABLE_GAMES}`;
const PLAYABLE_MISSING_SQL = `
  SELECT g.id AS game_id, u.id, u.username, u.avatar_url
  FROM games g
  JOIN rsvps r ON r.group_id = g.group_id AND r.day = ? AND r.status = 'in'
  JOIN users u ON u.id = r.user_id
  WHERE ${PLAYABLE_GAMES} AND NOT EXISTS (SELECT 1 FROM game_owners o WHERE o.game_id = g.id AND o.user_id = r.user_id)
  ORDER BY u.username COLLATE NOCASE, u.id`;

type CountRow = { id: string; n_in: number; owners_in: number; fits: number | null };
type MissingRow = { game_id: string; id: string; username: string; avatar_url: string | null };

/** Plain SQL text with fixed text and positional arguments: prepared once by the statement client, no query building. */
async function playableOf(db: Db | Tx, groupId: string, ids: readonly string[], day: string): Promise<Map<string, PlayableDto>> {
  const games = JSON.stringify(ids);
  const [counts, missing] = await Promise.all([
    executeText(db, PLAYABLE_COUNTS_SQL, [groupId, day, groupId, games]),
    executeText(db, PLAYABLE_MISSING_SQL, [day, groupId, games]),
  ]);
  const missingOf = new Map<string, GameUser[]>();
  for (const m of missing.rows as unknown as MissingRow[]) {
    missingOf.set(m.game_id, [...(missingOf.get(m.game_id) ?? []), { id: m.id, username: m.username, avatarUrl: m.avatar_url }]);
  }
  return new Map(
    (counts.rows as unknown as CountRow[]).map((r) => [
      r.id,
      {
        in: Number(r.n_in),
        fits: r.fits === null ? null : Number(r.fits) === 1,
        ownersIn: Number(r.owners_in),
        missingOwners: missingOf.get(r.id) ?? [],
      },
    ]),
  );
}

/** One game as `viewerId` sees it (after a write: pass the transaction to read what it wrote). */
export async function gameDto(db: Db | Tx, groupId: string, gameId: string, viewerId: string): Promise<GameDto | undefined> {
  const [dto] = await listGames(db, { groupId, ids: [gameId] }, viewerId);
  return dto;
}

/** `playable` for the given games on one night (the suggestions list uses it). */
export async function playableFor(db: Db | Tx, groupId: string, gameIds: string[], day: string): Promise<Map<string, PlayableDto>> {
  if (gameIds.length === 0) return new Map();
  return playableOf(db, groupId, [...new Set(gameIds)], day);
}

/** The `game_updated` event: it goes to every member, so `ownedByMe` is false (derive it from `owners`). */
export function gameEvent(groupId: string, game: GameDto) {
  return { type: 'game_updated' as const, groupId, data: { ...game, ownedByMe: false } };
}
