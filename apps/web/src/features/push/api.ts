/** Web Push on this device: the VAPID key, this browser's subscription, and the per-kind preferences. */
import { queryOptions } from '@tanstack/react-query';
import type { NotificationKind } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

export type { NotificationKind, NotificationSettings } from '@queuecrew/shared';

/** NOTIFICATION_KINDS of @queuecrew/shared, written out here so that no zod reaches the bundle (`satisfies` keeps it true). */
export const NOTIFICATION_KINDS = [
  'night_closing_soon',
  'night_closed',
  'nudge',
  'removed_from_group',
  'role_changed',
] as const satisfies readonly NotificationKind[];

export const pushQueries = {
  settings: () =>
    queryOptions({
      queryKey: ['me', 'notification-settings'],
      queryFn: () => call('GET /api/users/me/notification-settings'),
    }),
};

export const pushApi = {
  updateSettings: (push: Partial<Record<NotificationKind, boolean>>) =>
    call('PATCH /api/users/me/notification-settings', { body: { push } }),
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
  const { publicKey } = await call('GET /api/push/vapid-key');
  const reg = await navigator.serviceWorker.ready;
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  const json = sub.toJSON();
  // The keys are missing only from a broken subscription: sent as they are, the server's 400 names them.
  const keys = { p256dh: json.keys?.p256dh as string, auth: json.keys?.auth as string };
  await call('POST /api/push/subscriptions', { body: { endpoint: sub.endpoint, keys } });
  return permission;
}

/** Unregisters the device on the server, then unsubscribes the browser. */
export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await call('DELETE /api/push/subscriptions', { body: { endpoint: sub.endpoint } });
  await sub.unsubscribe();
}
