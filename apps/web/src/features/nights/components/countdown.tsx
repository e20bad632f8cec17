/**
 * Time left until the voting deadline. Only this component re-renders each second. The ticking text is
 * a `timer` (not announced); a separate polite live region speaks only at meaningful moments: 1 hour,
 * 30, 10, 5 and 1 minute left.
 */
import { useEffect, useRef, useState } from 'react';
import { formatRemaining } from '../api.ts';

const MOMENTS = [60, 30, 10, 5, 1];

export function Countdown({ closesAt, closesAtLabel, onElapsed }: { closesAt: string; closesAtLabel: string; onElapsed?: () => void }) {
  const target = new Date(closesAt).getTime();
  const [now, setNow] = useState(() => Date.now());
  const [announcement, setAnnouncement] = useState('');
  const lastMoment = useRef<number | null | undefined>(undefined);
  const elapsedFired = useRef(false);
  const onElapsedRef = useRef(onElapsed);
  onElapsedRef.current = onElapsed;

  useEffect(() => {
    elapsedFired.current = false;
    lastMoment.current = undefined;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [target]);

  const left = target - now;
  useEffect(() => {
    const minutes = Math.ceil(left / 60_000);
    // The smallest moment we are within; announced when it changes while the page is open.
    const within = MOMENTS.filter((m) => minutes <= m);
    const moment = left > 0 && within.length > 0 ? within[within.length - 1]! : null;
    if (moment !== lastMoment.current) {
      if (moment !== null && lastMoment.current !== undefined) {
        setAnnouncement(`${moment === 60 ? '1 hour' : moment === 1 ? '1 minute' : `${moment} minutes`} left to vote.`);
      }
      lastMoment.current = moment;
    }
    if (left <= 0 && !elapsedFired.current) {
      elapsedFired.current = true;
      onElapsedRef.current?.();
    }
  }, [left]);

  return (
    <p className="text-slate-800 dark:text-slate-200" data-testid="countdown">
      {left > 0 ? (
        <>
          Voting closes at {closesAtLabel} ·{' '}
          <span role="timer" aria-live="off" className="font-bold tabular-nums">
            {formatRemaining(left)} left
          </span>
        </>
      ) : (
        <>Voting closed at {closesAtLabel}. Counting…</>
      )}
      <span role="status" aria-live="polite" className="sr-only" data-testid="countdown-announcer">
        {announcement}
      </span>
    </p>
  );
}
