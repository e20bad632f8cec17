/** The caller's groups, or an empty state that says how to get started. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { buttonClass } from '../../../components/ui/button.tsx';
import { EmptyState, ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import type { GroupSummary } from '@queuecrew/shared';
import { formatTimeIn } from '../../nights/api.ts';
import { groupQueries, ROLE_LABEL } from '../api.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line about today's night, with the deadline in the group's own time zone. */
export function tonightLine({ tonight, timezone }: Pick<GroupSummary, 'tonight' | 'timezone'>): string {
  if (tonight.status === 'cancelled') return 'Tonight: no game night (cancelled)';
  if (tonight.status === 'closed') {
    return tonight.winner ? `Tonight’s winner: ${tonight.winner.gameName}` : 'Tonight: voting closed without a winner';
  }
  const place = timezone.split('/').at(-1)!.replaceAll('_', ' ');
  const deadline = `voting closes ${formatTimeIn(tonight.closesAt, timezone)} (${place} time)`;
  if (tonight.resultsHidden) {
    return `Tonight: ${plural(tonight.suggestions, 'suggestion', 'suggestions')}, results at the close · ${deadline}`;
  }
  if (tonight.leader) {
    const { gameName, votes, tied } = tonight.leader;
    return `Tonight: ${gameName} ${tied ? 'shares the lead' : 'leads'} with ${plural(votes, 'approval', 'approvals')} · ${deadline}`;
  }
  return `Tonight: ${tonight.suggestions === 0 ? 'no suggestions yet' : 'no approvals yet'} · ${deadline}`;
}

export function GroupList() {
  const q = useQuery(groupQueries.list());
  if (q.isPending) return <Loading label="Loading your groups…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Could not load your groups" />;
  if (q.data.length === 0) {
    return (
      <EmptyState title="You are not in any group yet">
        <p>Create a group for your friends and share its invite link, or open an invite link someone sent you to join their group.</p>
        <Link to="/groups/new" className={buttonClass('primary')}>
          Create your first group
        </Link>
      </EmptyState>
    );
  }
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label="Your groups">
      {q.data.map((group) => (
        <li key={group.id}>
          <Link
            to="/groups/$groupId"
            params={{ groupId: group.id }}
            className="block min-h-11 rounded-xl border border-slate-300 bg-white p-4 text-slate-900 no-underline shadow-sm hover:border-indigo-600 hover:no-underline dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:border-indigo-300"
          >
            <span className="block text-lg font-bold break-words">{group.name}</span>
            <span className="text-sm text-slate-700 dark:text-slate-300">
              {group.memberCount} {group.memberCount === 1 ? 'member' : 'members'} · {ROLE_LABEL[group.role]}
            </span>
            <span className="mt-1 block text-sm font-medium break-words text-slate-900 dark:text-slate-100" data-testid="group-tonight">
              {tonightLine(group)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
