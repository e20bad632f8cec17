/**
 * Approve / take back with an optimistic update: the tally and the avatars change at once, roll back if
 * the server refuses, and the day's data is refetched either way so every screen agrees with the server.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useToast } from '../../components/ui/toast.tsx';
import { errorMessage } from '../../lib/api-client.ts';
import type { Suggestion, User } from '@queuecrew/shared';
import { suggestionApi, suggestionKeys } from './api.ts';

interface VoteVars {
  suggestion: Suggestion;
  approve: boolean;
}

export function useVote(groupId: string, day: string, me: User) {
  const qc = useQueryClient();
  const toast = useToast();
  const key = suggestionKeys.list(groupId, day);
  return useMutation({
    mutationKey: ['vote', groupId, day],
    mutationFn: async ({ suggestion, approve }: VoteVars): Promise<void> => {
      if (approve) await suggestionApi.vote(suggestion.id);
      else await suggestionApi.unvote(suggestion.id);
    },
    onMutate: async ({ suggestion, approve }) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Suggestion[]>(key);
      qc.setQueryData<Suggestion[]>(key, (list) =>
        list?.map((x) =>
          x.id !== suggestion.id || x.votedByMe === approve
            ? x
            : {
                ...x,
                votedByMe: approve,
                votes: x.votes === null ? null : x.votes + (approve ? 1 : -1),
                voters: approve
                  ? [...x.voters, { id: me.id, username: me.username, avatarUrl: me.avatarUrl }]
                  : x.voters.filter((v) => v.id !== me.id),
              },
        ),
      );
      return { previous };
    },
    onError: (err, { suggestion, approve }, ctx) => {
      if (ctx?.previous) qc.setQueryData(key, ctx.previous);
      toast(
        `${approve ? 'Your approval of' : 'Taking back your approval of'} “${suggestion.gameName}” did not go through: ${errorMessage(err)}`,
        'error',
      );
    },
    onSettled: async () => {
      // Only the last of several quick clicks refetches, so an older answer cannot overwrite a newer click.
      if (qc.isMutating({ mutationKey: ['vote', groupId, day] }) === 1)
        await qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) });
    },
  });
}
