import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ErrorState } from '../components/ui/card.tsx';
import { Loading } from '../components/ui/spinner.tsx';
import { useMe } from '../features/auth/use-session.ts';
import { LibraryPanel } from '../features/games/components/library-panel.tsx';
import { groupQueries } from '../features/groups/api.ts';
import { GroupNav } from '../features/groups/components/group-nav.tsx';
import { useGroupLive } from '../features/groups/use-group-live.ts';
import { todayIn } from '../lib/dates.ts';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/authed/groups/$groupId/library');

export function GroupLibraryPage() {
  const { groupId } = route.useParams();
  const me = useMe();
  const group = useQuery(groupQueries.detail(groupId));
  // game_updated / game_deleted and RSVPs keep the open library (and its verdicts) current.
  useGroupLive(groupId);
  usePageTitle(group.data ? `Library of ${group.data.name}` : 'Library');
  if (group.isPending) return <Loading label="Loading the group…" />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} title="Could not load the group" />;
  const g = group.data;
  return (
    <div className="space-y-5">
      <div className="space-y-2">
        <Link to="/groups" className="inline-flex min-h-11 items-center">
          ← My groups
        </Link>
        <h1 className="text-2xl font-extrabold break-words sm:text-3xl">Library of {g.name}</h1>
        <GroupNav groupId={groupId} tab="library" />
      </div>
      <LibraryPanel group={g} me={me} today={todayIn(g.timezone)} />
    </div>
  );
}
