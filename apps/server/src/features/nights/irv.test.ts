/**
 * Instant runoff against worked examples (a pure function: no app needed). The `random` picks are
 * recomputed here with node:crypto from the rule in irv.ts, not with its helpers.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instantRunoff, type RankedCandidate } from './irv.ts';

const cand = (id: string, createdAt = 0): RankedCandidate => ({
  id,
  gameName: `Game ${id}`,
  gameKey: `game ${id.toLowerCase()}`,
  votes: 0,
  createdAt,
});
const [A, B, C, D] = [cand('A', 1), cand('B', 2), cand('C', 3), cand('D', 4)] as [
  RankedCandidate,
  RankedCandidate,
  RankedCandidate,
  RankedCandidate,
];
const times = (n: number, ballot: string[]) => Array.from({ length: n }, () => ballot);
const seed = 'cafebabe00112233';
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest().readUInt32BE(0);

describe('instant runoff', () => {
  it('a first-round majority wins at once', () => {
    const r = instantRunoff([A, B], [['A', 'B'], ['A'], ['B']], 'random', [], seed);
    expect(r.winner?.id).toBe('A');
    expect(r).toMatchObject({ votes: 2, decidedBy: 'votes', tied: [], seed: null });
    expect(r.rounds).toEqual([{ counts: { A: 2, B: 1 }, eliminated: null }]);
  });

  it('differs from plurality where a transfer decides (Condorcet-style case)', () => {
    // 4 A>C, 3 B>C, 2 C>B. Plurality picks A (4 first choices); C beats both head to head (5–4, 6–3);
    // instant runoff drops C first and its 2 ballots go to B: B 5 – A 4.
    const ballots = [...times(4, ['A', 'C']), ...times(3, ['B', 'C']), ...times(2, ['C', 'B'])];
    const r = instantRunoff([A, B, C], ballots, 'random', [], seed);
    const plurality = Object.entries(r.rounds[0]!.counts).sort((x, y) => y[1] - x[1])[0]![0];
    expect(plurality).toBe('A');
    expect(r.winner?.id).toBe('B');
    expect(r.rounds).toEqual([
      { counts: { A: 4, B: 3, C: 2 }, eliminated: 'C' },
      { counts: { A: 4, B: 5 }, eliminated: null },
    ]);
    expect(r).toMatchObject({ votes: 5, decidedBy: 'votes' });
  });

  it('counts only non-exhausted ballots for the majority', () => {
    // 3 A, 2 B, 1 C only. Round 1: 3 of 6 is no majority; C goes and its ballot is exhausted.
    // Round 2: A has 3 of the 5 ballots left — a majority, though not of all 6.
    const ballots = [...times(3, ['A']), ...times(2, ['B']), ['C']];
    const r = instantRunoff([A, B, C], ballots, 'random', [], seed);
    expect(r.rounds).toEqual([
      { counts: { A: 3, B: 2, C: 1 }, eliminated: 'C' },
      { counts: { A: 3, B: 2 }, eliminated: null },
    ]);
    expect(r.winner?.id).toBe('A');
    expect(r.votes).toBe(3);
  });

  describe('a tie for elimination (C and D both have 1)', () => {
    // 3 A, 2 B, 1 C>B, 1 D>A: no majority (3 of 7); C or D goes, by the night's tie-break.
    const ballots = [...times(3, ['A']), ...times(2, ['B']), ['C', 'B'], ['D', 'A']];

    it('random: sorted by id, first 4 bytes of sha256("<seed>:<round>") mod the count', () => {
      const expected = ['C', 'D'][sha(`${seed}:1`) % 2]!;
      const r = instantRunoff([A, B, C, D], ballots, 'random', [], seed);
      expect(r.rounds[0]).toEqual({ counts: { A: 3, B: 2, C: 1, D: 1 }, eliminated: expected });
      expect(r).toMatchObject({ decidedBy: 'random', seed });
      // Deterministic: the same seed gives the same rounds.
      expect(instantRunoff([A, B, C, D], ballots, 'random', [], seed).rounds).toEqual(r.rounds);
      // Whichever went, A ends with a majority.
      expect(r.winner?.id).toBe('A');
    });

    it('least_recent: the most recent winner goes (a game that never won stays)', () => {
      const r = instantRunoff([A, B, C, D], ballots, 'least_recent', [{ day: '2026-06-01', gameName: 'Game D' }], seed);
      expect(r.rounds.map((x) => x.eliminated)).toEqual(['D', null]);
      expect(r.rounds[1]!.counts).toEqual({ A: 4, B: 2, C: 1 });
      expect(r).toMatchObject({ decidedBy: 'least_recent', seed: null });
      // With C the more recent winner, C goes and its ballot moves to B.
      const r2 = instantRunoff([A, B, C, D], ballots, 'least_recent', [{ day: '2026-06-01', gameName: 'Game C' }], seed);
      expect(r2.rounds.map((x) => x.eliminated)).toEqual(['C', 'D', null]);
      expect(r2.rounds[1]!.counts).toEqual({ A: 3, B: 3, D: 1 });
    });

    it('admin: the newest suggestion goes', () => {
      const r = instantRunoff([A, B, C, D], ballots, 'admin', [], seed);
      expect(r.rounds[0]!.eliminated).toBe('D');
      expect(r.winner?.id).toBe('A');
      // A fixed fallback, not an admin's pick: decided by votes.
      expect(r.decidedBy).toBe('votes');
    });
  });

  it('a level final round is a tie for the win, broken like an approval tie', () => {
    const ballots = [...times(2, ['A']), ...times(2, ['B'])];
    const random = instantRunoff([B, A], ballots, 'random', [], seed);
    expect(random.winner?.id).toBe(['A', 'B'][sha(seed) % 2]);
    expect(random).toMatchObject({ decidedBy: 'random', tied: ['A', 'B'], seed, votes: 2 });
    const admin = instantRunoff([A, B], ballots, 'admin', [], seed);
    expect(admin).toMatchObject({ winner: null, decidedBy: null, tied: ['A', 'B'] });
    expect(admin.rounds).toEqual([{ counts: { A: 2, B: 2 }, eliminated: null }]);
    const lr = instantRunoff([A, B], ballots, 'least_recent', [{ day: '2026-06-01', gameName: 'Game A' }], seed);
    expect(lr.winner?.id).toBe('B');
  });

  it('has no winner without ballots, and skips entries that are not candidates (vetoed, deleted)', () => {
    expect(instantRunoff([A, B], [], 'random', [], seed)).toEqual({
      winner: null,
      votes: 0,
      decidedBy: null,
      tied: [],
      seed: null,
      rounds: [],
    });
    // X is not a candidate: the ballot counts for A.
    const r = instantRunoff([A, B], [['X', 'A'], ['B'], ['A']], 'random', [], seed);
    expect(r.rounds[0]!.counts).toEqual({ A: 2, B: 1 });
    expect(r.winner?.id).toBe('A');
    // Only non-candidates ranked: every ballot is exhausted, nobody wins.
    const none = instantRunoff([A], [['X']], 'random', [], seed);
    expect(none.winner).toBeNull();
    expect(none.rounds).toEqual([{ counts: { A: 0 }, eliminated: null }]);
  });
});
