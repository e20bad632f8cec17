import { getRouteApi } from '@tanstack/react-router';
import { GroupSubpage } from '../features/groups/components/group-subpage.tsx';
import { StatsView } from '../features/stats/components/stats-view.tsx';

const route = getRouteApi('/authed/groups/$groupId/stats');

export function GroupStatsPage() {
  const { groupId } = route.useParams();
  return (
    <GroupSubpage groupId={groupId} tab="stats" title={(g) => `Stats of ${g.name}`}>
      {(g) => <StatsView group={g} />}
    </GroupSubpage>
  );
}
