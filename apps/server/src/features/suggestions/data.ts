/**
 * Reading suggestions, votes, results and history. Every list is computed by a fixed, small number of
 * SQL queries (aggregates, window functions), never by loading rows one at a time or tallying in JS.
 */
import type { z } from '@hono/zod-openapi';
import {
  HistoryDaySchema,
  ResultsSchema,
  RoundSchema,
  SuggestionSchema,
  VetoResultSchema,
  VoteResultSchema,
  VoterSchema,
} from '@queuecrew/shared';
import { and, asc, between, count, desc, eq, sql } from 'drizzle-orm';
import { preparedFor, schema, type Db, type Tx } from '../../db/client.ts';
import { playableFor, type PlayableDto } from '../games/index.ts';

export { HistoryDaySchema, ResultsSchema, RoundSchema, SuggestionSchema, VetoResultSchema, VoteResultSchema, VoterSchema };
export type Voter = z.infer<typeof VoterSchema>;
export type SuggestionDto = z.infer<typeof SuggestionSchema>;
export type ResultsDto = z.infer<typeof ResultsSchema>;
export type HistoryDayDto = z.infer<typeof HistoryDaySchema>;

export type SuggestionRow = typeof schema.suggestions.$inferSelect;

const suggestionById = preparedFor((db) =>
  db
    .select()
    .from(schema.suggestions)
    .where(eq(schema.suggestions.id, sql.placeholder('id')))
    .prepare(),
);

export async function findSuggestion(db: Db | Tx, id: string): Promise<SuggestionRow | undefined> {
  return suggestionById(db).get({ id });
}

export async function findSuggestionByKey(db: Db | Tx, groupId: string, day: string, gameKey: string) {
  return db
    .select({ id: schema.suggestions.id })
    .from(schema.suggestions)
    .where(and(eq(schema.suggestions.groupId, groupId), eq(schema.suggestions.day, day), eq(schema.suggestions.gameKey, gameKey)))
    .get();
}

const voterColumns = { id: schema.users.id, username: schema.users.username, avatarUrl: schema.users.avatarUrl };

const votersQuery = preparedFor((db) =>
  db
    .select(voterColumns)
    .from(schema.votes)
    .innerJoin(schema.users, eq(schema.users.id, schema.votes.userId))
    .where(eq(schema.votes.suggestionId, sql.placeholder('suggestionId')))
    .orderBy(asc(schema.votes.createdAt), asc(schema.users.username))
    .prepare(),
);

/** Who approved one suggestion, in the order they voted. */
export async function votersOf(db: Db | Tx, suggestionId: string): Promise<Voter[]> {
  return votersQuery(db).all({ suggestionId });
}

const voteCountQuery = preparedFor((db) =>
  db
    .select({ n: count() })
    .from(schema.votes)
    .where(eq(schema.votes.suggestionId, sql.placeholder('suggestionId')))
    .prepare(),
);

export async function voteCount(db: Db | Tx, suggestionId: string): Promise<number> {
  const row = await voteCountQuery(db).get({ suggestionId });
  return row?.n ?? 0;
}

const s = schema.suggestions;

/**
 * The game's wins before the suggestion's night, as the library counts them (closed nights whose winner
 * suggestion links to the game): correlated subqueries on the same row, so a list stays one query.
 */
const winsBefore = {
  timesWon: sql<number>`(SELECT count(*) FROM nights wn JOIN suggestions ws ON ws.id = wn.winner_suggestion_id
    WHERE wn.group_id = ${s.groupId} AND wn.status = 'closed' AND ws.game_id = ${schema.games.id} AND wn.day < ${s.day})`,
  lastWonOn: sql<string | null>`(SELECT max(wn.day) FROM nights wn JOIN suggestions ws ON ws.id = wn.winner_suggestion_id
    WHERE wn.group_id = ${s.groupId} AND wn.status = 'closed' AND ws.game_id = ${schema.games.id} AND wn.day < ${s.day})`,
};

