/**
 * A ranked night's ballot (docs/api.md "Fair picks"): the member's own ranking as an ordered list with
 * "Move up" / "Move down" / "Remove from ballot" buttons, and "Add to my ranking" on the suggestions not
 * ranked yet. No dragging: every change is a button, so it works by keyboard, with a screen reader and
 * on a 320 px phone. Each change is saved at once (PUT …/ballot) and the saved state is shown.
 *
 * Focus: a moved item is moved in the DOM, which drops focus; after each change focus is put back on the
 * same control of the same game (or, after an add/remove, on that game's control in its new list). The
 * buttons are never `disabled` (that drops focus too): the first item's "Move up" is `aria-disabled`.
 * A live region says what happened ("Valheim moved to position 2").
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { Ballot, Suggestion } from '@queuecrew/shared';
import { suggestionKeys } from '../../suggestions/api.ts';
import { nightApi, nightKeys, nightQueries } from '../api.ts';

type Control = 'up' | 'down' | 'remove' | 'add';

function focusControl(control: Control, id: string) {
  const el = document.querySelector<HTMLElement>(`[data-ballot-focus="${CSS.escape(`${control}:${id}`)}"]`);
  el?.focus({ preventScroll: false });
}

export function BallotPanel({
  groupId,
  day,
  suggestions,
  closed,
  closedReason,
}: {
  groupId: string;
  day: string;
  suggestions: Suggestion[];
  closed: boolean;
  closedReason?: string | undefined;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const ballot = useQuery(nightQueries.ballot(groupId, day));
  const [announcement, setAnnouncement] = useState('');
  /** Where focus goes once the list shows `ranking` (the optimistic update lands a moment after the click). */
  const pendingFocus = useRef<{ control: Control; id: string; ranking: string } | null>(null);
  const save = useMutation({
    mutationKey: ['ballot', groupId, day],
    mutationFn: (ranking: string[]) => nightApi.saveBallot(groupId, day, ranking),
    onMutate: async (ranking) => {
      await qc.cancelQueries({ queryKey: nightKeys.ballot(groupId, day) });
      const previous = qc.getQueryData<Ballot>(nightKeys.ballot(groupId, day));
      qc.setQueryData<Ballot>(nightKeys.ballot(groupId, day), { date: day, ranking });
      return { previous };
    },
    onError: (err, _ranking, ctx) => {
      if (ctx?.previous) qc.setQueryData(nightKeys.ballot(groupId, day), ctx.previous);
      if (pendingFocus.current && ctx?.previous) pendingFocus.current.ranking = ctx.previous.ranking.join(',');
      toast(`Your ballot was not saved: ${errorMessage(err)}`, 'error');
    },
    onSettled: async () => {
      if (qc.isMutating({ mutationKey: ['ballot', groupId, day] }) === 1) {
        await qc.invalidateQueries({ queryKey: nightKeys.ballot(groupId, day) });
        await qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId), refetchType: 'active' });
      }
    },
  });

  const byId = new Map(suggestions.map((s) => [s.id, s]));
  // A deleted suggestion drops out of every ballot.
  const ranking = (ballot.data?.ranking ?? []).filter((id) => byId.has(id));
  const shown = ranking.join(',');

  useLayoutEffect(() => {
    const t = pendingFocus.current;
    if (!t || t.ranking !== shown) return;
    pendingFocus.current = null;
    focusControl(t.control, t.id);
  });
  const unranked = suggestions.filter((s) => !ranking.includes(s.id));
  const name = (id: string) => byId.get(id)?.gameName ?? 'A removed suggestion';

  const change = (next: string[], focus: { control: Control; id: string }, message: string) => {
    if (closed) {
      if (closedReason) toast(closedReason, 'error');
      return;
    }
    pendingFocus.current = { ...focus, ranking: next.join(',') };
    setAnnouncement(message);
    save.mutate(next);
  };
  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    const id = ranking[index];
    if (id === undefined || to < 0 || to >= ranking.length) {
      setAnnouncement(`${name(id ?? '')} is already ${by < 0 ? 'first' : 'last'}.`);
      return;
    }
    const next = [...ranking];
    next.splice(index, 1);
    next.splice(to, 0, id);
    change(next, { control: by < 0 ? 'up' : 'down', id }, `${name(id)} moved to position ${to + 1}.`);
  };

  const status = save.isPending
    ? 'Saving your ballot…'
    : ballot.isPending
      ? 'Loading your ballot…'
      : ranking.length === 0
        ? 'You have not ranked anything yet.'
        : `Your ballot is saved: ${ranking.length} ${ranking.length === 1 ? 'game' : 'games'} ranked.`;

  return (
    <section
      aria-labelledby="ballot-title"
      className="space-y-3 rounded-xl border border-indigo-700 p-3 sm:p-4 dark:border-indigo-400"
      data-testid="ballot"
    >
      <h3 id="ballot-title" className="font-bold">
        My ranking
      </h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Tonight is ranked choice: put the games in the order you want them. Your first choice counts first; if it is knocked out, your vote
        moves to your next choice. Rank as many as you like.
      </p>
      <p className="text-sm font-semibold" data-testid="ballot-status">
        {status}
      </p>
      <p role="status" aria-live="polite" className="sr-only" data-testid="ballot-announcer">
        {announcement}
      </p>
      {closed && closedReason && (
        <p id="ballot-closed-reason" className="sr-only">
          {closedReason}
        </p>
      )}
      {ranking.length > 0 && (
        <ol className="space-y-2" aria-label="My ranking, best first" data-testid="ballot-ranking">
          {ranking.map((id, i) => {
            const n = name(id);
            const aria = (edge: boolean) => ({
              'aria-disabled': edge || closed || undefined,
              'aria-describedby': closed && closedReason ? 'ballot-closed-reason' : undefined,
            });
            return (
              <li
                key={id}
                className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900"
                data-testid="ballot-item"
              >
                <span className="min-w-0 flex-1 font-semibold break-words">
                  <span aria-hidden="true">{i + 1}. </span>
                  <span data-testid="ballot-game">{n}</span>
                </span>
                <span className="flex flex-wrap gap-1">
                  <Button
                    variant="secondary"
                    className="px-2 aria-disabled:opacity-60"
                    data-ballot-focus={`up:${id}`}
                    {...aria(i === 0)}
                    onClick={() => move(i, -1)}
                  >
                    <span aria-hidden="true">↑</span>
                    <span>
                      Move up
                      <span className="sr-only"> {n}</span>
                    </span>
                  </Button>
                  <Button
                    variant="secondary"
                    className="px-2 aria-disabled:opacity-60"
                    data-ballot-focus={`down:${id}`}
                    {...aria(i === ranking.length - 1)}
                    onClick={() => move(i, 1)}
                  >
                    <span aria-hidden="true">↓</span>
                    <span>
                      Move down
                      <span className="sr-only"> {n}</span>
                    </span>
                  </Button>
                  <Button
                    variant="ghost"
                    className="px-2"
                    data-ballot-focus={`remove:${id}`}
                    {...aria(false)}
                    onClick={() =>
                      change(
                        ranking.filter((x) => x !== id),
                        { control: 'add', id },
                        `${n} removed from your ballot.`,
                      )
                    }
                  >
                    <span aria-hidden="true">✕</span>
                    <span>
                      Remove<span className="sr-only"> {n}</span> from ballot
                    </span>
                  </Button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {unranked.length > 0 && (
        <div className="space-y-2">
          <p className="text-sm font-semibold">Not ranked yet</p>
          <ul className="flex flex-wrap gap-2" aria-label="Games not on my ballot">
            {unranked.map((s) => (
              <li key={s.id}>
                <Button
                  variant="secondary"
                  className="max-w-full break-words whitespace-normal"
                  data-ballot-focus={`add:${s.id}`}
                  aria-disabled={closed || undefined}
                  aria-describedby={closed && closedReason ? 'ballot-closed-reason' : undefined}
                  onClick={() =>
                    change(
                      [...ranking, s.id],
                      { control: 'up', id: s.id },
                      `${s.gameName} added to your ranking at position ${ranking.length + 1}.`,
                    )
                  }
                >
                  <span aria-hidden="true">+</span> Add {s.gameName} to my ranking
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
