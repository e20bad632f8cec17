/**
 * The frame of a group's Members, Invites and Settings pages: the way back to the group,
 * the page's heading, and the group's pages as a navigation with the current one marked.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import type { GroupDetail } from '@queuecrew/shared';
import { usePageTitle } from '../../../lib/use-page-title.ts';
import { groupQueries } from '../api.ts';
import { GroupNav, type GroupTab } from './group-nav.tsx';

export function GroupSubpage({
  groupId,
  tab,
  title,
  children,
}: {
  groupId: string;
  /** Which of the group's pages this is (marked in the navigation). */
  tab: Exclude<GroupTab, 'tonight' | 'library'>;
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
        <GroupNav groupId={groupId} tab={tab} />
      </div>
      {children(g)}
    </div>
  );
}
