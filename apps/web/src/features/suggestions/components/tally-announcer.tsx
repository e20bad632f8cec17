/**
 * A polite live region that tells screen-reader users when a tally changes — their own clicks and
 * other members' votes arriving live alike — and when the lead changes hands.
 */
import { useEffect, useRef, useState } from 'react';
import type { Suggestion } from '@queuecrew/shared';
import { leaders } from '../api.ts';

export function TallyAnnouncer({ suggestions, day }: { suggestions: Suggestion[]; day: string }) {
  const previous = useRef<{ day: string; votes: Map<string, number | null>; leaders: string } | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    const votes = new Map(suggestions.map((s) => [s.id, s.votes]));
    const top = leaders(suggestions);
    const leaderKey = top.map((s) => s.id).join(',');
    const before = previous.current;
    previous.current = { day, votes, leaders: leaderKey };
    // First render of a day: nothing changed yet, nothing to announce.
    if (!before || before.day !== day) return;
    const parts: string[] = [];
    for (const s of suggestions) {
      const was = before.votes.get(s.id);
      if (was === undefined) parts.push(`New suggestion: ${s.gameName}.`);
      else if (was !== s.votes && s.votes !== null)
        parts.push(`${s.gameName} now has ${s.votes} ${s.votes === 1 ? 'approval' : 'approvals'}.`);
    }
    if (leaderKey !== before.leaders && top.length > 0) {
      parts.push(top.length > 1 ? `Tie for first: ${top.map((s) => s.gameName).join(' and ')}.` : `${top[0]!.gameName} is in the lead.`);
    }
    if (parts.length > 0) setMessage(parts.join(' '));
  }, [suggestions, day]);
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="tally-announcer">
      {message}
    </div>
  );
}
