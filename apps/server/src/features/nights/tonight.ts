/**
 * "Tonight" of each of the caller's groups for the My groups list: today's night in each
 * group's own timezone, its deadline, and its current leader (while open, and only when results are
 * visible) or its winner (once closed). Built for any number of groups from two queries (nights and
 * tallies of all the groups' todays), never one per group.
 */
import type { z } from '@hono/zod-openapi';
import type { GroupTonightSchema } from '@queuecrew/shared';
import { and, inArray, sql } from 'drizzle-orm';
import { schema, type Db } from '../../db/client.ts';
import { dayInTimezone } from '../../lib/time.ts';
import { resultsHidden, virtualNight, winnerOf, type GroupRow, type NightRow } from './data.ts';

export type Tonight = z.infer<typeof GroupTonightSchema>;

interface TallyLine {
  group_id: string;
  day: string;
  game_name: string;
  votes: number;
  created_at: number;
}

export async function tonightOf(db: Db, groups: GroupRow[], now: Date): Promise<Map<string, Tonight>> {
  const out = new Map<string, Tonight>();
  if (groups.length === 0) return out;
  const today = new Map(groups.map((g) => [g.id, dayInTimezone(g.timezone, now)]));
  const ids = [...today.keys()];
  const days = [...new Set(today.values())];
  // At most a couple of different "todays" (time zones straddling midnight); pairs are matched below.
  const [nightRows, tally] = await Promise.all([
    db
      .select()
      .from(schema.nights)
      .where(and(inArray(schema.nights.groupId, ids), inArray(schema.nights.day, days))),
    db.all<TallyLine>(sql`
      SELECT s.group_id, s.day, s.game_name, s.created_at, count(v.user_id) AS votes
      FROM suggestions s LEFT JOIN votes v ON v.suggestion_id = s.id
      WHERE s.group_id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) AND s.day IN (${sql.join(
        days.map((d) => sql`${d}`),
        sql`, `,
      )})
      GROUP BY s.id`),
  ]);
  const nights = new Map<string, NightRow>();
  for (const n of nightRows) if (today.get(n.groupId) === n.day) nights.set(n.groupId, n);
  const lines = new Map<string, TallyLine[]>();
  for (const l of tally) {
    if (today.get(l.group_id) !== l.day) continue;
    lines.set(l.group_id, [...(lines.get(l.group_id) ?? []), { ...l, votes: Number(l.votes), created_at: Number(l.created_at) }]);
  }
  for (const g of groups) {
    const day = today.get(g.id)!;
    const night = nights.get(g.id) ?? virtualNight(g, day, now);
    const hidden = resultsHidden(g, night);
    const mine = lines.get(g.id) ?? [];
    const top = Math.max(0, ...mine.map((l) => l.votes));
    const leaders = mine.filter((l) => l.votes === top).sort((a, b) => a.created_at - b.created_at);
    const showLeader = night.status === 'open' && !hidden && top > 0;
    out.set(g.id, {
      date: day,
      status: night.status,
      startsAt: night.startsAt.toISOString(),
      closesAt: night.closesAt.toISOString(),
      resultsHidden: hidden,
      suggestions: mine.length,
      leader: showLeader ? { gameName: leaders[0]!.game_name, votes: top, tied: leaders.length > 1 } : null,
      winner: night.status === 'closed' ? winnerOf(night) : null,
    });
  }
  return out;
}