const votesOfSuggestion = sql<number>`(SELECT count(*) FROM ${schema.votes} v WHERE v.suggestion_id = ${s.id})`;

/** The day's suggestions with their tally and whether the viewer approved; prepared once (hot path). */
const daySuggestionsQuery = preparedFor((db) =>
  db
    .select({
      id: s.id,
      gameName: s.gameName,
      day: s.day,
      createdAt: s.createdAt,
      suggestedById: schema.users.id,
      suggestedByName: schema.users.username,
      votes: votesOfSuggestion,
      votedByMe: sql<number>`EXISTS (SELECT 1 FROM ${schema.votes} v WHERE v.suggestion_id = ${s.id} AND v.user_id = ${sql.placeholder('viewerId')})`,
      gameId: schema.games.id,
      coverUrl: schema.games.coverUrl,
      minPlayers: schema.games.minPlayers,
      maxPlayers: schema.games.maxPlayers,
      ...winsBefore,
    })
    .from(s)
    .leftJoin(schema.users, eq(schema.users.id, s.suggestedBy))
    .leftJoin(schema.games, eq(schema.games.id, s.gameId))
    .where(and(eq(s.groupId, sql.placeholder('groupId')), eq(s.day, sql.placeholder('day'))))
    .orderBy(desc(votesOfSuggestion), asc(s.createdAt), asc(s.id))
    .prepare(),
);

/** Everyone who voted on the day's suggestions, in the order they voted; prepared once (hot path). */
const dayVotersQuery = preparedFor((db) =>
  db
    .select({ suggestionId: schema.votes.suggestionId, ...voterColumns })
    .from(schema.votes)
    .innerJoin(s, eq(s.id, schema.votes.suggestionId))
    .innerJoin(schema.users, eq(schema.users.id, schema.votes.userId))
    .where(and(eq(s.groupId, sql.placeholder('groupId')), eq(s.day, sql.placeholder('day'))))
    .orderBy(asc(schema.votes.createdAt), asc(schema.users.username))
    .prepare(),
);

/** Everyone who vetoed one of the day's suggestions, in the order they vetoed; prepared once (hot path). */
const dayVetoersQuery = preparedFor((db) =>
  db
    .select({ suggestionId: schema.vetoes.suggestionId, ...voterColumns })
    .from(schema.vetoes)
    .innerJoin(schema.users, eq(schema.users.id, schema.vetoes.userId))
    .where(and(eq(schema.vetoes.groupId, sql.placeholder('groupId')), eq(schema.vetoes.day, sql.placeholder('day'))))
    .orderBy(asc(schema.vetoes.createdAt), asc(schema.users.username))
    .prepare(),
);

async function dayVetoers(db: Db, groupId: string, day: string): Promise<Map<string, Voter[]>> {
  const rows = await dayVetoersQuery(db).all({ groupId, day });
  const by = new Map<string, Voter[]>();
  for (const { suggestionId, ...user } of rows) by.set(suggestionId, [...(by.get(suggestionId) ?? []), user]);
  return by;
}

/** Who vetoed one suggestion. */
export async function vetoersOf(db: Db | Tx, suggestionId: string): Promise<Voter[]> {
  return db
    .select(voterColumns)
    .from(schema.vetoes)
    .innerJoin(schema.users, eq(schema.users.id, schema.vetoes.userId))
    .where(eq(schema.vetoes.suggestionId, suggestionId))
    .orderBy(asc(schema.vetoes.createdAt), asc(schema.users.username));
}

/**
 * A day's suggestions for one viewer, sorted by approvals then age: one aggregate query for the
 * suggestions and one query for all of the day's voters, whatever the number of suggestions.
 */
