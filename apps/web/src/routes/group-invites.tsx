import { getRouteApi } from '@tanstack/react-router';
import { Card } from '../components/ui/card.tsx';
import { canManage } from '../features/groups/api.ts';
import { GroupSubpage } from '../features/groups/components/group-subpage.tsx';
import { InvitesPanel } from '../features/groups/components/invites-panel.tsx';

const route = getRouteApi('/authed/groups/$groupId/invites');

export function GroupInvitesPage() {
  const { groupId } = route.useParams();
  return (
    <GroupSubpage groupId={groupId} tab="invites" title={(g) => `Invites to ${g.name}`}>
      {(g) =>
        canManage(g.role) ? (
          <InvitesPanel groupId={groupId} />
        ) : (
          <Card id="invites" title="Invite links">
            <p className="text-slate-700 dark:text-slate-300">
              Only the group’s owner and admins make invite links. Ask one of them for a link to share with a friend.
            </p>
          </Card>
        )
      }
    </GroupSubpage>
  );
}
