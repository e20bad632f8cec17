import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { Button, buttonClass } from '../components/ui/button.tsx';
import { ErrorState } from '../components/ui/card.tsx';
import { FormError } from '../components/ui/field.tsx';
import { Loading } from '../components/ui/spinner.tsx';
import { authQueries, takeJoinAfterDiscord } from '../features/auth/api.ts';
import { groupKeys } from '../features/groups/api.ts';
import { inviteApi, inviteQueries } from '../features/invites/api.ts';
import { errorMessage } from '../lib/api-client.ts';
import { formatInstant } from '../lib/dates.ts';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/invite/$code');

export function InvitePage() {
  usePageTitle('Invitation');
  const { code } = route.useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const preview = useQuery(inviteQueries.preview(code));
  const me = useQuery(authQueries.me());
  const accept = useMutation({
    mutationFn: () => inviteApi.accept(code),
    onSuccess: async ({ groupId }) => {
      await qc.invalidateQueries({ queryKey: groupKeys.all });
      await navigate({ to: '/groups/$groupId', params: { groupId } });
    },
  });
  // Back from "Continue with Discord" chosen on this invite: join at once and land on the group.
  const signedIn = Boolean(me.data);
  const usable = preview.data !== undefined && preview.data.state !== 'signed-out' && preview.data.state !== 'invalid';
  const { mutate, isIdle } = accept;
  useEffect(() => {
    if (signedIn && usable && isIdle && takeJoinAfterDiscord(code)) mutate();
  }, [signedIn, usable, isIdle, code, mutate]);
  const here = `/invite/${encodeURIComponent(code)}`;
  const signInLinks = (
    <div className="flex flex-wrap gap-3">
      <Link to="/sign-in" search={{ redirect: here }} className={buttonClass('primary')}>
        Sign in to join
      </Link>
      <Link to="/register" search={{ redirect: here }} className={buttonClass('secondary')}>
        Create an account
      </Link>
    </div>
  );
  const signedOut = me.data === null || preview.data?.state === 'signed-out';
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-extrabold">You’re invited</h1>
      {preview.isPending || me.isPending ? (
        <Loading label="Checking the invite…" />
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} title="Could not check the invite" />
      ) : preview.data.state === 'signed-out' ? (
        <div className="space-y-4">
          <p>Sign in or create an account to see which group invited you and join it. You will come straight back here.</p>
          {signInLinks}
        </div>
      ) : preview.data.state === 'invalid' ? (
        <div className="space-y-3">
          <p>
            This invite link does not work any more: it may have expired, been used up or been revoked. Ask the person who sent it for a new
            one.
          </p>
          <Link to={signedOut ? '/' : '/groups'}>{signedOut ? 'Go to the start page' : 'Go to my groups'}</Link>
        </div>
      ) : (
        <div className="space-y-4 rounded-xl border border-slate-300 bg-white p-5 dark:border-slate-700 dark:bg-slate-900">
          <p className="text-sm text-slate-700 dark:text-slate-300">Join the group</p>
          <p className="text-2xl font-bold break-words" data-testid="invite-group-name">
            {preview.data.invite.groupName}
          </p>
          <p className="text-slate-700 dark:text-slate-300">
            {preview.data.invite.memberCount} {preview.data.invite.memberCount === 1 ? 'member' : 'members'}
            {preview.data.invite.expiresAt ? ` · invite valid until ${formatInstant(preview.data.invite.expiresAt)}` : ''}
          </p>
          {signedOut ? (
            <>
              <p>Sign in or create an account to join. You will come straight back here.</p>
              {signInLinks}
            </>
          ) : (
            <>
              <FormError message={accept.isError ? errorMessage(accept.error) : undefined} />
              <Button onClick={() => accept.mutate()} pending={accept.isPending}>
                Join {preview.data.invite.groupName}
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
