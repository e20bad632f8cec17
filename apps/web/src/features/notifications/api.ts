/**
 * In-app notifications (docs/api.md "Notifications, push and an installable app"): the list and the unread
 * ones as query options, marking read, and the cache updates for a `notification` live event.
 */
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { AppNotification } from '@queuecrew/shared';
import { call, isApiError } from '../../lib/api-client.ts';

export const notificationKeys = {
  all: ['me', 'notifications'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
};

/** The server answers at most this many (newest first); a full unread page shows as "99+". */
export const LIST_LIMIT = 100;

/**
 * The bell sits in the header of every signed-in page, so its reads must never be the thing that sends
 * someone to sign-in: when the session has just ended (sign-out, account deletion), a refetch that
 * races the header's unmounting answers 401, which here means "nothing to show" (the page itself
 * decides where to go).
 */
async function fetchNotifications(unreadOnly: boolean): Promise<AppNotification[]> {
  try {
    return await call('GET /api/notifications', { allow401: true, ...(unreadOnly ? { query: { unread: '1' } } : {}) });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return [];
    throw e;
  }
}

export const notificationQueries = {
  /** The newest notifications, read or not: the bell's list. */
  list: () => queryOptions({ queryKey: notificationKeys.list(), queryFn: () => fetchNotifications(false) }),
  /** The unread ones: the bell's count. */
  unread: () => queryOptions({ queryKey: notificationKeys.unread(), queryFn: () => fetchNotifications(true) }),
};

export const notificationApi = {
  markRead: (ids: string[]) => call('POST /api/notifications/read', { body: { ids } }),
  markAllRead: () => call('POST /api/notifications/read', { body: { all: true } }),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isNotification(v: unknown): v is AppNotification {
  return (
    isObject(v) && typeof v.id === 'string' && typeof v.title === 'string' && typeof v.url === 'string' && typeof v.createdAt === 'string'
  );
}

/** A `notification` event: put it on top of both lists at once, then refetch what is on screen. */
export function addNotification(qc: QueryClient, n: AppNotification) {
  const prepend = (list: AppNotification[] | undefined) =>
    list && !list.some((x) => x.id === n.id) ? [n, ...list].slice(0, LIST_LIMIT) : list;
  qc.setQueryData<AppNotification[]>(notificationKeys.list(), prepend);
  if (n.readAt === null) qc.setQueryData<AppNotification[]>(notificationKeys.unread(), prepend);
  void qc.invalidateQueries({ queryKey: notificationKeys.all });
}

/** Marks read in the caches at once (the request follows): `ids`, or every one. */
export function markReadLocally(qc: QueryClient, ids: string[] | 'all', now = new Date().toISOString()) {
  const hit = (n: AppNotification) => ids === 'all' || ids.includes(n.id);
  qc.setQueryData<AppNotification[]>(notificationKeys.list(), (list) =>
    list?.map((n) => (hit(n) && !n.readAt ? { ...n, readAt: now } : n)),
  );
  qc.setQueryData<AppNotification[]>(notificationKeys.unread(), (list) => list?.filter((n) => !hit(n)));
}

/**
 * Where an item leads: a path inside the app only (`/…`, not `//host` or `/\host`, which browsers
 * read as another origin); anything else opens the list's own page, the groups.
 */
export function safeAppPath(url: string): string {
  return /^\/(?![/\\])/.test(url) ? url : '/groups';
}

/** "now", "5 minutes ago", "yesterday", "3 weeks ago" in the browser's language. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  if (abs < 35 * 86400) return rtf.format(Math.round(seconds / (7 * 86400)), 'week');
  return rtf.format(Math.round(seconds / (30 * 86400)), 'month');
}
