/**
 * Today's suggestions sorted by approvals: approve / take back (aria-pressed), who approved (avatars),
 * leader(s) highlighted, ties labelled as ties, remove for the suggester or an admin.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Avatar } from '../../../components/ui/avatar.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import type { Suggestion, User } from '../../../lib/api-types.ts';
import { leaders, suggestionApi, suggestionKeys } from '../api.ts';
import { useVote } from '../use-vote.ts';

interface Props {
  groupId: string;
  day: string;
  suggestions: Suggestion[];
  me: User;
  isAdmin: boolean;
  closed: boolean;
}

export function SuggestionList({ groupId, day, suggestions, me, isAdmin, closed }: Props) {
  const vote = useVote(groupId, day, me);
  const qc = useQueryClient();
  const toast = useToast();
  const [removing, setRemoving] = useState<Suggestion>();
  const remove = useMutation({
    mutationFn: (id: string) => suggestionApi.remove(id),
    onSettled: () => qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) }),
  });
  const top = leaders(suggestions);
  const tie = top.length > 1;
  const topIds = new Set(top.map((x) => x.id));

  return (
    <>
      <ol className="space-y-3" aria-label="Suggestions, most approved first">
        {suggestions.map((s) => {
          const leading = topIds.has(s.id);
          const pending = vote.isPending && vote.variables?.suggestion.id === s.id;
          return (
            <li
              key={s.id}
              id={`suggestion-${s.id}`}
              tabIndex={-1}
              data-testid="suggestion"
              data-leading={leading || undefined}
              className={cn(
                'rounded-xl border bg-white p-3 shadow-sm transition-shadow data-[highlight=true]:ring-4 data-[highlight=true]:ring-amber-500 sm:p-4 dark:bg-slate-900',
                leading ? 'border-emerald-700 border-l-8 dark:border-emerald-400' : 'border-slate-300 dark:border-slate-700',
              )}
            >
              <div className="flex flex-wrap items-start gap-3">
                <div className="min-w-0 flex-1">
                  <h3 className="text-lg font-bold break-words" data-testid="game-name">
                    {s.gameName}
                  </h3>
                  <p className="text-sm text-slate-700 dark:text-slate-300">
                    Suggested by {s.suggestedBy?.username ?? 'a former member'}
                    {leading && (
                      <span className="ml-2 inline-block rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                        {tie ? 'Tied for first' : 'Winner so far'}
                      </span>
                    )}
                  </p>
                </div>
                <p className="flex flex-col items-end text-right" data-testid="tally">
                  <span className="text-2xl leading-none font-extrabold" data-testid="tally-count">
                    {s.votes}
                  </span>
                  <span className="text-xs text-slate-700 dark:text-slate-300">{s.votes === 1 ? 'approval' : 'approvals'}</span>
                </p>
              </div>
              <div className="mt-3 flex flex-wrap items-center gap-2">
                <Button
                  variant={s.votedByMe ? 'primary' : 'secondary'}
                  disabled={closed || pending}
                  onClick={() => vote.mutate({ suggestion: s, approve: !s.votedByMe })}
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
                {(s.suggestedBy?.id === me.id || isAdmin) && (
                  <Button variant="ghost" onClick={() => setRemoving(s)} aria-label={`Remove suggestion ${s.gameName}`}>
                    Remove
                  </Button>
                )}
                {s.voters.length > 0 && (
                  <ul
                    className="ml-auto flex flex-wrap -space-x-2"
                    aria-label={`Approved by ${s.voters.map((v) => v.username).join(', ')}`}
                  >
                    {s.voters.map((v) => (
                      <li key={v.id} title={v.username}>
                        <Avatar name={v.username} src={v.avatarUrl} size="sm" />
                      </li>
                    ))}
                  </ul>
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
          await remove.mutateAsync(removing.id);
          toast(`Removed “${removing.gameName}”.`);
        }}
      />
    </>
  );
}
