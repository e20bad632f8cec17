/**
 * The frame of a group's Members, Invites and Settings pages (issue 14): the way back to the group,
 * the page's heading, and the three pages as a navigation with the current one marked.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import type { GroupDetail } from '../../../lib/api-types.ts';
import { usePageTitle } from '../../../lib/use-page-title.ts';
import { groupQueries } from '../api.ts';

const tab =
  'inline-flex min-h-11 min-w-11 items-center rounded-lg px-3 font-semibold text-slate-800 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800';
const activeTab = { className: 'bg-slate-200 dark:bg-slate-800', 'aria-current': 'page' as const };

/** The group's pages beyond tonight, as links (used on the group page and on each of these pages). */
export function GroupPagesNav({ groupId, label = 'Group pages' }: { groupId: string; label?: string }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1">
      <Link to="/groups/$groupId/members" params={{ groupId }} className={tab} activeProps={activeTab}>
        Members
      </Link>
      <Link to="/groups/$groupId/invites" params={{ groupId }} className={tab} activeProps={activeTab}>
        Invites
      </Link>
      <Link to="/groups/$groupId/settings" params={{ groupId }} className={tab} activeProps={activeTab}>
        Settings
      </Link>
    </nav>
  );
}

export function GroupSubpage({
  groupId,
  title,
  children,
}: {
  groupId: string;
  /** The page heading, e.g. "Members of <name>". */
  title: (group: GroupDetail) => string;
  children: (group: GroupDetail) => ReactNode;
}) {
  const group = useQuery(groupQueries.detail(groupId));
  usePageTitle(group.data ? title(group.data) : '');
  if (group.isPending) return <Loading label="Loading the group…" />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} title="Could not load the group" />;
  const g = group.data;
  return (
    <div className="space-y-5">
      <div className="space-y-2">
        <Link to="/groups/$groupId" params={{ groupId }} className="inline-flex min-h-11 items-center break-words">
          ← Back to {g.name}
        </Link>
        <h1 className="text-2xl font-extrabold break-words">{title(g)}</h1>
        <GroupPagesNav groupId={groupId} />
      </div>
      {children(g)}
    </div>
  );
}