export async function listSuggestions(db: Db, groupId: string, day: string, viewerId: string): Promise<SuggestionDto[]> {
  const rows = await daySuggestionsQuery(db).all({ groupId, day, viewerId });
  if (rows.length === 0) return [];

  const [voterRows, vetoers, playable] = await Promise.all([
    dayVotersQuery(db).all({ groupId, day }),
    dayVetoers(db, groupId, day),
    playableFor(
      db,
      groupId,
      rows.flatMap((r) => (r.gameId ? [r.gameId] : [])),
      day,
    ),
  ]);
  const votersBySuggestion = new Map<string, Voter[]>();
  for (const { suggestionId, ...voter } of voterRows) {
    const list = votersBySuggestion.get(suggestionId) ?? [];
    list.push(voter);
    votersBySuggestion.set(suggestionId, list);
  }

  return rows.map((r) => ({
    id: r.id,
    gameName: r.gameName,
    date: r.day,
    suggestedBy: r.suggestedById !== null && r.suggestedByName !== null ? { id: r.suggestedById, username: r.suggestedByName } : null,
    votes: Number(r.votes),
    votedByMe: Boolean(r.votedByMe),
    voters: votersBySuggestion.get(r.id) ?? [],
    createdAt: r.createdAt.toISOString(),
    game: r.gameId
      ? {
          id: r.gameId,
          coverUrl: r.coverUrl,
          minPlayers: r.minPlayers,
          maxPlayers: r.maxPlayers,
          timesWon: Number(r.timesWon ?? 0),
          lastWonOn: r.lastWonOn ?? null,
        }
      : null,
    playable: (r.gameId && playable.get(r.gameId)) || null,
    vetoedBy: vetoers.get(r.id) ?? [],
  }));
}

/** A suggestion while the night's results are hidden: no tally, no voters (`votedByMe` stays). */
export function hideTally(dto: SuggestionDto): SuggestionDto {
  return { ...dto, votes: null, voters: [] };
}

