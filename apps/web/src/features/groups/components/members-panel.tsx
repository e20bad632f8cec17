/**
 * The member list with what the caller may do to each person: promote / demote (admins; only the owner
 * touches admins), remove, and hand over ownership (owner). Every change asks for confirmation.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Avatar } from '../../../components/ui/avatar.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import type { GroupDetail, Member, User } from '@queuecrew/shared';
import { groupApi, groupKeys, ROLE_LABEL } from '../api.ts';

type Action = { kind: 'promote' | 'demote' | 'remove' | 'transfer'; member: Member };

const COPY: Record<
  Action['kind'],
  { title: (m: Member) => string; text: (m: Member, g: GroupDetail) => string; confirm: string; danger: boolean }
> = {
  promote: {
    title: (m) => `Make ${m.username} an admin?`,
    text: (m) => `${m.username} will be able to create and revoke invites, remove members and edit the group.`,
    confirm: 'Make admin',
    danger: false,
  },
  demote: {
    title: (m) => `Make ${m.username} a regular member?`,
    text: (m) => `${m.username} will no longer manage invites or members.`,
    confirm: 'Remove admin rights',
    danger: false,
  },
  remove: {
    title: (m) => `Remove ${m.username} from the group?`,
    text: (m, g) => `${m.username} loses access to ${g.name} at once. They can rejoin only with a new invite.`,
    confirm: 'Remove member',
    danger: true,
  },
  transfer: {
    title: (m) => `Make ${m.username} the owner?`,
    text: (m) => `${m.username} becomes the owner and you become an admin. Only the new owner can undo this.`,
    confirm: 'Transfer ownership',
    danger: true,
  },
};

export function MembersPanel({ group, me }: { group: GroupDetail; me: User }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [action, setAction] = useState<Action>();
  const listRef = useRef<HTMLUListElement>(null);
  /** The button that opened the dialog, and the member whose row should get focus if that button is gone. */
  const focusPlan = useRef<{ opener: HTMLElement | null; fallbackId: string | undefined; done: boolean }>({
    opener: null,
    fallbackId: undefined,
    done: false,
  });
  const isOwner = group.role === 'owner';
  const isAdmin = isOwner || group.role === 'admin';

  const run = async (a: Action) => {
    const { member } = a;
    if (a.kind === 'promote') await groupApi.setRole(group.id, member.id, 'admin');
    if (a.kind === 'demote') await groupApi.setRole(group.id, member.id, 'member');
    if (a.kind === 'remove') await groupApi.removeMember(group.id, member.id);
    if (a.kind === 'transfer') await groupApi.transfer(group.id, member.id);
    focusPlan.current.done = true;
    await qc.invalidateQueries({ queryKey: groupKeys.all });
    toast(
      a.kind === 'remove'
        ? `${member.username} was removed from the group.`
        : a.kind === 'transfer'
          ? `${member.username} is now the owner.`
          : `${member.username} is now ${a.kind === 'promote' ? 'an admin' : 'a member'}.`,
    );
  };

  const order = { owner: 0, admin: 1, member: 2 } as const;
  const members = [...group.members].sort((a, b) => order[a.role] - order[b.role] || a.username.localeCompare(b.username));

  const openAction = (a: Action) => {
    // Removing a member takes their row away: focus then goes to the row that takes its place.
    const i = members.findIndex((m) => m.id === a.member.id);
    const neighbour = members[i + 1] ?? members[i - 1];
    focusPlan.current = {
      opener: document.activeElement instanceof HTMLElement ? document.activeElement : null,
      fallbackId: a.kind === 'remove' ? neighbour?.id : a.member.id,
      done: false,
    };
    setAction(a);
  };

  /**
   * The dialog is gone and so, often, is the button that opened it (promote turns "Make admin" into
   * "Make member", remove takes the row): put focus back on the same button after a cancel, else on that
   * member's row (after a removal: the row that took its place), never on <body>.
   */
  const restoreFocus = () => {
    const plan = focusPlan.current;
    const opener = plan.opener;
    if (!plan.done && opener?.isConnected) {
      // After the dialog has left the DOM (its removal would otherwise move focus again).
      requestAnimationFrame(() => opener.focus());
      return;
    }
    setFocusRow({ id: plan.fallbackId });
  };
  // Applied after every render until it settles: the refetched list can re-sort the rows, and moving a
  // focused row in the DOM drops its focus. The row (keyed by member) reads out the name and new role.
  const [focusRow, setFocusRow] = useState<{ id: string | undefined }>();
  useEffect(() => {
    if (!focusRow) return;
    const rows = listRef.current;
    const row = focusRow.id ? rows?.querySelector<HTMLElement>(`[data-member-id="${CSS.escape(focusRow.id)}"]`) : null;
    (row ?? rows)?.focus();
  }, [focusRow, group.members]);
  useEffect(() => {
    if (!focusRow) return;
    const settle = setTimeout(() => setFocusRow(undefined), 3000);
    return () => clearTimeout(settle);
  }, [focusRow]);

  return (
    <Card id="members" title={`Members (${members.length})`}>
      <ul ref={listRef} tabIndex={-1} aria-label="Members" className="divide-y divide-slate-200 outline-none dark:divide-slate-800">
        {members.map((m) => {
          const self = m.id === me.id;
          const canTouch = !self && m.role !== 'owner' && (isOwner || (isAdmin && m.role === 'member'));
          return (
            <li
              key={m.id}
              className="flex flex-wrap items-center gap-3 py-3 outline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600"
              data-testid="member"
              data-member-id={m.id}
              tabIndex={-1}
            >
              <Avatar name={m.username} src={m.avatarUrl} />
              <div className="min-w-0 flex-1">
                <p className="font-semibold break-words">
                  {m.username}
                  {self && <span className="font-normal text-slate-700 dark:text-slate-300"> (you)</span>}
                </p>
                <p className="text-sm text-slate-700 dark:text-slate-300">{ROLE_LABEL[m.role]}</p>
              </div>
              {canTouch && (
                <div className="flex flex-wrap gap-2">
                  {m.role === 'member' ? (
                    <Button variant="secondary" onClick={() => openAction({ kind: 'promote', member: m })}>
                      Make admin<span className="sr-only">: {m.username}</span>
                    </Button>
                  ) : (
                    isOwner && (
                      <Button variant="secondary" onClick={() => openAction({ kind: 'demote', member: m })}>
                        Make member<span className="sr-only">: {m.username}</span>
                      </Button>
                    )
                  )}
                  {isOwner && (
                    <Button variant="secondary" onClick={() => openAction({ kind: 'transfer', member: m })}>
                      Make owner<span className="sr-only">: {m.username}</span>
                    </Button>
                  )}
                  <Button variant="danger" onClick={() => openAction({ kind: 'remove', member: m })} aria-label={`Remove ${m.username}`}>
                    Remove
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {action && (
        <ConfirmDialog
          open
          onClose={() => {
            setAction(undefined);
            restoreFocus();
          }}
          title={COPY[action.kind].title(action.member)}
          description={COPY[action.kind].text(action.member, group)}
          confirmLabel={COPY[action.kind].confirm}
          danger={COPY[action.kind].danger}
          onConfirm={() => run(action)}
        />
      )}
    </Card>
  );
}
