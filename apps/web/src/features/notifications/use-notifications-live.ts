/**
 * Keeps the bell right wherever the person is in the app: the user's `notification` events arrive on
 * the tab's one live connection (no group subscription needed) and go straight into the notification
 * caches; after a reconnection (events may have been missed) both lists are refetched. Returns the
 * connection's status.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { AppNotification } from '@queuecrew/shared';
import { liveClient, liveListeners, liveStatus } from '../../lib/live.ts';
import type { LiveStatus } from '../../lib/ws-client.ts';
import { addNotification, isNotification, notificationKeys } from './api.ts';

export function useNotificationsLive(onNew: (n: AppNotification) => void): LiveStatus {
  const qc = useQueryClient();
  const onNewRef = useRef(onNew);
  onNewRef.current = onNew;
  const [status, setStatus] = useState<LiveStatus>(liveStatus);
  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    liveListeners.status.add(setStatus);
    const stop = liveClient().onUserEvent((event) => {
      if (event.type !== 'notification' || !isNotification(event.data)) return;
      addNotification(qc, event.data);
      onNewRef.current(event.data);
    });
    const onReconnect = () => void qc.invalidateQueries({ queryKey: notificationKeys.all });
    liveListeners.reconnect.add(onReconnect);
    setStatus(liveStatus());
    return () => {
      stop();
      liveListeners.status.delete(setStatus);
      liveListeners.reconnect.delete(onReconnect);
    };
  }, [qc]);
  return status;
}
