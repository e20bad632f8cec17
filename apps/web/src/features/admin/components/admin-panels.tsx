/** Registration policy, accounts (search, disable/enable, delete) and the security event log. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError, SelectField } from '../../../components/ui/field.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatInstant } from '../../../lib/dates.ts';
import { authQueries } from '../../auth/api.ts';
import { adminApi, adminQueries, type AdminUser } from '../api.ts';
import { copyText } from '../../../lib/clipboard.ts';

const POLICY = [
  { value: 'open', label: 'Open: anyone can register' },
  { value: 'invite-only', label: 'Invite-only: registration needs an invite code' },
  { value: 'closed', label: 'Closed: no new accounts' },
] as const;

export function RegistrationPanel() {
  const qc = useQueryClient();
  const toast = useToast();
  const settings = useQuery(adminQueries.settings());
  const [error, setError] = useState<string>();
  return (
    <Card id="registration" title="Registration">
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <div className="space-y-3">
          <FormError message={error} />
          <SelectField
            label="Who can create an account"
            value={settings.data.registration}
            onChange={(e) => {
              const value = e.target.value as (typeof POLICY)[number]['value'];
              setError(undefined);
              adminApi.setRegistration(value).then(
                async () => {
                  await qc.invalidateQueries({ queryKey: adminQueries.settings().queryKey });
                  await qc.invalidateQueries({ queryKey: authQueries.config().queryKey });
                  toast('Registration policy saved.');
                },
                (err: unknown) => setError(errorMessage(err)),
              );
            }}
          >
            {POLICY.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </SelectField>
        </div>
      )}
    </Card>
  );
}

/**
 * The reset link just made for one account: shown once (the server keeps only its hash), focused and
 * selected so it can be copied at once, with a Copy button and the result in a live region.
 */
function ResetLinkBox({ username, url, expiresAt }: { username: string; url: string; expiresAt: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [url]);
  const copy = async () => {
    const ok = await copyText(url);
    if (!ok) input.current?.select();
    setStatus(ok ? 'Reset link copied.' : 'Could not copy automatically: the link is selected, copy it with your keyboard or menu.');
  };
  return (
    <div className="mt-3 w-full space-y-2 rounded-lg border border-slate-300 p-3 dark:border-slate-700" data-testid="reset-link">
      <Field
        ref={input}
        label={`Password reset link for ${username}`}
        hint={`Send it to ${username} yourself (QueueCrew sends no email). It works once, until ${formatInstant(expiresAt)}, and signs them out everywhere. It is shown only now.`}
        value={url}
        readOnly
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <Button variant="secondary" onClick={() => void copy()}>
        Copy link
      </Button>
      <p role="status" aria-live="polite" className="text-sm font-medium text-slate-900 dark:text-slate-100">
        {status}
      </p>
    </div>
  );
}

