/**
 * Deciding a night (docs/api.md "Closing"): the suggestion with most approvals wins; a tie is broken
 * by the night's tie-break. Pure functions, so the rule can be read (and recomputed by anyone) here:
 *
 * - `random`: candidates sorted by id; index = the first 4 bytes of sha256(seed) (the seed as recorded,
 *   a hex string, hashed as UTF-8) read as a big-endian uint32, mod the number of candidates;
 * - `least_recent`: the tied game that won longest ago — never won first, then the oldest last win,
 *   then by id (games compared by library game and by name key, across the group's closed nights: the
 *   same win history as the stats);
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
  /** The library game (compared with earlier winners' games by `least_recent`). */
  gameId?: string | null;
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

/** An earlier win of the group: the night, the winner's name and (when known) its library game. */
export interface LastWin {
  day: string;
  gameName: string;
  gameId?: string | null;
}

/**
 * The last win per game: keyed by library game id (`id:<gameId>`) and by game key of the winner's name
 * (`key:<gameKey>`), so a game that won under an alias is still the same game.
 */
function lastWinIndex(lastWins: LastWin[]): Map<string, string> {
  const last = new Map<string, string>();
  const note = (k: string, day: string) => {
    const seen = last.get(k);
    if (seen === undefined || day > seen) last.set(k, day);
  };
  for (const w of lastWins) {
    note(`key:${gameKey(w.gameName)}`, w.day);
    if (w.gameId) note(`id:${w.gameId}`, w.day);
  }
  return last;
}

function lastWinOf(last: Map<string, string>, c: Candidate): string | undefined {
  const byKey = last.get(`key:${c.gameKey}`);
  const byGame = c.gameId ? last.get(`id:${c.gameId}`) : undefined;
  if (byKey === undefined) return byGame;
  if (byGame === undefined) return byKey;
  return byKey > byGame ? byKey : byGame;
}

/**
 * Candidates from the one that won longest ago to the most recent winner: never won first, then the
 * oldest last win, then by id. `lastWins` are earlier winners (any night of the group but this one).
 */
export function leastRecentOrder<C extends Candidate>(candidates: C[], lastWins: LastWin[]): C[] {
  const last = lastWinIndex(lastWins);
  return [...candidates].sort((a, b) => {
    const la = lastWinOf(last, a);
    const lb = lastWinOf(last, b);
    if (la === undefined && lb !== undefined) return -1;
    if (lb === undefined && la !== undefined) return 1;
    if (la !== undefined && lb !== undefined && la !== lb) return la < lb ? -1 : 1;
    return byId(a, b);
  });
}

/** The tied candidate that won longest ago. */
export function leastRecent(candidates: Candidate[], lastWins: LastWin[]): Candidate {
  return leastRecentOrder(candidates, lastWins)[0]!;
}

export function decide(tally: Candidate[], tieBreak: TieBreak, lastWins: LastWin[], seed: string = newSeed()): Decision {
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
