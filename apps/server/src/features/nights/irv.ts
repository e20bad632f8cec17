/**
 * Instant runoff for ranked nights (docs/api.md "Fair picks", docs/decisions/107-instant-runoff-and-vetoes.md).
 * A pure function, so the rule can be read (and recomputed by anyone) here:
 *
 * - Each round counts every ballot's highest-ranked suggestion still in the race. A ballot with none
 *   left is exhausted and no longer counts.
 * - A suggestion with more than half of the non-exhausted ballots wins (`eliminated: null` in its round).
 * - Otherwise the suggestion with the fewest votes is eliminated. When several share the fewest:
 *   `random` — sorted by id, index = first 4 bytes of sha256(`<seed>:<round>`) as a big-endian uint32
 *   mod their count (round numbered from 1); `least_recent` — the one that won most recently goes
 *   (never won stays longest, then by id: the reverse of the tie-break for a winner); `admin` — the
 *   newest suggestion goes (then the highest id): an admin only ever picks between finalists.
 * - `decidedBy` is the tie-break when a `random` or `least_recent` tie was broken in any round (the
 *   rounds show where), else `votes`.
 * - When every suggestion left has the same count (e.g. 2 against 2), that is a tie for the win,
 *   broken as for approval nights (`decide.ts`): `random` by sha256(seed), `least_recent`, or `admin`
 *   (no winner until /pick among `tied`).
 * - No ballot (or only exhausted ones): no winner.
 *
 * Vetoed suggestions are not candidates: the caller leaves them out, and ballot entries for anything
 * that is not a candidate are skipped.
 */
import { createHash } from 'node:crypto';
import { leastRecentOrder, randomIndex, type Candidate, type DecidedBy, type LastWin, type TieBreak } from './decide.ts';

export interface RankedCandidate extends Candidate {
  /** When it was suggested (ms): the `admin` fallback eliminates the newest first. */
  createdAt: number;
}

export interface Round {
  /** Votes per suggestion still in the race at the start of the round. */
  counts: Record<string, number>;
  /** The suggestion that goes out after this round; null in the last round. */
  eliminated: string | null;
}

export interface RunoffResult {
  winner: RankedCandidate | null;
  /** The winner's votes in the last round (0 without a winner). */
  votes: number;
  decidedBy: DecidedBy | null;
  /** A tie for the win among the last suggestions (sorted); empty otherwise. */
  tied: string[];
  /** The seed, when a `random` tie-break was used in any round. */
  seed: string | null;
  rounds: Round[];
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The index a `random` elimination picks in round `round` (1-based) among `count` candidates sorted by id. */
export function eliminationIndex(seed: string, round: number, count: number): number {
  return createHash('sha256').update(`${seed}:${round}`, 'utf8').digest().readUInt32BE(0) % count;
}

function eliminate(tiedLow: RankedCandidate[], tieBreak: TieBreak, lastWins: LastWin[], seed: string, round: number): RankedCandidate {
  const sorted = [...tiedLow].sort(byId);
  switch (tieBreak) {
    case 'random':
      return sorted[eliminationIndex(seed, round, sorted.length)]!;
    case 'least_recent':
      return leastRecentOrder(sorted, lastWins).at(-1)!;
    case 'admin':
      return [...sorted].sort((a, b) => b.createdAt - a.createdAt || byId(b, a))[0]!;
  }
}

/**
 * Decides a ranked night. `ballots` are rankings of suggestion ids, best first (any subset, no
 * repeats); `seed` is used only if a `random` tie-break is needed, and is then returned.
 */
export function instantRunoff(
  candidates: RankedCandidate[],
  ballots: string[][],
  tieBreak: TieBreak,
  lastWins: LastWin[],
  seed: string,
): RunoffResult {
  const remaining = new Map(candidates.map((c) => [c.id, c]));
  const rounds: Round[] = [];
  let usedTieBreak = false;
  let usedSeed = false;
  const none = (): RunoffResult => ({ winner: null, votes: 0, decidedBy: null, tied: [], seed: null, rounds });

  while (remaining.size > 0) {
    const counts: Record<string, number> = {};
    for (const id of [...remaining.keys()].sort()) counts[id] = 0;
    let active = 0;
    for (const ballot of ballots) {
      const top = ballot.find((id) => remaining.has(id));
      if (top === undefined) continue;
      counts[top]! += 1;
      active += 1;
    }
    if (active === 0) {
      if (rounds.length > 0 || ballots.length > 0) rounds.push({ counts, eliminated: null });
      return none();
    }
    const values = Object.values(counts);
    const most = Math.max(...values);
    const fewest = Math.min(...values);
    if (most * 2 > active) {
      const winner = [...remaining.values()].find((c) => counts[c.id] === most)!;
      rounds.push({ counts, eliminated: null });
      const decidedBy: DecidedBy = usedTieBreak ? tieBreak : 'votes';
      return { winner, votes: most, decidedBy, tied: [], seed: usedSeed ? seed : null, rounds };
    }
    if (most === fewest) {
      // Everyone left is level: a tie for the win, broken like an approval tie.
      rounds.push({ counts, eliminated: null });
      const finalists = [...remaining.values()].sort(byId);
      const tied = finalists.map((c) => c.id);
      switch (tieBreak) {
        case 'random':
          return { winner: finalists[randomIndex(seed, finalists.length)]!, votes: most, decidedBy: 'random', tied, seed, rounds };
        case 'least_recent':
          return {
            winner: leastRecentOrder(finalists, lastWins)[0]!,
            votes: most,
            decidedBy: 'least_recent',
            tied,
            seed: usedSeed ? seed : null,
            rounds,
          };
        case 'admin':
          return { winner: null, votes: 0, decidedBy: null, tied, seed: usedSeed ? seed : null, rounds };
      }
    }
    const low = [...remaining.values()].filter((c) => counts[c.id] === fewest);
    let out = low[0]!;
    if (low.length > 1) {
      // The `admin` fallback is a fixed rule, not an admin's choice: the winner stays decided by votes.
      if (tieBreak !== 'admin') usedTieBreak = true;
      if (tieBreak === 'random') usedSeed = true;
      out = eliminate(low, tieBreak, lastWins, seed, rounds.length + 1);
    }
    rounds.push({ counts, eliminated: out.id });
    remaining.delete(out.id);
  }
  return none();
}
