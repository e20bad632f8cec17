import { getRouteApi } from '@tanstack/react-router';
import { useMe } from '../features/auth/use-session.ts';
import { canManage } from '../features/groups/api.ts';
import { DiscordChannelSettings } from '../features/groups/components/discord-channel-settings.tsx';
import { DiscordWebhookSettings } from '../features/groups/components/discord-webhook-settings.tsx';
import { EditGroupForm, GroupDangerZone } from '../features/groups/components/group-settings.tsx';
import { GroupSubpage } from '../features/groups/components/group-subpage.tsx';

const route = getRouteApi('/authed/groups/$groupId/settings');

export function GroupSettingsPage() {
  const { groupId } = route.useParams();
  const me = useMe();
  return (
    <GroupSubpage groupId={groupId} tab="settings" title={(g) => `Settings of ${g.name}`}>
      {(g) => (
        <>
          {canManage(g.role) && <EditGroupForm key={`${g.name}|${g.description ?? ''}|${g.timezone}`} group={g} />}
          {g.discordWebhook && <DiscordWebhookSettings key={g.discordWebhook.masked ?? 'none'} group={g} webhook={g.discordWebhook} />}
          {g.discordChannel !== undefined && <DiscordChannelSettings group={g} channel={g.discordChannel} />}
          <GroupDangerZone group={g} me={me} />
        </>
      )}
    </GroupSubpage>
  );
}
