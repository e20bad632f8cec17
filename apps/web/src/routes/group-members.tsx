import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ErrorState } from '../components/ui/card.tsx';
import { Loading } from '../components/ui/spinner.tsx';
import { useMe } from '../features/auth/use-session.ts';
import { canManage, groupQueries } from '../features/groups/api.ts';
import { DiscordChannelSettings } from '../features/groups/components/discord-channel-settings.tsx';
import { DiscordWebhookSettings } from '../features/groups/components/discord-webhook-settings.tsx';
import { EditGroupForm, GroupDangerZone } from '../features/groups/components/group-settings.tsx';
import { InvitesPanel } from '../features/groups/components/invites-panel.tsx';
import { MembersPanel } from '../features/groups/components/members-panel.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/authed/groups/$groupId/members');

export function GroupMembersPage() {
  const { groupId } = route.useParams();
  const me = useMe();
  const group = useQuery(groupQueries.detail(groupId));
  usePageTitle(group.data ? `Members of ${group.data.name}` : 'Members');
  if (group.isPending) return <Loading label="Loading the group…" />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} title="Could not load the group" />;
  const g = group.data;
  return (
    <div className="space-y-5">
      <div>
        <Link to="/groups/$groupId" params={{ groupId }} className="inline-flex min-h-11 items-center break-words">
          ← Back to {g.name}
        </Link>
        <h1 className="text-2xl font-extrabold break-words">Members of {g.name}</h1>
      </div>
      <MembersPanel group={g} me={me} />
      {canManage(g.role) && <InvitesPanel groupId={groupId} />}
      {canManage(g.role) && <EditGroupForm key={`${g.name}|${g.description ?? ''}|${g.timezone}`} group={g} />}
      {g.discordWebhook && <DiscordWebhookSettings key={g.discordWebhook.masked ?? 'none'} group={g} webhook={g.discordWebhook} />}
      {g.discordChannel !== undefined && <DiscordChannelSettings group={g} channel={g.discordChannel} />}
      <GroupDangerZone group={g} me={me} />
    </div>
  );
}