export function UsersPanel({ meId }: { meId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const users = useQuery(adminQueries.users(q));
  const [action, setAction] = useState<{ kind: 'disable' | 'enable' | 'delete'; user: AdminUser }>();
  const [resetLink, setResetLink] = useState<{ userId: string; url: string; expiresAt: string }>();
  const [resetError, setResetError] = useState<{ userId: string; message: string }>();
  const [resetPending, setResetPending] = useState<string>();
  const createResetLink = async (user: AdminUser) => {
    setResetPending(user.id);
    setResetError(undefined);
    try {
      const link = await adminApi.createResetLink(user.id);
      setResetLink({ userId: user.id, ...link });
      toast(`Reset link for ${user.username} created.`);
    } catch (err) {
      setResetError({ userId: user.id, message: errorMessage(err) });
    } finally {
      setResetPending(undefined);
    }
  };
  const run = async () => {
    if (!action) return;
    const { kind, user } = action;
    if (kind === 'disable') await adminApi.disable(user.id);
    if (kind === 'enable') await adminApi.enable(user.id);
    if (kind === 'delete') await adminApi.remove(user.id);
    await qc.invalidateQueries({ queryKey: ['admin'] });
    toast(`${user.username} was ${kind === 'delete' ? 'deleted' : kind === 'disable' ? 'disabled' : 'enabled'}.`);
  };
  return (
    <Card id="users" title="Accounts">
      <div className="space-y-3">
        <Field label="Search by username or email" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        {users.isPending ? (
          <Loading label="Loading accounts…" />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <p>No account matches. Try part of a username or email.</p>
        ) : (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-300">
              {users.data.total} {users.data.total === 1 ? 'account' : 'accounts'}
            </p>
            <ul className="divide-y divide-slate-200 dark:divide-slate-800">
              {users.data.items.map((u) => (
                <li key={u.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <div className="min-w-0">
                    <p className="font-semibold break-words">
                      {u.username}
                      {u.isInstanceAdmin && ' · instance admin'}
                      {u.disabled && <span className="ml-2 text-red-700 dark:text-red-300">disabled</span>}
                    </p>
                    <p className="text-sm break-all text-slate-700 dark:text-slate-300">
                      {u.email ?? 'Discord account'} · since {formatInstant(u.createdAt)}
                    </p>
                  </div>
                  {u.id !== meId && (
                    <div className="flex flex-wrap gap-2">
                      <Button variant="secondary" onClick={() => setAction({ kind: u.disabled ? 'enable' : 'disable', user: u })}>
                        {u.disabled ? 'Enable' : 'Disable'}
                        <span className="sr-only"> {u.username}</span>
                      </Button>
                      {u.email !== null && !u.disabled && (
                        <Button variant="secondary" pending={resetPending === u.id} onClick={() => void createResetLink(u)}>
                          Create reset link<span className="sr-only"> for {u.username}</span>
                        </Button>
                      )}
                      <Button variant="danger" onClick={() => setAction({ kind: 'delete', user: u })}>
                        Delete<span className="sr-only"> {u.username}</span>
                      </Button>
                    </div>
                  )}
                  {resetError?.userId === u.id && (
                    <div className="w-full">
                      <FormError message={resetError.message} />
                    </div>
                  )}
                  {resetLink?.userId === u.id && <ResetLinkBox username={u.username} url={resetLink.url} expiresAt={resetLink.expiresAt} />}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {action && (
        <ConfirmDialog
          open
          onClose={() => setAction(undefined)}
          title={`${action.kind === 'delete' ? 'Delete' : action.kind === 'disable' ? 'Disable' : 'Enable'} ${action.user.username}?`}
          description={
            action.kind === 'delete'
              ? 'The account is deleted as if its owner had done it: approvals go, suggestions are anonymised, owned groups are handed on.'
              : action.kind === 'disable'
                ? 'They are signed out everywhere at once and cannot sign in until enabled again.'
                : 'They can sign in again.'
          }
          confirmLabel={action.kind === 'delete' ? 'Delete account' : action.kind === 'disable' ? 'Disable account' : 'Enable account'}
          danger={action.kind !== 'enable'}
          onConfirm={run}
        />
      )}
    </Card>
  );
}

export function EventsPanel() {
  const [type, setType] = useState('');
  const events = useQuery(adminQueries.events(type));
  return (
    <Card id="events" title="Security events">
      <div className="space-y-3">
        <SelectField label="Show" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All events</option>
          <option value="login_failed">Failed sign-ins</option>
          <option value="login_locked">Locked sign-ins</option>
          <option value="login_failure_burst">Failed sign-in bursts</option>
          <option value="permission_denied">Permission denied</option>
          <option value="refresh_reuse_detected">Refresh token reuse</option>
          <option value="account_deleted">Deleted accounts</option>
          <option value="password_reset_link_created">Password reset links created</option>
          <option value="password_reset_used">Password reset links used</option>
        </SelectField>
        {events.isPending ? (
          <Loading label="Loading events…" />
        ) : events.isError ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : events.data.items.length === 0 ? (
          <p>No events of this kind.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
            {events.data.items.map((ev) => (
              <li key={ev.id} className="flex flex-wrap justify-between gap-x-3 py-2">
                <span className="font-semibold">{ev.type.replaceAll('_', ' ')}</span>
                <span className="break-all text-slate-700 dark:text-slate-300">
                  {formatInstant(ev.createdAt)}
                  {ev.username ? ` · ${ev.username}` : ev.subject ? ` · ${ev.subject}` : ''}
                  {ev.ip ? ` · ${ev.ip}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
