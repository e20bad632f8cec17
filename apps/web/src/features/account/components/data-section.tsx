/** Sign-in activity, "export my data" (a JSON download), and account deletion. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { User } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { accountApi, accountQueries, describeEvent } from '../api.ts';
import { setSessionUser } from '../../auth/session-cache.ts';

export function ActivitySection() {
  const q = useQuery(accountQueries.activity());
  return (
    <Card id="activity" title="Sign-in activity">
      {q.isPending ? (
        <Loading label="Loading activity…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Could not load your activity" />
      ) : q.data.length === 0 ? (
        <p>No security events yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Recent security events">
          {q.data.slice(0, 20).map((ev, i) => (
            <li key={`${ev.at}-${i}`} className="flex flex-wrap justify-between gap-x-3 py-2">
              <span className="font-semibold">{describeEvent(ev.type)}</span>
              <span className="text-sm text-slate-700 dark:text-slate-300">
                {formatInstant(ev.at)}
                {ev.ip ? ` · ${ev.ip}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
        Something you don’t recognise? Change your password and sign out everywhere else.
      </p>
    </Card>
  );
}

export function ExportSection() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const toast = useToast();
  const download = async () => {
    setPending(true);
    setError(undefined);
    try {
      const data = await accountApi.exportData();
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `queuecrew-export-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast('Your data was downloaded.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <Card id="export" title="Export my data">
      <div className="space-y-3">
        <p>
          Download everything QueueCrew keeps about you (profile, groups, suggestions, votes, sessions, security events) as a JSON file.
        </p>
        <FormError message={error} />
        <Button variant="secondary" onClick={() => void download()} pending={pending}>
          Download my data
        </Button>
      </div>
    </Card>
  );
}

export function DeleteAccountSection({ me }: { me: User }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState('');
  return (
    <Card id="delete-account" title="Delete my account" className="border-red-700 dark:border-red-400">
      <div className="space-y-3">
        <p>
          Your approvals are removed, your suggestions stay in group history without your name, and groups you own pass to their
          longest-standing admin (or are deleted when nobody is left). This cannot be undone.
        </p>
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete my account…
        </Button>
      </div>
      <ConfirmDialog
        open={open}
        onClose={() => {
          setOpen(false);
          setConfirm('');
        }}
        title="Delete your account for good?"
        description={`Type your username (${me.username}) to confirm.`}
        confirmLabel="Delete my account"
        danger
        canConfirm={confirm === me.username}
        onConfirm={async () => {
          await accountApi.deleteAccount(confirm);
          setSessionUser(qc, null);
          await navigate({ to: '/' });
        }}
      >
        <Field label="Username" autoComplete="off" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </ConfirmDialog>
    </Card>
  );
}
