import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ErrorState } from '../components/ui/card.tsx';
import { Loading } from '../components/ui/spinner.tsx';
import { groupQueries } from '../features/groups/api.ts';
import { StatsView } from '../features/stats/components/stats-view.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/authed/groups/$groupId/stats');

export function GroupStatsPage() {
  const { groupId } = route.useParams();
  const group = useQuery(groupQueries.detail(groupId));
  usePageTitle(group.data ? `Stats of ${group.data.name}` : 'Stats');
  if (group.isPending) return <Loading label="Loading the group…" />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} title="Could not load the group" />;
  const g = group.data;
  return (
    <div className="space-y-5">
      <div>
        <Link to="/groups/$groupId" params={{ groupId }} className="inline-flex min-h-11 items-center break-words">
          ← Back to {g.name}
        </Link>
        <h1 className="text-2xl font-extrabold break-words">Stats of {g.name}</h1>
      </div>
      <StatsView group={g} />
    </div>
  );
}
