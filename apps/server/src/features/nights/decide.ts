/**
 * Deciding a night (docs/api.md "Closing"): the suggestion with most approvals wins; a tie is broken
 * by the night's tie-break. Pure functions, so the rule can be read (and recomputed by anyone) here:
 *
 * - `random`: candidates sorted by id; index = the first 4 bytes of sha256(seed) (the seed as recorded,
 *   a hex string, hashed as UTF-8) read as a big-endian uint32, mod the number of candidates;
 * - `least_recent`: the tied game that won longest ago — never won first, then the oldest last win,
 *   then by id (games compared by their key, across the group's closed nights);
 * - `admin`: no winner until an admin picks one of `tied`.
 *
 * A night without a suggestion that has at least one approval has no winner.
 */
import { gameKey } from '@queuecrew/shared';
import { createHash, randomBytes } from 'node:crypto';

export type TieBreak = 'random' | 'least_recent' | 'admin';
export type DecidedBy = 'votes' | 'random' | 'least_recent' | 'admin';

export interface Candidate {
  id: string;
  gameName: string;
  gameKey: string;
  votes: number;
}

export interface Decision {
  winner: Candidate | null;
  decidedBy: DecidedBy | null;
  /** Ids of every suggestion tied for the most approvals, sorted (empty without a tie). */
  tied: string[];
  seed: string | null;
}

/** 128 random bits, hex. */
export function newSeed(): string {
  return randomBytes(16).toString('hex');
}

/** The index a `random` tie-break picks among `count` candidates sorted by id. */
export function randomIndex(seed: string, count: number): number {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  return digest.readUInt32BE(0) % count;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The tied candidate that won longest ago. `lastWins` are earlier winners (any night of the group but
 * this one) by game name; names are compared by game key.
 */
export function leastRecent(candidates: Candidate[], lastWins: Array<{ day: string; gameName: string }>): Candidate {
  const last = new Map<string, string>();
  for (const w of lastWins) {
    const key = gameKey(w.gameName);
    const seen = last.get(key);
    if (seen === undefined || w.day > seen) last.set(key, w.day);
  }
  const sorted = [...candidates].sort((a, b) => {
    const la = last.get(a.gameKey);
    const lb = last.get(b.gameKey);
    if (la === undefined && lb !== undefined) return -1;
    if (lb === undefined && la !== undefined) return 1;
    if (la !== undefined && lb !== undefined && la !== lb) return la < lb ? -1 : 1;
    return byId(a, b);
  });
  return sorted[0]!;
}

export function decide(
  tally: Candidate[],
  tieBreak: TieBreak,
  lastWins: Array<{ day: string; gameName: string }>,
  seed: string = newSeed(),
): Decision {
  const top = Math.max(0, ...tally.map((t) => t.votes));
  if (top === 0) return { winner: null, decidedBy: null, tied: [], seed: null };
  const candidates = tally.filter((t) => t.votes === top).sort(byId);
  if (candidates.length === 1) return { winner: candidates[0]!, decidedBy: 'votes', tied: [], seed: null };
  const tied = candidates.map((c) => c.id);
  switch (tieBreak) {
    case 'random':
      return { winner: candidates[randomIndex(seed, candidates.length)]!, decidedBy: 'random', tied, seed };
    case 'least_recent':
      return { winner: leastRecent(candidates, lastWins), decidedBy: 'least_recent', tied, seed: null };
    case 'admin':
      return { winner: null, decidedBy: null, tied, seed: null };
  }
}
