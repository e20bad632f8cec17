/**
 * The night's suggestions sorted by approvals: approve / take back (aria-pressed), who approved (avatars
 * and their names, readable without hovering), leader(s) highlighted, ties labelled as ties, remove for
 * the suggester or an admin.
 *
 * Focus: a card that moves in the sorted list is moved in the DOM, which drops focus onto <body>. The
 * list remembers which control (by suggestion id) had focus and puts it back after each render, without
 * scrolling; the buttons are never `disabled` (that would drop focus too), a closed night marks them
 * `aria-disabled` and says why. After a removal, focus goes to the next card (or the list heading).
 *
 * Ranked nights have no approvals: the approve button and the tally are left out (the ballot panel ranks).
 * With vetoes on, each card has "Veto" / "Take back veto" (one per member and night: once used, the
 * others say so) and says who vetoed it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Avatar } from '../../../components/ui/avatar.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import type { NightMethod, Suggestion, User } from '@queuecrew/shared';
import { errorMessage } from '../../../lib/api-client.ts';
import { playersLabel } from '../../games/api.ts';
import { GameCover } from '../../games/components/game-cover.tsx';
import { PlayableNotes } from '../../games/components/playable-notes.tsx';
import { leaders, suggestionApi, suggestionKeys } from '../api.ts';
import { useVote } from '../use-vote.ts';
import { daysAgo } from '../../stats/api.ts';
import { gameKey, type Streak } from '../../stats/streaks.ts';

interface Props {
  groupId: string;
  day: string;
  suggestions: Suggestion[];
  me: User;
  isAdmin: boolean;
  closed: boolean;
  closedReason?: string | undefined;
  method?: NightMethod | undefined;
  vetoesOn?: boolean | undefined;
  /** Game name (lower case) → the day it last won, for "won 3 days ago". */
  lastWon?: Map<string, string> | undefined;
  /** The group's current streak (two or more nights), shown on its game's card. */
  streak?: Streak | null | undefined;
  today?: string | undefined;
}

type FocusTarget = { id: string; control: 'vote' | 'remove' | 'veto' } | { id: 'heading'; control: 'heading' };

function focusTarget(t: FocusTarget) {
  const el =
    t.control === 'heading'
      ? document.getElementById('suggestions-title')
      : document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(`${t.control}:${t.id}`)}"]`);
  if (el && document.activeElement !== el) el.focus({ preventScroll: true });
  return Boolean(el);
}

/** The day the card's game last won before its night: by library game, else (no game) by name. */
function lastWonOf(s: Suggestion, byName: Map<string, string> | undefined): string | null | undefined {
  return s.game ? s.game.lastWonOn : byName?.get(s.gameName.toLowerCase());
}

/** Whether the card's game is the streak's: by library game, or by name when the streak has none. */
function onStreak(s: Suggestion, streak: Streak): boolean {
  return (
    streak.key === gameKey(s.game?.id, s.gameName) || (streak.gameId === null && streak.gameName.toLowerCase() === s.gameName.toLowerCase())
  );
}

