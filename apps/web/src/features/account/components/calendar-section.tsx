/**
 * "Add to calendar": a private feed URL of the person's game nights for any calendar app. The server
 * keeps only a hash of the URL's token, so the URL is shown once, right after it is made; making a new
 * one stops the old one at once, and "Stop sharing" stops any. Results of each action are announced in
 * this section's live region, and focus goes to the new link (or stays on the button that was used).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { accountApi, accountQueries, webcalUrl } from '../api.ts';
import { copyText } from '../../../lib/clipboard.ts';

export function CalendarSection() {
  const qc = useQueryClient();
  const [url, setUrl] = useState<string>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const urlInput = useRef<HTMLInputElement>(null);
  // Bumped after a new link is shown: the effect runs once the input exists.
  const [focusLink, setFocusLink] = useState(0);
  useEffect(() => {
    if (focusLink > 0) {
      urlInput.current?.focus();
      urlInput.current?.select();
    }
  }, [focusLink]);

  const activityChanged = () => qc.invalidateQueries({ queryKey: accountQueries.activity().queryKey });

  const create = async () => {
    const replacing = url !== undefined;
    setPending(true);
    setError(undefined);
    setStatus('');
    try {
      const feed = await accountApi.createCalendarFeed();
      setUrl(feed.url);
      setStatus(
        replacing
          ? 'New calendar link made. The old link no longer works: update it in your calendar app.'
          : 'Calendar link made. Copy it into your calendar app.',
      );
      setFocusLink((n) => n + 1);
      await activityChanged();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  const copy = async () => {
    if (!url) return;
    const ok = await copyText(url);
    if (!ok) urlInput.current?.select();
    setStatus(ok ? 'Calendar link copied.' : 'Could not copy automatically: the link is selected, copy it with your keyboard or menu.');
  };

  const revoke = async () => {
    await accountApi.revokeCalendarFeed();
    setUrl(undefined);
    setStatus('Calendar sharing stopped. The link no longer works.');
    await activityChanged();
  };

  return (
    <Card id="calendar" title="Add to calendar">
      <div className="space-y-3">
        <p className="text-slate-700 dark:text-slate-300">
          Get a private link to your groups’ game nights (30 days back, 60 days ahead) and subscribe to it in Google Calendar, Apple
          Calendar or Outlook. Nights show the winning game once voting has closed.
        </p>
        <p className="text-slate-700 dark:text-slate-300">
          <span className="font-semibold text-slate-900 dark:text-slate-100">Keep the link private.</span> Anyone who has it can see your
          game nights, without signing in. Making a new link, or stopping sharing, turns the old one off at once.
        </p>
        <FormError message={error} />
        {url && (
          <div className="space-y-3" data-testid="calendar-link">
            <Field
              ref={urlInput}
              label="Your private calendar link"
              hint="Paste it where your calendar app asks for a calendar from a URL (subscribe)."
              value={url}
              readOnly
              spellCheck={false}
              onFocus={(e) => e.currentTarget.select()}
            />
            <div className="flex flex-wrap gap-2">
              <Button variant="secondary" onClick={() => void copy()}>
                Copy link
              </Button>
              <a href={webcalUrl(url)} className={buttonClass('secondary')}>
                Open in calendar app
              </a>
            </div>
          </div>
        )}
        <div className="flex flex-wrap gap-2">
          <Button variant={url ? 'secondary' : 'primary'} pending={pending} onClick={() => void create()}>
            {url ? 'Make a new link' : 'Get calendar link'}
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(true)}>
            Stop sharing…
          </Button>
        </div>
        <p role="status" aria-live="polite" className="text-sm font-medium text-slate-900 dark:text-slate-100">
          {status}
        </p>
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Stop sharing your calendar?"
        description="Your calendar link stops working at once, and calendar apps subscribed to it stop showing your game nights. You can make a new link at any time."
        confirmLabel="Stop sharing"
        danger
        onConfirm={revoke}
      />
    </Card>
  );
}
