/**
 * The heart of the group page, "Tonight" for the chosen date: the night (deadline, decision, who's in),
 * the suggestions and their tallies, and the suggest form. Closed and cancelled nights take no
 * suggestions or votes, and say why.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import type { GroupDetail, Night, User } from '@queuecrew/shared';
import { addDays, formatDay } from '../../../lib/dates.ts';
import { statsQueries } from '../../stats/api.ts';
import { streaksOf } from '../../stats/streaks.ts';
import { formatTimeIn, nightQueries } from '../../nights/api.ts';
import { BallotPanel } from '../../nights/components/ballot-panel.tsx';
import { NightAnnouncer } from '../../nights/components/night-announcer.tsx';
import { RunoffRounds } from '../../nights/components/runoff-rounds.tsx';
import { TonightPanel } from '../../nights/components/tonight-panel.tsx';
import { sortSuggestions, suggestionQueries } from '../api.ts';
import { AddSuggestionForm, focusSuggestion } from './add-suggestion-form.tsx';
import { DayPicker } from './day-picker.tsx';
import { ResultsBanner } from './results-banner.tsx';
import { SuggestionList } from './suggestion-list.tsx';
import { TallyAnnouncer } from './tally-announcer.tsx';

/** Why this night takes no suggestions or votes, or undefined while it does. */
function closedReason(night: Night | undefined, timezone: string): string | undefined {
  if (!night) return undefined;
  if (night.status === 'cancelled') return 'This night was cancelled, so it takes no suggestions or votes.';
  if (night.status === 'closed')
    return `Voting for this night closed${night.closedAt ? ` at ${formatTimeIn(night.closedAt, timezone)}` : ''}. Pick another day to suggest and vote.`;
  // Past the deadline, the server closes the night within moments; take no more votes meanwhile.
  if (new Date(night.closesAt).getTime() <= Date.now())
    return `Voting closed at ${formatTimeIn(night.closesAt, timezone)}. The result is on its way.`;
  return undefined;
}

export function GroupDay({ group, me, day, today }: { group: GroupDetail; me: User; day: string; today: string }) {
  const list = useQuery(suggestionQueries.list(group.id, day));
  const results = useQuery(suggestionQueries.results(group.id, day));
  const night = useQuery(nightQueries.detail(group.id, day));
  // "won 3 days ago" for suggestions without a library game (a card's `game.lastWonOn` counts every
  // alias): the Stats tab's win history, fetched only when such a suggestion is on the page.
  const needsNameWins = list.data?.some((s) => !s.game) === true;
  const wins = useQuery({ ...statsQueries.range(group.id, addDays(today, -365), today), staleTime: 60_000, enabled: needsNameWins });
  const lastWon = new Map((wins.data?.games ?? []).filter((g) => g.lastWonOn < day).map((g) => [g.name.toLowerCase(), g.lastWonOn]));
  // The group's current streak, shown on its game's card for nights after it.
  // Up to the later of today and the viewed day: an admin may close a later night early.
  const streakTo = day > today ? day : today;
  const streakHistory = useQuery({ ...statsQueries.history(group.id, addDays(streakTo, -365), streakTo), staleTime: 60_000 });
  const current = streakHistory.data ? streaksOf(streakHistory.data).current : null;
  const streak = current && current.to < day ? current : null;
  const pendingFocus = useRef<string | null>(null);
  // A duplicate may not be in the list yet (someone else added it a second ago): refetch, then focus.
  const onDuplicate = useCallback(
    (id: string) => {
      if (document.getElementById(`suggestion-${id}`)) focusSuggestion(id);
      else {
        pendingFocus.current = id;
        void list.refetch().then(() => requestAnimationFrame(() => focusSuggestion(id)));
      }
    },
    [list],
  );
  const reason = closedReason(night.data, group.timezone);
  const closed = reason !== undefined;
  const isAdmin = group.role === 'owner' || group.role === 'admin';
  const sorted = list.data ? sortSuggestions(list.data) : [];
  const hidden = sorted.some((s) => s.votes === null);
  const ranked = night.data?.method === 'ranked';
  const vetoesOn = night.data?.vetoes === 1;
  const nameOf = (id: string) =>
    sorted.find((x) => x.id === id)?.gameName ?? results.data?.suggestions.find((x) => x.id === id)?.gameName ?? 'a removed suggestion';
  return (
    <Card id="day" title={day === today ? 'Tonight' : formatDay(day)} actions={<DayPicker groupId={group.id} day={day} today={today} />}>
      <div className="space-y-4">
        <NightAnnouncer night={night.data} suggestions={sorted} timezone={group.timezone} />
        {night.isPending ? (
          <Loading label="Loading the night…" />
        ) : night.isError ? (
          <ErrorState error={night.error} onRetry={() => void night.refetch()} title="Could not load this night" />
        ) : (
          <TonightPanel night={night.data} group={group} me={me} suggestions={sorted} isPast={day < today} />
        )}
        {list.isPending ? (
          <Loading label="Loading suggestions…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load the suggestions" />
        ) : (
          <>
            {!ranked && night.data?.status !== 'closed' && night.data?.status !== 'cancelled' && (
              <ResultsBanner suggestions={sorted} voters={results.data?.voters} isToday={day >= today} hidden={hidden} />
            )}
            <TallyAnnouncer suggestions={sorted} day={day} />
            {closed ? (
              <p className="rounded-lg bg-slate-100 p-3 text-slate-800 dark:bg-slate-800 dark:text-slate-200" data-testid="closed-reason">
                {reason}
              </p>
            ) : (
              <AddSuggestionForm groupId={group.id} day={day} meId={me.id} onDuplicate={onDuplicate} />
            )}
            {ranked && night.data?.status === 'closed' && results.data && (
              <RunoffRounds rounds={results.data.rounds} nameOf={nameOf} winnerName={night.data.winner?.gameName} />
            )}
            {ranked && night.data?.status === 'open' && sorted.length > 0 && (
              <BallotPanel groupId={group.id} day={day} suggestions={sorted} closed={closed} closedReason={reason} />
            )}
            <SuggestionList
              method={night.data?.method}
              vetoesOn={vetoesOn}
              lastWon={lastWon}
              streak={streak}
              today={today}
              groupId={group.id}
              day={day}
              suggestions={sorted}
              me={me}
              isAdmin={isAdmin}
              closed={closed}
              closedReason={reason}
            />
          </>
        )}
      </div>
    </Card>
  );
}
