/** Web Push on this device: the VAPID key, this browser's subscription, and the per-kind preferences. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export const NOTIFICATION_KINDS = ['night_closing_soon', 'night_closed', 'nudge', 'removed_from_group', 'role_changed'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export interface NotificationSettings {
  push: Record<NotificationKind, boolean>;
}

export const pushQueries = {
  settings: () =>
    queryOptions({
      queryKey: ['me', 'notification-settings'],
      queryFn: () => api.get<NotificationSettings>('/api/users/me/notification-settings'),
    }),
};

export const pushApi = {
  updateSettings: (push: Partial<Record<NotificationKind, boolean>>) =>
    api.patch<NotificationSettings>('/api/users/me/notification-settings', { push }),
};

/** Push needs a service worker, the Push API and notifications (iOS: only once added to the home screen). */
export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) out[i] = raw.charCodeAt(i);
  return out;
}

/** This browser's current push subscription, if any (undefined when no service worker is registered yet). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ? reg.pushManager.getSubscription() : null;
}

/** Asks for permission, subscribes with our VAPID key and registers the device. Returns the permission. */
export async function enablePush(): Promise<NotificationPermission> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission;
  const { publicKey } = await api.get<{ publicKey: string }>('/api/push/vapid-key');
  const reg = await navigator.serviceWorker.ready;
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  const json = sub.toJSON();
  await api.post('/api/push/subscriptions', { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh, auth: json.keys?.auth } });
  return permission;
}

/** Unregisters the device on the server, then unsubscribes the browser. */
export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api.delete('/api/push/subscriptions', { endpoint: sub.endpoint });
  await sub.unsubscribe();
}