/** The list as hidden results show it: no tallies, in the order the games were suggested. */
export function hideList(list: SuggestionDto[]): SuggestionDto[] {
  return list.map(hideTally).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One suggestion as the API shows it to `viewerId`. */
export async function suggestionDto(db: Db | Tx, row: SuggestionRow, viewerId: string): Promise<SuggestionDto> {
  const [voters, vetoedBy, suggester, game, playable] = await Promise.all([
    votersOf(db, row.id),
    vetoersOf(db, row.id),
    row.suggestedBy
      ? db
          .select({ id: schema.users.id, username: schema.users.username })
          .from(schema.users)
          .where(eq(schema.users.id, row.suggestedBy))
          .get()
      : Promise.resolve(undefined),
    row.gameId
      ? db
          .select({
            id: schema.games.id,
            coverUrl: schema.games.coverUrl,
            minPlayers: schema.games.minPlayers,
            maxPlayers: schema.games.maxPlayers,
            ...winsBefore,
          })
          .from(s)
          .innerJoin(schema.games, eq(schema.games.id, s.gameId))
          .where(eq(s.id, row.id))
          .get()
      : Promise.resolve(undefined),
    row.gameId ? playableFor(db, row.groupId, [row.gameId], row.day) : Promise.resolve(new Map<string, PlayableDto>()),
  ]);
  return {
    id: row.id,
    gameName: row.gameName,
    date: row.day,
    suggestedBy: suggester ?? null,
    votes: voters.length,
    votedByMe: voters.some((v) => v.id === viewerId),
    voters,
    createdAt: row.createdAt.toISOString(),
    game: game ? { ...game, timesWon: Number(game.timesWon ?? 0), lastWonOn: game.lastWonOn ?? null } : null,
    playable: (game && playable.get(game.id)) || null,
    vetoedBy,
  };
}

interface TallyRow {
  id: string;
  game_name: string;
  votes: number;
  is_winner: number;
  voters: number;
}

/** What `resultsFor` needs of the night: its method, and for a closed ranked night the decision. */
export interface ResultsNight {
  groupId: string;
  day: string;
  status: 'open' | 'closed' | 'cancelled';
  method: 'approval' | 'ranked' | null;
  rounds: string | null;
  tied: string;
  winnerSuggestionId: string | null;
}

/**
 * A day's tally, winners and distinct voters, in one query. Approval nights count approvals; ranked
 * nights count first choices (each ballot's lowest rank left) and voters with a ballot.
 */
export async function resultsFor(
  db: Db,
  group: { nightMethod: 'approval' | 'ranked' },
  night: ResultsNight,
  hidden = false,
): Promise<ResultsDto> {
  const { groupId, day } = night;
  const method = night.method ?? group.nightMethod;
  const ranked = method === 'ranked';
  // Approvals: a count per suggestion on the votes primary key (suggestion_id, user_id), half the CPU
  // of a GROUP BY over a LEFT JOIN of the day's votes, which needs a temporary B-tree (measured with
  // 50 suggestions and 16 members: ≈ 490 vs ≈ 980 µs). Ranked: the first choices, grouped.
  const tally = ranked
    ? sql`WITH counted AS (
            SELECT b.suggestion_id, b.user_id FROM ballots b
            WHERE b.group_id = ${groupId} AND b.day = ${day}
              AND b.rank = (SELECT min(b2.rank) FROM ballots b2 WHERE b2.group_id = b.group_id AND b2.day = b.day AND b2.user_id = b.user_id)
          ),
          tally AS (
            SELECT s.id, s.game_name, s.created_at, count(c.user_id) AS votes,
                   EXISTS (SELECT 1 FROM vetoes x WHERE x.suggestion_id = s.id) AS vetoed
            FROM suggestions s LEFT JOIN counted c ON c.suggestion_id = s.id
            WHERE s.group_id = ${groupId} AND s.day = ${day}
            GROUP BY s.id
          )`
    : sql`WITH tally AS (
            SELECT s.id, s.game_name, s.created_at, (SELECT count(*) FROM votes v WHERE v.suggestion_id = s.id) AS votes,
                   EXISTS (SELECT 1 FROM vetoes x WHERE x.suggestion_id = s.id) AS vetoed
            FROM suggestions s
            WHERE s.group_id = ${groupId} AND s.day = ${day}
          )`;
  const voters = ranked
    ? sql`(SELECT count(DISTINCT user_id) FROM ballots WHERE group_id = ${groupId} AND day = ${day})`
    : sql`(SELECT count(DISTINCT v.user_id) FROM votes v JOIN suggestions s ON s.id = v.suggestion_id
           WHERE s.group_id = ${groupId} AND s.day = ${day})`;
  const rows = await db.all<TallyRow>(sql`
    ${tally}
    SELECT id, game_name, votes,
           (votes > 0 AND NOT vetoed AND votes = max(CASE WHEN vetoed THEN NULL ELSE votes END) OVER ()) AS is_winner,
           ${voters} AS voters
    FROM tally
    ORDER BY ${hidden ? sql`created_at ASC, id ASC` : sql`votes DESC, created_at ASC, id ASC`}`);
  const base = { date: day, method, voters: Number(rows[0]?.voters ?? 0) };
  if (hidden) {
    // Until the close, only how many members voted: nobody learns the tally (nor its order).
    return { ...base, suggestions: rows.map((r) => ({ id: r.id, gameName: r.game_name, votes: null })), winners: [], rounds: [] };
  }
  const suggestions = rows.map((r) => ({ id: r.id, gameName: r.game_name, votes: Number(r.votes) }));
  if (ranked && night.status === 'closed') {
    const tied = JSON.parse(night.tied) as string[];
    return {
      ...base,
      suggestions,
      winners: night.winnerSuggestionId ? [night.winnerSuggestionId] : tied,
      rounds: night.rounds ? (JSON.parse(night.rounds) as ResultsDto['rounds']) : [],
    };
  }
  return { ...base, suggestions, winners: rows.filter((r) => Number(r.is_winner) === 1).map((r) => r.id), rounds: [] };
}

interface HistoryRow {
  day: string;
  suggestions: number;
  voters: number;
  winners: string;
  winner_suggestion_id: string | null;
  winner_game_id: string | null;
  winner_game_name: string | null;
  winner_votes: number | null;
  decided_by: 'votes' | 'random' | 'least_recent' | 'admin' | null;
}

/**
 * One row per closed night in [from, to], newest first: its decision (winner, decidedBy), the tied
 * leaders of its tally, its number of suggestions and of distinct voters, and who was in. Two queries:
 * the nights with their tallies (window function + json_group_array), and the RSVPs "in" of the range.
 */
export async function historyFor(db: Db, groupId: string, from: string, to: string): Promise<HistoryDayDto[]> {
  const rows = await db.all<HistoryRow>(sql`
    WITH closed AS (
      SELECT * FROM nights WHERE group_id = ${groupId} AND status = 'closed' AND day BETWEEN ${from} AND ${to}
    ),
    tally AS (
      SELECT s.day, s.id, s.game_name, s.created_at, count(v.user_id) AS votes
      FROM suggestions s LEFT JOIN votes v ON v.suggestion_id = s.id
      WHERE s.group_id = ${groupId} AND s.day BETWEEN ${from} AND ${to}
      GROUP BY s.id
    ),
    ranked AS (
      SELECT *, max(votes) OVER (PARTITION BY day) AS top FROM tally
    ),
    day_tally AS (
      SELECT day, count(*) AS suggestions,
             coalesce(
               json_group_array(json_object('id', id, 'gameName', game_name, 'votes', votes))
                 FILTER (WHERE votes = top AND votes > 0),
               '[]') AS winners
      FROM ranked GROUP BY day
    ),
    day_voters AS (
      SELECT s.day, count(DISTINCT v.user_id) AS voters
      FROM votes v JOIN suggestions s ON s.id = v.suggestion_id
      WHERE s.group_id = ${groupId} AND s.day BETWEEN ${from} AND ${to}
      GROUP BY s.day
    )
    SELECT n.day AS day,
           coalesce(dt.suggestions, 0) AS suggestions,
           coalesce(dv.voters, 0) AS voters,
           coalesce(dt.winners, '[]') AS winners,
           n.winner_suggestion_id, ws.game_id AS winner_game_id, n.winner_game_name, n.winner_votes, n.decided_by
    FROM closed n
    LEFT JOIN suggestions ws ON ws.id = n.winner_suggestion_id
    LEFT JOIN day_tally dt ON dt.day = n.day
    LEFT JOIN day_voters dv ON dv.day = n.day
    ORDER BY n.day DESC`);
  if (rows.length === 0) return [];
  const ins = await db
    .select({ day: schema.rsvps.day, ...voterColumns })
    .from(schema.rsvps)
    .innerJoin(schema.users, eq(schema.users.id, schema.rsvps.userId))
    .where(and(eq(schema.rsvps.groupId, groupId), eq(schema.rsvps.status, 'in'), between(schema.rsvps.day, from, to)))
    .orderBy(asc(schema.rsvps.updatedAt), asc(schema.users.username));
  const inByDay = new Map<string, Voter[]>();
  for (const { day, ...user } of ins) inByDay.set(day, [...(inByDay.get(day) ?? []), user]);
  return rows.map((r) => ({
    date: r.day,
    suggestions: Number(r.suggestions),
    voters: Number(r.voters),
    winners: (JSON.parse(r.winners) as Array<{ id: string; gameName: string; votes: number }>).sort((a, b) =>
      a.gameName.localeCompare(b.gameName),
    ),
    winner:
      r.winner_game_name !== null && r.decided_by !== null
        ? {
            suggestionId: r.winner_suggestion_id,
            gameId: r.winner_game_id,
            gameName: r.winner_game_name,
            votes: Number(r.winner_votes ?? 0),
            decidedBy: r.decided_by,
          }
        : null,
    decidedBy: r.winner_game_name !== null ? r.decided_by : null,
    in: inByDay.get(r.day) ?? [],
  }));
}
