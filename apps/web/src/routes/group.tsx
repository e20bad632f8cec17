import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Card, ErrorState } from '../components/ui/card.tsx';
import { Loading } from '../components/ui/spinner.tsx';
import { useMe } from '../features/auth/use-session.ts';
import { groupQueries } from '../features/groups/api.ts';
import { useGroupLive } from '../features/groups/use-group-live.ts';
import { GroupNav } from '../features/groups/components/group-nav.tsx';
import { InviteFriendsStep } from '../features/groups/components/invite-friends-step.tsx';
import { GroupDay } from '../features/suggestions/components/group-day.tsx';
import { HistoryList } from '../features/suggestions/components/history-list.tsx';
import { isApiError } from '../lib/api-client.ts';
import { isDay, todayIn } from '../lib/dates.ts';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/authed/groups/$groupId');

export function GroupPage() {
  const { groupId } = route.useParams();
  const { day: dayParam, badDay: badDayParam } = route.useSearch();
  const me = useMe();
  const group = useQuery(groupQueries.detail(groupId));
  const live = useGroupLive(groupId);
  usePageTitle(group.data?.name ?? 'Group');
  if (group.isPending) return <Loading label="Loading the group…" />;
  if (group.isError) {
    if (isApiError(group.error) && group.error.status === 404) {
      // A page that showed the group keeps its last data after the refetch fails: then the person was
      // in it a moment ago, and "not found" would be the wrong story.
      const knownName = group.data?.name;
      return (
        <div className="space-y-3">
          <h1 className="text-2xl font-extrabold break-words">{knownName ? `You are no longer in “${knownName}”` : 'Group not found'}</h1>
          <p>
            {knownName
              ? 'An admin removed you from this group, or it was deleted. To come back, ask someone in it for a new invite link.'
              : 'This group does not exist, or you are not a member. Ask someone in it for an invite link.'}
          </p>
          <Link to="/groups">Back to my groups</Link>
        </div>
      );
    }
    return <ErrorState error={group.error} onRetry={() => void group.refetch()} title="Could not load the group" />;
  }
  const g = group.data;
  const today = todayIn(g.timezone);
  // Checked again here: the router keeps unknown raw search values next to the validated ones.
  const day = isDay(dayParam) ? dayParam : today;
  const badDay = badDayParam ?? (dayParam !== undefined && !isDay(dayParam) ? String(dayParam).slice(0, 40) : undefined);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <Link to="/groups" className="inline-flex min-h-11 items-center">
            ← My groups
          </Link>
          <h1 className="text-2xl font-extrabold break-words sm:text-3xl">{g.name}</h1>
          {g.description && <p className="mt-1 break-words text-slate-700 dark:text-slate-300">{g.description}</p>}
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {g.members.length} {g.members.length === 1 ? 'member' : 'members'} · days follow {g.timezone.replaceAll('_', ' ')} ·{' '}
            <span data-testid="live-status" data-status={live}>
              {live === 'open' ? 'live updates on' : live === 'connecting' ? 'connecting…' : 'offline, reconnecting…'}
            </span>
          </p>
        </div>
        <GroupNav groupId={groupId} tab="tonight" />
      </div>
      {badDay !== undefined && (
        <p
          role="status"
          className="rounded-lg border border-amber-700 bg-amber-50 p-3 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
          data-testid="bad-day-notice"
        >
          “{badDay}” is not a date we can show, so here is today instead.
        </p>
      )}
      {g.members.length === 1 && <InviteFriendsStep groupId={groupId} canInvite={g.role !== 'member'} />}
      <GroupDay group={g} me={me} day={day} today={today} />
      <Card id="history" title="Past winners">
        <HistoryList groupId={groupId} today={today} />
      </Card>
    </div>
  );
}
