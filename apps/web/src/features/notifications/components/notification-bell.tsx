/**
 * The bell in the header: a button with the unread count ("Notifications, 3 unread", a visible badge)
 * that opens a non-modal popover (a full-width panel under the header on a phone) with the newest
 * notifications. Escape, a click outside or Tab past its end close it; Escape returns focus to the bell.
 * Opening an item marks it read and follows its link; focus then goes to the page's main landmark.
 * New notifications arrive live (any page, no group needed) and are announced politely.
 * See docs/decisions/103-notification-bell-popover.md.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import { cn } from '../../../components/ui/cn.ts';
import { ErrorState } from '../../../components/ui/card.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { AppNotification } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { LIST_LIMIT, markReadLocally, notificationApi, notificationKeys, notificationQueries, relativeTime, safeAppPath } from '../api.ts';
import { useNotificationsLive } from '../use-notifications-live.ts';

const unreadLabel = (n: number) => (n === 0 ? 'no unread' : n >= LIST_LIMIT ? `${LIST_LIMIT - 1}+ unread` : `${n} unread`);

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function NotificationBell() {
  const qc = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const wrapperRef = useRef<HTMLDivElement>(null);
  const bellRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();
  const unread = useQuery(notificationQueries.unread());
  const list = useQuery({ ...notificationQueries.list(), enabled: open });
  const count = unread.data?.length ?? 0;

  const live = useNotificationsLive((n) => {
    const after = (qc.getQueryData<AppNotification[]>(notificationKeys.unread())?.length ?? 0) || 1;
    setAnnouncement(`New notification: ${n.title}. ${unreadLabel(after)}.`);
  });

  // Opening moves focus into the panel; a press outside closes it (focus goes where the press went).
  useEffect(() => {
    if (!open) return;
    panelRef.current?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (e.target instanceof Node && !wrapperRef.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) bellRef.current?.focus();
  };

  const markAll = async () => {
    if (count === 0) {
      setAnnouncement('There are no unread notifications.');
      return;
    }
    markReadLocally(qc, 'all');
    try {
      await notificationApi.markAllRead();
      setAnnouncement('All notifications marked read.');
    } catch (e) {
      toast(`Could not mark them read: ${errorMessage(e)}`, 'error');
    } finally {
      void qc.invalidateQueries({ queryKey: notificationKeys.all });
    }
  };

  const follow = (e: MouseEvent<HTMLAnchorElement>, n: AppNotification) => {
    if (!n.readAt) {
      markReadLocally(qc, [n.id]);
      notificationApi
        .markRead([n.id])
        .catch(() => undefined)
        .finally(() => void qc.invalidateQueries({ queryKey: notificationKeys.all }));
    }
    // A new tab or window (modifier keys, middle click) is the browser's business.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    setOpen(false);
    void router.navigate({ href: safeAppPath(n.url) }).then(() => {
      // The link is gone with the panel: put focus on the page that opened, never on <body>.
      document.getElementById('main')?.focus();
    });
  };

  const items = list.data ?? [];
  return (
    <div
      ref={wrapperRef}
      className="sm:relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          close(true);
        }
      }}
      onBlur={(e) => {
        // Tab past the end (or Shift+Tab before the bell) leaves the popover: close it.
        const next = e.relatedTarget;
        if (open && next instanceof Node && !wrapperRef.current?.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={bellRef}
        type="button"
        aria-label={`Notifications, ${unreadLabel(count)}`}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-haspopup="dialog"
        data-testid="notification-bell"
        data-unread={count}
        data-live={live}
        onClick={() => (open ? close(false) : setOpen(true))}
        className="relative inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <BellIcon />
        {count > 0 && (
          <span
            aria-hidden="true"
            className="absolute top-0.5 right-0 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 font-bold text-white"
          >
            {count >= LIST_LIMIT ? `${LIST_LIMIT - 1}+` : count}
          </span>
        )}
      </button>
      <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="notification-announcer">
        {announcement}
      </div>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-labelledby={headingId}
          tabIndex={-1}
          data-testid="notification-panel"
          className="absolute inset-x-2 top-full z-40 mt-1 rounded-xl border border-slate-300 bg-white text-slate-900 shadow-xl outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 sm:right-0 sm:left-auto sm:w-96 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:focus-visible:ring-indigo-300"
        >
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-300 p-3 dark:border-slate-700">
            <h2 id={headingId} className="text-base font-bold">
              Notifications
            </h2>
            <button
              type="button"
              onClick={() => void markAll()}
              aria-disabled={count === 0 || undefined}
              className="inline-flex min-h-11 items-center rounded-lg border border-slate-400 px-3 text-sm font-semibold hover:bg-slate-100 aria-disabled:opacity-70 dark:border-slate-500 dark:hover:bg-slate-800"
            >
              Mark all read
            </button>
          </div>
          <div className="max-h-[min(28rem,70dvh)] overflow-y-auto p-2">
            {list.isPending ? (
              <Loading label="Loading notifications…" />
            ) : list.isError ? (
              <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load notifications" />
            ) : items.length === 0 ? (
              <p className="p-3 text-sm text-slate-700 dark:text-slate-300">
                Nothing yet. Nudges, reminders before voting closes and tonight’s winner show up here.
              </p>
            ) : (
              <ul className="space-y-1" aria-labelledby={headingId}>
                {items.map((n) => (
                  <li key={n.id}>
                    <a
                      href={safeAppPath(n.url)}
                      onClick={(e) => follow(e, n)}
                      onAuxClick={(e) => follow(e, n)}
                      data-unread={!n.readAt}
                      className={cn(
                        'block rounded-lg border-l-4 p-3 text-slate-900 no-underline hover:bg-slate-100 hover:no-underline dark:text-slate-100 dark:hover:bg-slate-800',
                        n.readAt ? 'border-transparent' : 'border-indigo-700 bg-indigo-50 dark:border-indigo-300 dark:bg-indigo-950',
                      )}
                    >
                      <span className="flex items-start justify-between gap-2">
                        <span className={cn('break-words', n.readAt ? 'font-semibold' : 'font-extrabold')}>
                          {!n.readAt && <span className="sr-only">Unread: </span>}
                          {n.title}
                        </span>
                        {!n.readAt && (
                          <span aria-hidden="true" className="mt-1.5 size-2.5 shrink-0 rounded-full bg-indigo-700 dark:bg-indigo-300" />
                        )}
                      </span>
                      {n.body && <span className="mt-0.5 block text-sm break-words text-slate-700 dark:text-slate-300">{n.body}</span>}
                      <time
                        dateTime={n.createdAt}
                        title={formatInstant(n.createdAt)}
                        className="mt-1 block text-xs text-slate-700 dark:text-slate-300"
                      >
                        {relativeTime(n.createdAt)}
                      </time>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
