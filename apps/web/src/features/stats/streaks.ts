/**
 * Streaks from the closed nights (GET …/history, newest first): the same game winning consecutive closed
 * nights. A game is its library game (`winner.gameId`, the same under any alias), else its name; a closed
 * night without a winner ends a streak.
 */
import type { HistoryDay } from '@queuecrew/shared';

export interface Streak {
  /** `id:<gameId>` or `name:<lower-case name>`. */
  key: string;
  /** The name it won under on the streak's latest night. */
  gameName: string;
  /** The library game, when the winning suggestions link to one. */
  gameId: string | null;
  nights: number;
  /** The streak's first and latest nights. */
  from: string;
  to: string;
}

type Winner = NonNullable<HistoryDay['winner']>;

export function gameKey(gameId: string | null | undefined, gameName: string): string {
  return gameId ? `id:${gameId}` : `name:${gameName.toLowerCase()}`;
}

/** Every run of two or more nights, newest first. */
function runsOf(history: HistoryDay[]): Streak[] {
  const runs: Streak[] = [];
  let run: Streak | null = null;
  for (const day of history) {
    const w: Winner | null | undefined = day.winner;
    const key = w ? gameKey(w.gameId, w.gameName) : null;
    if (run && key === run.key) {
      run.nights += 1;
      run.from = day.date;
      continue;
    }
    if (run && run.nights >= 2) runs.push(run);
    run = w && key ? { key, gameName: w.gameName, gameId: w.gameId ?? null, nights: 1, from: day.date, to: day.date } : null;
  }
  if (run && run.nights >= 2) runs.push(run);
  return runs;
}

/**
 * `current`: the game that won the latest closed night and the nights before it in a row (two or more);
 * `longest`: the longest run of the range (the latest of equals).
 */
export function streaksOf(history: HistoryDay[]): { current: Streak | null; longest: Streak | null } {
  const runs = runsOf(history);
  const current = runs[0] && history[0] && runs[0].to === history[0].date ? runs[0] : null;
  const longest = runs.reduce<Streak | null>((best, r) => (!best || r.nights > best.nights ? r : best), null);
  return { current, longest };
}
