/**
 * Who's in: in / maybe / out buttons (aria-pressed) with counts, the people in each answer (avatars and
 * names, readable on touch screens), and who has not voted yet with a Nudge button. The buttons are never
 * disabled while a request runs, so keyboard focus stays on the one pressed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Avatar } from '../../../components/ui/avatar.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { Night, NightUser, RsvpStatus, User } from '@queuecrew/shared';
import { nightApi, nightKeys } from '../api.ts';

const LABEL: Record<RsvpStatus, string> = { in: 'I’m in', maybe: 'Maybe', out: 'I’m out' };
const HEADING: Record<RsvpStatus, string> = { in: 'In', maybe: 'Maybe', out: 'Out' };
const ORDER: RsvpStatus[] = ['in', 'maybe', 'out'];

function People({ people, testId }: { people: NightUser[]; testId: string }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1" data-testid={testId}>
      {people.map((p) => (
        <li key={p.id} className="flex items-center gap-1.5">
          <Avatar name={p.username} src={p.avatarUrl} size="sm" />
          <span className="text-sm break-all">{p.username}</span>
        </li>
      ))}
    </ul>
  );
}

function waitText(seconds: number | undefined): string {
  if (!seconds) return 'You nudged them a moment ago. Try again in a while.';
  const minutes = Math.ceil(seconds / 60);
  return `They were nudged less than 30 minutes ago. You can nudge again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`;
}

export function RsvpPanel({ night, me, canRsvp, rsvpReason }: { night: Night; me: User; canRsvp: boolean; rsvpReason?: string }) {
  const qc = useQueryClient();
  const key = nightKeys.detail(night.groupId, night.date);
  const [error, setError] = useState<string>();
  const [nudgeNote, setNudgeNote] = useState<string>();
  const rsvp = useMutation({
    mutationKey: ['rsvp', night.groupId, night.date],
    mutationFn: (status: RsvpStatus) => nightApi.rsvp(night.groupId, night.date, status),
    onMutate: async (status) => {
      setError(undefined);
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Night>(key);
      const self: NightUser = { id: me.id, username: me.username, avatarUrl: me.avatarUrl };
      qc.setQueryData<Night>(key, (n) => {
        if (!n) return n;
        const rsvps = Object.fromEntries(ORDER.map((s) => [s, n.rsvps[s].filter((u) => u.id !== me.id)])) as Night['rsvps'];
        rsvps[status] = [...rsvps[status], self];
        return { ...n, rsvps, myRsvp: status };
      });
      return { previous };
    },
    onSuccess: (n) => {
      if (qc.isMutating({ mutationKey: ['rsvp', night.groupId, night.date] }) === 1) qc.setQueryData(key, n);
    },
    onError: (err, _status, ctx) => {
      if (ctx?.previous) qc.setQueryData(key, ctx.previous);
      setError(`Your answer was not saved: ${errorMessage(err)}`);
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const nudge = useMutation({
    mutationFn: () => nightApi.nudge(night.groupId, night.date),
    onMutate: () => setNudgeNote(undefined),
    onSuccess: (r) =>
      setNudgeNote(
        r.nudged.length === 0
          ? 'Everyone has voted already.'
          : `Nudged ${r.nudged.length === 1 ? '1 person' : `${r.nudged.length} people`}.`,
      ),
    onError: (err) => setNudgeNote(isApiError(err) && err.code === 'nudge_too_soon' ? waitText(err.retryAfter) : errorMessage(err)),
  });
  const notVotedOthers = night.notVoted.filter((u) => u.id !== me.id);
  return (
    <section aria-labelledby="rsvp-title" className="space-y-3" data-testid="rsvp-panel">
      <h3 id="rsvp-title" className="font-bold">
        Who’s in?
      </h3>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Your answer for this night">
        {ORDER.map((s) => (
          <Button
            key={s}
            variant={night.myRsvp === s ? 'primary' : 'secondary'}
            aria-pressed={night.myRsvp === s}
            aria-disabled={!canRsvp || undefined}
            aria-describedby={!canRsvp && rsvpReason ? 'rsvp-reason' : undefined}
            className="aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
            onClick={() => {
              if (!canRsvp) return;
              if (night.myRsvp !== s) rsvp.mutate(s);
            }}
            data-testid={`rsvp-${s}`}
          >
            {LABEL[s]} <span className="tabular-nums">({night.rsvps[s].length})</span>
          </Button>
        ))}
      </div>
      {!canRsvp && rsvpReason && (
        <p id="rsvp-reason" className="text-sm text-slate-700 dark:text-slate-300">
          {rsvpReason}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      <dl className="space-y-2">
        {ORDER.filter((s) => night.rsvps[s].length > 0).map((s) => (
          <div key={s} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <dt className="text-sm font-semibold">
              {HEADING[s]} ({night.rsvps[s].length}):
            </dt>
            <dd>
              <People people={night.rsvps[s]} testId={`rsvp-list-${s}`} />
            </dd>
          </div>
        ))}
      </dl>
      {night.status === 'open' && night.notVoted.length > 0 && (
        <div className="space-y-2 rounded-lg bg-slate-100 p-3 dark:bg-slate-800" data-testid="not-voted">
          <p className="text-sm font-semibold">Hasn’t voted yet ({night.notVoted.length}):</p>
          <People people={night.notVoted} testId="not-voted-list" />
          {notVotedOthers.length > 0 && (
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="secondary" aria-busy={nudge.isPending || undefined} onClick={() => !nudge.isPending && nudge.mutate()}>
                Nudge them
              </Button>
              <p role="status" className="text-sm" data-testid="nudge-status">
                {nudgeNote}
              </p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
