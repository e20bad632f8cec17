/**
 * A group's statistics over a range of days, computed in SQL (one query per part, whatever the size of
 * the history). The win history is the nights' recorded winners — the same rows the `least_recent`
 * tie-break reads (features/nights `lastWinsOf`).
 */
import type { z } from '@hono/zod-openapi';
import { StatsSchema } from '@queuecrew/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export { StatsSchema };

export type StatsDto = z.infer<typeof StatsSchema>;

export async function statsFor(db: Db, groupId: string, from: string, to: string): Promise<StatsDto> {
  const won = sql`SELECT n.day, n.winner_game_name, n.winner_suggestion_id FROM nights n
    WHERE n.group_id = ${groupId} AND n.status = 'closed' AND n.winner_game_name IS NOT NULL AND n.day BETWEEN ${from} AND ${to}`;
  const [games, members, nights] = await Promise.all([
    db.all<{ game_id: string | null; name: string; wins: number; last_won_on: string }>(sql`
      WITH won AS (${won})
      SELECT s.game_id AS game_id, coalesce(g.name, max(w.winner_game_name)) AS name, count(*) AS wins, max(w.day) AS last_won_on
      FROM won w
      LEFT JOIN suggestions s ON s.id = w.winner_suggestion_id
      LEFT JOIN games g ON g.id = s.game_id
      GROUP BY coalesce('id:' || s.game_id, 'name:' || lower(w.winner_game_name))
      ORDER BY wins DESC, last_won_on DESC, name COLLATE NOCASE ASC`),
    db.all<{ id: string; username: string; nights_in: number; suggestions: number; approvals: number; picks_won: number }>(sql`
      WITH won AS (${won})
      SELECT u.id, u.username,
        (SELECT count(*) FROM rsvps r JOIN nights n ON n.group_id = r.group_id AND n.day = r.day
          WHERE r.group_id = ${groupId} AND r.user_id = u.id AND r.status = 'in' AND n.status = 'closed'
            AND r.day BETWEEN ${from} AND ${to}) AS nights_in,
        (SELECT count(*) FROM suggestions s
          WHERE s.group_id = ${groupId} AND s.suggested_by = u.id AND s.day BETWEEN ${from} AND ${to}) AS suggestions,
        (SELECT count(*) FROM votes v JOIN suggestions s ON s.id = v.suggestion_id
          WHERE s.group_id = ${groupId} AND v.user_id = u.id AND s.day BETWEEN ${from} AND ${to}) AS approvals,
        (SELECT count(*) FROM won w JOIN suggestions s ON s.id = w.winner_suggestion_id WHERE s.suggested_by = u.id) AS picks_won
      FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.group_id = ${groupId}
      ORDER BY u.username COLLATE NOCASE ASC, u.id ASC`),
    db.all<{ n: number }>(sql`WITH won AS (${won}) SELECT count(*) AS n FROM won`),
  ]);
  return {
    from,
    to,
    nights: Number(nights[0]?.n ?? 0),
    games: games.map((g) => ({ gameId: g.game_id, name: g.name, wins: Number(g.wins), lastWonOn: g.last_won_on })),
    members: members.map((m) => ({
      id: m.id,
      username: m.username,
      nightsIn: Number(m.nights_in),
      suggestions: Number(m.suggestions),
      approvals: Number(m.approvals),
      picksWon: Number(m.picks_won),
    })),
  };
}