function namesList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function SuggestionList({
  groupId,
  day,
  suggestions,
  me,
  isAdmin,
  closed,
  closedReason,
  method,
  vetoesOn,
  lastWon,
  streak,
  today,
}: Props) {
  const ranked = method === 'ranked';
  const vote = useVote(groupId, day, me);
  const qc = useQueryClient();
  const toast = useToast();
  const [removing, setRemoving] = useState<Suggestion>();
  const remove = useMutation({
    mutationFn: (id: string) => suggestionApi.remove(id),
    onSettled: () => qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) }),
  });
  const veto = useMutation({
    mutationFn: async ({ suggestion, on }: { suggestion: Suggestion; on: boolean }): Promise<void> => {
      if (on) await suggestionApi.veto(suggestion.id);
      else await suggestionApi.unveto(suggestion.id);
    },
    onSuccess: (_r, { suggestion, on }) =>
      toast(on ? `You vetoed “${suggestion.gameName}”.` : `Veto of “${suggestion.gameName}” taken back.`),
    onError: (err, { suggestion, on }) =>
      toast(
        `${on ? 'Your veto of' : 'Taking back your veto of'} “${suggestion.gameName}” did not go through: ${errorMessage(err)}`,
        'error',
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) }),
  });
  const myVeto = suggestions.find((x) => x.vetoedBy?.some((v) => v.id === me.id));
  const listRef = useRef<HTMLOListElement>(null);
  /** The control inside the list that has (or last had, before a re-render dropped it) keyboard focus. */
  const lastFocus = useRef<FocusTarget | null>(null);
  const afterRemove = useRef<FocusTarget | null>(null);

  // Focus dropped onto <body> by a re-render (a card moved, a button re-rendered): put it back.
  useLayoutEffect(() => {
    const t = lastFocus.current;
    if (!t) return;
    const active = document.activeElement;
    if (active === null || active === document.body) focusTarget(t);
  });
  // A pointer press elsewhere is a deliberate move: stop restoring.
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !listRef.current?.contains(e.target)) lastFocus.current = null;
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, []);
  // After the removal dialog closed (it returns focus to a Remove button that is gone): the next card.
  useEffect(() => {
    if (removing !== undefined || !afterRemove.current) return;
    const t = afterRemove.current;
    afterRemove.current = null;
    lastFocus.current = t.control === 'heading' ? null : t;
    requestAnimationFrame(() => {
      if (!focusTarget(t)) focusTarget({ id: 'heading', control: 'heading' });
    });
  }, [removing, suggestions]);

  const top = leaders(suggestions);
  const tie = top.length > 1;
  const topIds = new Set(top.map((x) => x.id));

  return (
    <>
      <h3 id="suggestions-title" tabIndex={-1} className="font-bold">
        Suggestions {suggestions.length > 0 && <span className="font-normal">({suggestions.length})</span>}
      </h3>
      {closed && closedReason && (
        <p id="vote-closed-reason" className="sr-only">
          {closedReason}
        </p>
      )}
      {vetoesOn && myVeto && (
        <p id="veto-used-reason" className="sr-only">
          You already vetoed {myVeto.gameName}. Take that veto back to veto another game.
        </p>
      )}
      <ol
        ref={listRef}
        className="space-y-3"
        aria-labelledby="suggestions-title"
        onFocus={(e) => {
          const key = (e.target as HTMLElement).dataset.focusKey;
          if (!key) return;
          const [control, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
          lastFocus.current = { id, control: control === 'remove' || control === 'veto' ? control : 'vote' };
        }}
        onBlur={(e) => {
          // Focus moved to another element on purpose (Tab, a click): forget it. A blur with no new
          // target may be a re-render dropping it, which the layout effect above repairs.
          if (e.relatedTarget && !listRef.current?.contains(e.relatedTarget as Node)) lastFocus.current = null;
        }}
      >
        {suggestions.map((s) => {
          const leading = topIds.has(s.id);
          const hidden = s.votes === null;
          return (
            <li
              key={s.id}
              id={`suggestion-${s.id}`}
              tabIndex={-1}
              data-testid="suggestion"
              data-leading={leading || undefined}
              className={cn(
                'rounded-xl border bg-white p-3 shadow-sm transition-shadow data-[highlight=true]:ring-4 data-[highlight=true]:ring-amber-500 sm:p-4 dark:bg-slate-900',
                leading ? 'border-l-8 border-emerald-700 dark:border-emerald-400' : 'border-slate-300 dark:border-slate-700',
              )}
            >
              <div className="flex flex-wrap items-start gap-3">
                {s.game && <GameCover name={s.gameName} coverUrl={s.game.coverUrl} className="w-24 sm:w-32" />}
                <div className="min-w-0 flex-1">
                  <h4 className="text-lg font-bold break-words" data-testid="game-name">
                    {s.gameName}
                  </h4>
                  <p className="text-sm text-slate-700 dark:text-slate-300">
                    Suggested by {s.suggestedBy?.username ?? 'a former member'}
                    {today && lastWonOf(s, lastWon) && (
                      <span data-testid="last-won"> · won {daysAgo(lastWonOf(s, lastWon) ?? today, today)}</span>
                    )}
                    {streak && onStreak(s, streak) && <span data-testid="streak"> · on a {streak.nights}-night streak</span>}
                    {leading && (
                      <span className="ml-2 inline-block rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                        {tie ? 'Tied for first' : closed ? 'Most approvals' : 'Winner so far'}
                      </span>
                    )}
                  </p>
                  {s.game && (
                    <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
                      {playersLabel(s.game.minPlayers, s.game.maxPlayers) && (
                        <span data-testid="players">{playersLabel(s.game.minPlayers, s.game.maxPlayers)}</span>
                      )}
                      <PlayableNotes playable={s.playable} range={s.game} meId={me.id} />
                    </div>
                  )}
                </div>
                {!ranked && (
                  <p className="flex flex-col items-end text-right" data-testid="tally">
                    {hidden ? (
                      <span className="max-w-32 text-sm text-slate-700 dark:text-slate-300" data-testid="tally-hidden">
                        Results hidden until the deadline
                      </span>
                    ) : (
                      <>
                        <span className="text-2xl leading-none font-extrabold" data-testid="tally-count">
                          {s.votes}
                        </span>
                        <span className="text-xs text-slate-700 dark:text-slate-300">{s.votes === 1 ? 'approval' : 'approvals'}</span>
                      </>
                    )}
                  </p>
                )}
              </div>
              {vetoesOn && s.vetoedBy?.length > 0 && (
                <p className="mt-2 text-sm font-semibold text-red-800 dark:text-red-300" data-testid="vetoed-by">
                  Vetoed by {namesList(s.vetoedBy.map((v) => (v.id === me.id ? 'you' : v.username)))}: it cannot win tonight.
                </p>
              )}
              <div className="mt-3 flex flex-wrap items-center gap-2">
                {!ranked && (
                  <Button
                    variant={s.votedByMe ? 'primary' : 'secondary'}
                    data-focus-key={`vote:${s.id}`}
                    aria-disabled={closed || undefined}
                    aria-describedby={closed && closedReason ? 'vote-closed-reason' : undefined}
                    className="aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
                    onClick={() => {
                      if (closed) {
                        if (closedReason) toast(closedReason, 'error');
                        return;
                      }
                      vote.mutate({ suggestion: s, approve: !s.votedByMe });
                    }}
                  >
                    {/* The name says state and action: "Approved — take back approval of X" / "Approve X". */}
                    {s.votedByMe ? (
                      <>
                        <span aria-hidden="true">✓</span> Approved<span className="sr-only"> — take back approval of {s.gameName}</span>
                      </>
                    ) : (
                      <>
                        <span aria-hidden="true">+</span> Approve<span className="sr-only"> {s.gameName}</span>
                      </>
                    )}
                  </Button>
                )}
                {vetoesOn &&
                  (() => {
                    const mine = myVeto?.id === s.id;
                    const used = myVeto !== undefined && !mine;
                    const blocked = closed || used;
                    return (
                      <Button
                        variant={mine ? 'danger' : 'secondary'}
                        data-focus-key={`veto:${s.id}`}
                        aria-disabled={blocked || undefined}
                        aria-describedby={closed && closedReason ? 'vote-closed-reason' : used ? 'veto-used-reason' : undefined}
                        className="aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
                        onClick={() => {
                          if (closed) return closedReason && toast(closedReason, 'error');
                          if (used)
                            return toast(`You already vetoed “${myVeto.gameName}”. Take that veto back to veto another game.`, 'error');
                          if (!veto.isPending) veto.mutate({ suggestion: s, on: !mine });
                        }}
                      >
                        {mine ? 'Take back veto' : 'Veto'}
                        <span className="sr-only"> {s.gameName}</span>
                      </Button>
                    );
                  })()}
                {(s.suggestedBy?.id === me.id || isAdmin) && (
                  <Button
                    variant="ghost"
                    data-focus-key={`remove:${s.id}`}
                    onClick={() => setRemoving(s)}
                    aria-label={`Remove suggestion ${s.gameName}`}
                  >
                    Remove
                  </Button>
                )}
                {s.voters.length > 0 && (
                  <div className="ml-auto flex min-w-0 flex-wrap items-center gap-2" data-testid="voters">
                    <ul className="flex flex-wrap -space-x-2" aria-hidden="true">
                      {s.voters.map((v) => (
                        <li key={v.id} title={v.username}>
                          <Avatar name={v.username} src={v.avatarUrl} size="sm" />
                        </li>
                      ))}
                    </ul>
                    <p className="min-w-0 text-sm break-words text-slate-700 dark:text-slate-300" data-testid="voter-names">
                      Approved by {namesList(s.voters.map((v) => (v.id === me.id ? 'you' : v.username)))}
                    </p>
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <ConfirmDialog
        open={removing !== undefined}
        onClose={() => setRemoving(undefined)}
        title="Remove this suggestion?"
        description={removing ? `“${removing.gameName}” and its approvals will be removed for everyone.` : ''}
        confirmLabel="Remove suggestion"
        danger
        onConfirm={async () => {
          if (!removing) return;
          const index = suggestions.findIndex((x) => x.id === removing.id);
          const next = suggestions[index + 1] ?? suggestions[index - 1];
          afterRemove.current = next ? { id: next.id, control: 'vote' } : { id: 'heading', control: 'heading' };
          lastFocus.current = null;
          try {
            await remove.mutateAsync(removing.id);
          } catch (err) {
            afterRemove.current = null;
            throw err;
          }
          toast(`Removed “${removing.gameName}”.`);
        }}
      />
    </>
  );
}
