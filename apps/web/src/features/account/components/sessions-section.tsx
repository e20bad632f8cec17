/** Where the person is signed in, with "sign out" per session and "sign out everywhere else". */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import type { Session } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { useSignOut } from '../../auth/use-session.ts';
import { accountApi, accountQueries } from '../api.ts';

function device(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsSection() {
  const qc = useQueryClient();
  const toast = useToast();
  const signOut = useSignOut();
  const sessions = useQuery(accountQueries.sessions());
  const [revoking, setRevoking] = useState<Session | 'others'>();
  return (
    <Card id="sessions" title="Where you’re signed in">
      {sessions.isPending ? (
        <Loading label="Loading sessions…" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} title="Could not load your sessions" />
      ) : (
        <div className="space-y-3">
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {sessions.data.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-3" data-testid="session">
                <div className="min-w-0">
                  <p className="font-semibold">
                    {device(s.userAgent)}
                    {s.current && (
                      <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                        This device
                      </span>
                    )}
                  </p>
                  <p className="text-sm text-slate-700 dark:text-slate-300">
                    {s.ip ?? 'unknown address'} · last active {formatInstant(s.lastUsedAt)} · since {formatInstant(s.createdAt)}
                  </p>
                </div>
                <Button
                  variant="secondary"
                  onClick={() => setRevoking(s)}
                  aria-label={s.current ? 'Sign out on this device' : `Sign out ${device(s.userAgent)} session`}
                >
                  Sign out
                </Button>
              </li>
            ))}
          </ul>
          {sessions.data.length > 1 && (
            <Button variant="danger" onClick={() => setRevoking('others')}>
              Sign out everywhere else
            </Button>
          )}
        </div>
      )}
      <ConfirmDialog
        open={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title={revoking === 'others' ? 'Sign out everywhere else?' : 'Sign out this session?'}
        description={
          revoking === 'others'
            ? 'Every other browser and device signed in to your account is signed out at once. This one stays signed in.'
            : revoking?.current
              ? 'You will be signed out here.'
              : 'That device will have to sign in again.'
        }
        confirmLabel="Sign out"
        danger
        onConfirm={async () => {
          if (revoking === 'others') {
            await accountApi.revokeOtherSessions();
            toast('Signed out everywhere else.');
          } else if (revoking?.current) {
            await signOut();
            return;
          } else if (revoking) {
            await accountApi.revokeSession(revoking.id);
            toast('Session signed out.');
          }
          await qc.invalidateQueries({ queryKey: accountQueries.sessions().queryKey });
        }}
      />
    </Card>
  );
}
