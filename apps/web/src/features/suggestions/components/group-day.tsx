/** The heart of the group page: the chosen day's suggestions, the outcome, and the suggest form. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import type { GroupDetail, User } from '../../../lib/api-types.ts';
import { addDays, formatDay } from '../../../lib/dates.ts';
import { sortSuggestions, suggestionQueries } from '../api.ts';
import { AddSuggestionForm, focusSuggestion } from './add-suggestion-form.tsx';
import { DayPicker } from './day-picker.tsx';
import { ResultsBanner } from './results-banner.tsx';
import { SuggestionList } from './suggestion-list.tsx';
import { TallyAnnouncer } from './tally-announcer.tsx';

export function GroupDay({ group, me, day, today }: { group: GroupDetail; me: User; day: string; today: string }) {
  const list = useQuery(suggestionQueries.list(group.id, day));
  const results = useQuery(suggestionQueries.results(group.id, day));
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
  // "More than 1 day in the past" is closed for suggestions and votes (API.md).
  const closed = day < addDays(today, -1);
  const isAdmin = group.role === 'owner' || group.role === 'admin';
  const sorted = list.data ? sortSuggestions(list.data) : [];
  return (
    <Card
      id="day"
      title={day === today ? 'Tonight’s picks' : formatDay(day)}
      actions={<DayPicker groupId={group.id} day={day} today={today} />}
    >
      <div className="space-y-4">
        {list.isPending ? (
          <Loading label="Loading suggestions…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load the suggestions" />
        ) : (
          <>
            <ResultsBanner suggestions={sorted} voters={results.data?.voters} isToday={day === today} />
            <TallyAnnouncer suggestions={sorted} day={day} />
            {closed ? (
              <p className="rounded-lg bg-slate-100 p-3 text-slate-800 dark:bg-slate-800 dark:text-slate-200">
                Voting for this day is closed. Go back to today to suggest and vote.
              </p>
            ) : (
              <AddSuggestionForm groupId={group.id} day={day} onDuplicate={onDuplicate} />
            )}
            <SuggestionList groupId={group.id} day={day} suggestions={sorted} me={me} isAdmin={isAdmin} closed={closed} />
          </>
        )}
      </div>
    </Card>
  );
}
