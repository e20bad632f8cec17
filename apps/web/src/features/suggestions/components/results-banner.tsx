/** The day's outcome in one sentence: the winner, a tie, or what to do when nothing has been approved. */
import type { Suggestion } from '@queuecrew/shared';
import { leaders } from '../api.ts';

export function ResultsBanner({
  suggestions,
  voters,
  isToday,
  hidden = false,
}: {
  suggestions: Suggestion[];
  voters: number | undefined;
  isToday: boolean;
  /** The night hides tallies until its deadline (votes arrive as null). */
  hidden?: boolean;
}) {
  const top = leaders(suggestions);
  const votersText = voters === undefined ? '' : ` ${voters} ${voters === 1 ? 'person has' : 'people have'} voted.`;
  let text: string;
  let tone = 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900';
  if (hidden && suggestions.length > 0) text = 'Results hidden until the deadline.';
  else if (suggestions.length === 0)
    text = isToday ? 'No suggestions yet. Suggest the first game below.' : 'Nobody suggested a game on this day.';
  else if (top.length === 0) text = 'No approvals yet. Approve the games you would play.';
  else {
    tone = 'border-emerald-700 bg-emerald-50 text-emerald-950 dark:border-emerald-400 dark:bg-emerald-950 dark:text-emerald-50';
    const n = top[0]!.votes;
    const approvals = `${n} ${n === 1 ? 'approval' : 'approvals'}`;
    text =
      top.length > 1
        ? `It’s a tie between ${top.map((s) => s.gameName).join(' and ')}, with ${approvals} each.`
        : `${isToday ? 'Leading' : 'Winner'}: ${top[0]!.gameName} with ${approvals}.`;
  }
  return (
    <p className={`rounded-xl border p-4 font-semibold break-words ${tone}`} data-testid="results-banner">
      {text}
      <span className="font-normal">{votersText}</span>
    </p>
  );
}
