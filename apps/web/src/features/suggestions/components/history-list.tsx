/** Past winners of the last two weeks; each day links to its full list. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { addDays, formatShortDay } from '../../../lib/dates.ts';
import { suggestionQueries } from '../api.ts';

/** How a tie was broken, after the winner's name (nothing for a plain win by votes). */
const HOW: Record<string, string> = {
  random: ' (tie, random pick)',
  least_recent: ' (tie, won longest ago)',
  admin: ' (tie, admin’s pick)',
};

export function HistoryList({ groupId, today }: { groupId: string; today: string }) {
  const from = addDays(today, -14);
  const to = addDays(today, -1);
  const q = useQuery(suggestionQueries.history(groupId, from, to));
  if (q.isPending) return <Loading label="Loading past winners…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Could not load past winners" />;
  const days = [...q.data].filter((d) => d.suggestions > 0).sort((a, b) => b.date.localeCompare(a.date));
  if (days.length === 0)
    return <p className="text-slate-700 dark:text-slate-300">No past game nights in the last two weeks. Winners will show up here.</p>;
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800">
      {days.map((d) => (
        <li key={d.date} className="flex flex-wrap items-baseline justify-between gap-x-3 py-2">
          <Link
            to="/groups/$groupId"
            params={{ groupId }}
            search={{ day: d.date }}
            className="inline-flex min-h-11 items-center font-semibold"
          >
            {formatShortDay(d.date)}
          </Link>
          <span className="min-w-0 break-words text-slate-800 dark:text-slate-200">
            {d.winner
              ? `${d.winner.gameName}${HOW[d.winner.decidedBy] ?? ''}`
              : d.winners.length === 0
                ? 'No approvals'
                : d.winners.length > 1
                  ? `Tie: ${d.winners.map((w) => w.gameName).join(', ')}`
                  : d.winners[0]!.gameName}
            <span className="text-sm text-slate-700 dark:text-slate-300">
              {' '}
              · {d.voters} {d.voters === 1 ? 'voter' : 'voters'}
              {d.in && d.in.length > 0 && ` · in: ${d.in.map((u) => u.username).join(', ')}`}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
