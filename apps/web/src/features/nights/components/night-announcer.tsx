/**
 * A polite live region for the moments of a night that matter to someone not looking: voting closed and
 * the winner ("Voting closed. Tonight: Deep Rock Galactic"), a pick after a tie, a reopen, a cancel.
 * The first render of a night announces nothing.
 */
import { useEffect, useRef, useState } from 'react';
import type { Night, Suggestion } from '@queuecrew/shared';
import { formatTimeIn } from '../api.ts';

export function NightAnnouncer({
  night,
  suggestions,
  timezone,
}: {
  night: Night | undefined;
  suggestions: Suggestion[];
  timezone: string;
}) {
  const previous = useRef<{ date: string; status: string; winner: string | null } | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!night) return;
    const now = { date: night.date, status: night.status, winner: night.winner?.suggestionId ?? null };
    const before = previous.current;
    previous.current = now;
    if (!before || before.date !== now.date) return;
    if (before.status !== 'closed' && now.status === 'closed') {
      if (night.winner) setMessage(`Voting closed. Tonight: ${night.winner.gameName}.`);
      else if (night.tied.length > 1) {
        const names = night.tied.map((id) => suggestions.find((s) => s.id === id)?.gameName ?? 'a removed game');
        setMessage(`Voting closed with a tie between ${names.join(' and ')}. An admin picks the game.`);
      } else setMessage('Voting closed. Nobody suggested a game.');
    } else if (now.status === 'closed' && night.winner && before.winner !== now.winner) {
      setMessage(`Tonight: ${night.winner.gameName}.`);
    } else if (before.status !== 'open' && now.status === 'open') {
      setMessage(`Voting is open again until ${formatTimeIn(night.closesAt, timezone)}.`);
    } else if (before.status !== 'cancelled' && now.status === 'cancelled') {
      setMessage('This night was cancelled.');
    }
  }, [night, suggestions, timezone]);
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="night-announcer">
      {message}
    </div>
  );
}
