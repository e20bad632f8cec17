/**
 * A closed ranked night's instant runoff as sentences: each round's counts, who went out, and where the
 * votes of the one that went out went (the difference between two consecutive rounds' counts; what did
 * not arrive anywhere was on ballots with no other choice left).
 */
import type { RunoffRound } from '@queuecrew/shared';

const votes = (n: number) => `${n} ${n === 1 ? 'vote' : 'votes'}`;

function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** One sentence per round, e.g. "Round 2: Valheim out, its 2 votes went to Portal 2 (1) and Deep Rock Galactic (1)." */
export function explainRounds(rounds: RunoffRound[], nameOf: (id: string) => string): string[] {
  const out: string[] = [];
  rounds.forEach((round, i) => {
    const standings = Object.entries(round.counts)
      .sort(([a, x], [b, y]) => y - x || nameOf(a).localeCompare(nameOf(b)))
      .map(([id, n]) => `${nameOf(id)} ${n}`);
    let text = `Round ${i + 1}: `;
    const prev = rounds[i - 1];
    if (prev?.eliminated) {
      const gone = prev.eliminated;
      const had = prev.counts[gone] ?? 0;
      const moved = Object.entries(round.counts)
        .map(([id, n]) => [id, n - (prev.counts[id] ?? 0)] as const)
        .filter(([, d]) => d > 0);
      const movedTotal = moved.reduce((sum, [, d]) => sum + d, 0);
      const exhausted = had - movedTotal;
      const parts: string[] = [];
      const whose = exhausted === 0 ? 'its ' : '';
      if (moved.length > 0) parts.push(`${whose}${votes(movedTotal)} went to ${list(moved.map(([id, d]) => `${nameOf(id)} (${d})`))}`);
      if (exhausted > 0) parts.push(`${votes(exhausted)} had no other choice left`);
      text += `${nameOf(gone)} out${parts.length > 0 ? `, ${parts.join('; ')}` : ''}. `;
    }
    text += `${standings.join(', ')}.`;
    if (round.eliminated) text += ` ${nameOf(round.eliminated)} had the fewest and goes out.`;
    out.push(text);
  });
  return out;
}

export function RunoffRounds({
  rounds,
  nameOf,
  winnerName,
}: {
  rounds: RunoffRound[];
  nameOf: (id: string) => string;
  winnerName?: string | undefined;
}) {
  if (rounds.length === 0) return null;
  const lines = explainRounds(rounds, nameOf);
  return (
    <section
      aria-labelledby="rounds-title"
      className="space-y-2 rounded-xl border border-slate-300 p-3 sm:p-4 dark:border-slate-700"
      data-testid="rounds"
    >
      <h3 id="rounds-title" className="font-bold">
        How the ranked vote was counted
      </h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Each round counts every ballot’s highest choice still in. A game with more than half of the votes wins; otherwise the game with the
        fewest goes out and its votes move to each ballot’s next choice.
      </p>
      <ol className="list-none space-y-1">
        {lines.map((line, i) => (
          <li key={i} data-testid="round">
            {line}
          </li>
        ))}
      </ol>
      {winnerName && (
        <p className="font-semibold">
          {winnerName} won in round {rounds.length}.
        </p>
      )}
    </section>
  );
}
