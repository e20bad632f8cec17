import { getRouteApi } from '@tanstack/react-router';
import { useMe } from '../features/auth/use-session.ts';
import { canManage } from '../features/groups/api.ts';
import { GroupSubpage } from '../features/groups/components/group-subpage.tsx';
import { InviteFriendsStep } from '../features/groups/components/invite-friends-step.tsx';
import { MembersPanel } from '../features/groups/components/members-panel.tsx';

const route = getRouteApi('/authed/groups/$groupId/members');

export function GroupMembersPage() {
  const { groupId } = route.useParams();
  const me = useMe();
  return (
    <GroupSubpage groupId={groupId} tab="members" title={(g) => `Members of ${g.name}`}>
      {(g) => (
        <>
          {g.members.length === 1 && <InviteFriendsStep groupId={groupId} canInvite={canManage(g.role)} />}
          <MembersPanel group={g} me={me} />
        </>
      )}
    </GroupSubpage>
  );
}
