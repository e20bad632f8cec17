/**
 * The night's frame on the group page: when it starts, the countdown to the voting deadline (or how it
 * ended), the decision, who's in, and the admin controls.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { GroupDetail, Night, Suggestion, User } from '@queuecrew/shared';
import { suggestionKeys } from '../../suggestions/api.ts';
import { formatTimeIn } from '../api.ts';
import { Countdown } from './countdown.tsx';
import { NightAdmin } from './night-admin.tsx';
import { RsvpPanel } from './rsvp-panel.tsx';
import { WinnerBanner } from './winner-banner.tsx';

export function TonightPanel({
  night,
  group,
  me,
  suggestions,
  isPast,
}: {
  night: Night;
  group: GroupDetail;
  me: User;
  suggestions: Suggestion[];
  isPast: boolean;
}) {
  const qc = useQueryClient();
  const tz = group.timezone;
  const isAdmin = group.role === 'owner' || group.role === 'admin';
  const startsLabel = formatTimeIn(night.startsAt, tz);
  const closesLabel = formatTimeIn(night.closesAt, tz);
  const rsvpReason =
    night.status === 'cancelled' ? 'This night was cancelled, so answers are closed.' : isPast ? 'This night is over.' : undefined;
  return (
    <div className="space-y-4" data-testid="tonight" data-status={night.status}>
      <div className="space-y-1">
        <p className="font-semibold">
          Starts at {startsLabel} <span className="font-normal text-slate-700 dark:text-slate-300">({tz.replaceAll('_', ' ')} time)</span>
        </p>
        {night.status === 'open' ? (
          <Countdown
            closesAt={night.closesAt}
            closesAtLabel={closesLabel}
            // The server closes the night at the deadline and tells every socket; ask again in case this one missed it.
            onElapsed={() => {
              const refetch = () => void qc.invalidateQueries({ queryKey: suggestionKeys.group(night.groupId) });
              refetch();
              window.setTimeout(refetch, 5000);
            }}
          />
        ) : night.status === 'closed' ? (
          <p className="text-slate-800 dark:text-slate-200" data-testid="night-state">
            Voting closed{night.closedAt ? ` at ${formatTimeIn(night.closedAt, tz)}` : ''}.
          </p>
        ) : (
          <p className="text-slate-800 dark:text-slate-200" data-testid="night-state">
            Cancelled.
          </p>
        )}
        {night.resultsVisibility === 'after_close' && night.status === 'open' && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Results are hidden until the deadline, so nobody just follows the crowd.
          </p>
        )}
      </div>
      <WinnerBanner night={night} suggestions={suggestions} isAdmin={isAdmin} />
      <RsvpPanel night={night} me={me} canRsvp={night.status !== 'cancelled' && !isPast} rsvpReason={rsvpReason} />
      {isAdmin && <NightAdmin key={night.date} night={night} timezone={tz} />}
    </div>
  );
}
