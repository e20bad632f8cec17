/** Admins: create invite links (expiry, max uses), copy them, revoke them. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { FormError, SelectField } from '../../../components/ui/field.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { Invite } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { groupApi, groupKeys, groupQueries } from '../api.ts';
import { copyText } from '../../../lib/clipboard.ts';

const EXPIRY = [
  { value: '24', label: '1 day' },
  { value: '168', label: '7 days' },
  { value: '720', label: '30 days' },
];
const USES = [
  { value: '', label: 'No limit' },
  { value: '1', label: '1 person' },
  { value: '5', label: '5 people' },
  { value: '25', label: '25 people' },
];

export function InvitesPanel({ groupId }: { groupId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const invites = useQuery(groupQueries.invites(groupId));
  const [expires, setExpires] = useState('168');
  const [maxUses, setMaxUses] = useState('');
  const [revoking, setRevoking] = useState<Invite>();
  const create = useMutation({
    mutationFn: () => groupApi.createInvite(groupId, { expiresInHours: Number(expires), ...(maxUses ? { maxUses: Number(maxUses) } : {}) }),
    onSuccess: async (invite) => {
      await qc.invalidateQueries({ queryKey: groupKeys.invites(groupId) });
      toast(
        (await copyText(invite.url))
          ? 'Invite link created and copied. Paste it to your friends.'
          : 'Invite link created. Copy it from the list below.',
      );
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Card id="invites" title="Invite links">
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" aria-label="Create invite link">
        <SelectField label="Expires after" value={expires} onChange={(e) => setExpires(e.target.value)}>
          {EXPIRY.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Can be used by" value={maxUses} onChange={(e) => setMaxUses(e.target.value)}>
          {USES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit" pending={create.isPending}>
          Create link
        </Button>
      </form>
      <div className="mt-3">
        <FormError message={create.isError ? errorMessage(create.error) : undefined} />
      </div>
      <div className="mt-4">
        {invites.isPending ? (
          <Loading label="Loading invite links…" />
        ) : invites.isError ? (
          <ErrorState error={invites.error} onRetry={() => void invites.refetch()} title="Could not load invite links" />
        ) : (
          <InviteLists
            invites={invites.data}
            onCopy={(inv) =>
              void copyText(inv.url).then((ok) =>
                toast(ok ? 'Invite link copied.' : 'Could not copy automatically: select the link and copy it.', ok ? 'info' : 'error'),
              )
            }
            onRevoke={setRevoking}
          />
        )}
      </div>
      <ConfirmDialog
        open={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title="Revoke this invite link?"
        description="Nobody can join with it any more. People who already joined stay in the group."
        confirmLabel="Revoke link"
        danger
        onConfirm={async () => {
          if (!revoking) return;
          await groupApi.revokeInvite(groupId, revoking.id);
          await qc.invalidateQueries({ queryKey: groupKeys.invites(groupId) });
          toast('Invite link revoked.');
        }}
      />
    </Card>
  );
}

const spentLabel = (inv: Invite) => (inv.status === 'used_up' ? 'Used up' : 'Expired');

/**
 * Active links (copy, revoke) and, apart from them, links that no longer work (used up or expired):
 * those are shown so the admin knows why a friend could not join, but never offered for copying.
 */
function InviteLists({ invites, onCopy, onRevoke }: { invites: Invite[]; onCopy: (inv: Invite) => void; onRevoke: (inv: Invite) => void }) {
  const active = invites.filter((i) => (i.status ?? 'active') === 'active');
  const spent = invites.filter((i) => (i.status ?? 'active') !== 'active');
  return (
    <div className="space-y-5">
      {active.length === 0 ? (
        <p className="text-slate-700 dark:text-slate-300">No active invite links. Create one above and send it to your friends.</p>
      ) : (
        <ul className="space-y-3" aria-label="Active invite links">
          {active.map((inv) => (
            <li key={inv.id} className="rounded-lg border border-slate-300 p-3 dark:border-slate-700" data-testid="invite">
              <p className="font-mono text-sm break-all" data-testid="invite-url">
                {inv.url}
              </p>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                Used {inv.uses}
                {inv.maxUses ? ` of ${inv.maxUses}` : ''} · {inv.expiresAt ? `expires ${formatInstant(inv.expiresAt)}` : 'never expires'}
              </p>
              <div className="mt-2 flex flex-wrap gap-2">
                <Button variant="secondary" onClick={() => onCopy(inv)}>
                  Copy link
                </Button>
                <Button variant="ghost" onClick={() => onRevoke(inv)}>
                  Revoke
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {spent.length > 0 && (
        <section aria-labelledby="spent-invites-heading">
          <h3 id="spent-invites-heading" className="font-semibold">
            No longer work
          </h3>
          <p className="text-sm text-slate-700 dark:text-slate-300">Nobody can join with these. Create a new link instead.</p>
          <ul className="mt-2 space-y-3" aria-label="Links that no longer work">
            {spent.map((inv) => (
              <li
                key={inv.id}
                className="rounded-lg border border-dashed border-slate-300 p-3 dark:border-slate-700"
                data-testid="invite-spent"
              >
                <p className="font-mono text-sm break-all text-slate-700 line-through dark:text-slate-300">{inv.url}</p>
                <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                  <strong>{spentLabel(inv)}</strong> · used {inv.uses}
                  {inv.maxUses ? ` of ${inv.maxUses}` : ''}
                  {inv.status === 'expired' && inv.expiresAt ? ` · expired ${formatInstant(inv.expiresAt)}` : ''}
                </p>
                <div className="mt-2">
                  <Button variant="ghost" onClick={() => onRevoke(inv)} aria-label={`Remove ${spentLabel(inv).toLowerCase()} link`}>
                    Remove
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
