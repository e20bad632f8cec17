/** Account → "Notifications on this device": the browser permission flow, on/off for this device, per-kind toggles. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import {
  currentSubscription,
  disablePush,
  enablePush,
  NOTIFICATION_KINDS,
  pushApi,
  pushQueries,
  pushSupported,
  type NotificationKind,
} from '../api.ts';
import { Toggle } from '../../../components/ui/checkbox.tsx';

const KIND_TEXT: Record<NotificationKind, { label: string; hint: string }> = {
  night_closing_soon: { label: 'Voting is about to close', hint: 'A reminder before a night’s vote closes.' },
  night_closed: { label: 'Tonight’s pick is in', hint: 'When a night closes and the game is decided.' },
  nudge: { label: 'Nudges from friends', hint: 'When someone in your group nudges you to vote.' },
  removed_from_group: { label: 'Removed from a group', hint: 'When an admin removes you from a group.' },
  role_changed: { label: 'Your role changed', hint: 'When you become an admin or a member of a group.' },
};

export function PushSection() {
  const supported = pushSupported();
  const toast = useToast();
  const qc = useQueryClient();
  const settings = useQuery(pushQueries.settings());
  const [permission, setPermission] = useState<NotificationPermission>(supported ? Notification.permission : 'denied');
  const [subscribed, setSubscribed] = useState<boolean>();
  useEffect(() => {
    if (!supported) return;
    currentSubscription().then(
      (s) => setSubscribed(Boolean(s)),
      () => setSubscribed(false),
    );
  }, [supported]);

  const toggleDevice = useMutation({
    mutationFn: async (on: boolean) => {
      if (!on) {
        await disablePush();
        return false;
      }
      const result = await enablePush();
      setPermission(result);
      return result === 'granted';
    },
    onSuccess: (on) => {
      setSubscribed(on);
      toast(on ? 'Notifications are on for this device.' : 'Notifications are off for this device.');
    },
    onError: (e) => toast(errorMessage(e), 'error'),
  });

  const update = useMutation({
    mutationFn: (change: Partial<Record<NotificationKind, boolean>>) => pushApi.updateSettings(change),
    onSuccess: (data) => qc.setQueryData(pushQueries.settings().queryKey, data),
    onError: (e) => toast(errorMessage(e), 'error'),
  });

  return (
    <Card id="notifications" title="Notifications on this device">
      <div className="space-y-4">
        {!supported ? (
          <p>
            This browser cannot show notifications from QueueCrew. On iPhone and iPad, add QueueCrew to your home screen first (Share → Add
            to Home Screen), then open it from there.
          </p>
        ) : permission === 'denied' ? (
          <p role="status">Notifications are blocked for this site. Allow them in your browser’s site settings, then reload.</p>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p role="status" aria-live="polite">
              {subscribed === undefined
                ? 'Checking this device…'
                : subscribed
                  ? 'This device gets notifications.'
                  : 'This device gets no notifications.'}
            </p>
            <Button
              variant={subscribed ? 'secondary' : 'primary'}
              pending={toggleDevice.isPending}
              disabled={subscribed === undefined}
              onClick={() => toggleDevice.mutate(!subscribed)}
            >
              {subscribed ? 'Turn off on this device' : 'Turn on notifications'}
            </Button>
          </div>
        )}
        <fieldset>
          <legend className="font-semibold">What to be notified about</legend>
          <p className="text-sm text-slate-700 dark:text-slate-300">These choices apply to every device you turned notifications on for.</p>
          {settings.isPending ? (
            <Loading label="Loading your notification choices…" />
          ) : settings.isError ? (
            <ErrorState error={settings.error} onRetry={() => void settings.refetch()} title="Could not load your notification choices" />
          ) : (
            <div className="mt-2">
              {NOTIFICATION_KINDS.map((kind) => (
                <Toggle
                  key={kind}
                  label={KIND_TEXT[kind].label}
                  hint={KIND_TEXT[kind].hint}
                  checked={settings.data.push[kind]}
                  disabled={update.isPending}
                  onChange={(v) => update.mutate({ [kind]: v })}
                />
              ))}
            </div>
          )}
        </fieldset>
      </div>
    </Card>
  );
}
