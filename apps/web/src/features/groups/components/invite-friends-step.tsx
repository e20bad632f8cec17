/** A group of one: the first thing to do is to bring the friends in. */
import { Link } from '@tanstack/react-router';
import { buttonClass } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';

export function InviteFriendsStep({ groupId, canInvite }: { groupId: string; canInvite: boolean }) {
  return (
    <Card id="invite-step" title="Invite your friends">
      <div className="space-y-3" data-testid="invite-step">
        <p className="text-slate-700 dark:text-slate-300">
          You are the only one here so far. A game night needs friends: send them an invite link, and they join with one click.
        </p>
        {canInvite ? (
          <Link to="/groups/$groupId/invites" params={{ groupId }} className={buttonClass('primary')}>
            Create an invite link
          </Link>
        ) : (
          <p className="text-slate-700 dark:text-slate-300">Ask an admin of the group for an invite link to share.</p>
        )}
      </div>
    </Card>
  );
}
