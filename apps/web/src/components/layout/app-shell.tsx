/** Header (brand, navigation, notifications, theme, sign out), skip link, main landmark and footer around every screen. */
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { authQueries } from '../../features/auth/api.ts';
import { useSignOut } from '../../features/auth/use-session.ts';
import { NotificationBell } from '../../features/notifications/components/notification-bell.tsx';
import { ThemeToggle } from './theme-toggle.tsx';

const navLink =
  'inline-flex min-h-11 items-center rounded-lg px-2 text-sm sm:px-3 font-semibold text-slate-800 no-underline hover:bg-slate-200 hover:no-underline dark:text-slate-200 dark:hover:bg-slate-800';
const activeNav = { className: 'bg-slate-200 dark:bg-slate-800', 'aria-current': 'page' as const };

export function AppShell() {
  const me = useQuery(authQueries.me()).data;
  const signOut = useSignOut();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-indigo-700 px-4 py-3 font-semibold text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to main content
      </a>
      <header className="border-b border-slate-300 bg-white dark:border-slate-800 dark:bg-slate-900">
        {/* relative: on a phone the notification panel spans the header's width, just below it. */}
        <div className="relative mx-auto flex max-w-5xl flex-wrap items-center gap-1 px-3 py-2 sm:px-4">
          <Link
            to={me ? '/groups' : '/'}
            className="mr-auto flex min-h-11 items-center gap-2 text-lg font-extrabold text-slate-900 no-underline hover:no-underline dark:text-white"
          >
            <span
              aria-hidden="true"
              className="rounded-md bg-indigo-700 px-1.5 py-0.5 text-sm text-white dark:bg-indigo-400 dark:text-slate-950"
            >
              QC
            </span>
            {/* Below 640 px only the badge shows, so the header keeps to two rows at 320 px. */}
            <span className="sr-only sm:not-sr-only">QueueCrew</span>
          </Link>
          {/* At 320 px: brand, bell, theme and sign-out on the first row, the navigation on the second. */}
          <div className="flex items-center gap-1 sm:order-last">
            {me && <NotificationBell key={me.id} />}
            <ThemeToggle />
            {me && (
              <button type="button" className={navLink} onClick={() => void signOut()}>
                Sign out
              </button>
            )}
          </div>
          <nav aria-label="Main" className="flex w-full flex-wrap items-center gap-1 sm:w-auto">
            {me ? (
              <>
                <Link to="/groups" className={navLink} activeProps={activeNav} activeOptions={{ exact: false }}>
                  My groups
                </Link>
                <Link to="/account" className={navLink} activeProps={activeNav}>
                  Account
                </Link>
                {me.isInstanceAdmin && (
                  <Link to="/admin" className={navLink} activeProps={activeNav}>
                    Admin
                  </Link>
                )}
              </>
            ) : (
              <>
                <Link to="/sign-in" className={navLink} activeProps={activeNav}>
                  Sign in
                </Link>
                <Link to="/register" className={navLink} activeProps={activeNav}>
                  Register
                </Link>
              </>
            )}
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-3 py-6 outline-none sm:px-4">
        <Outlet />
      </main>
      <footer className="border-t border-slate-300 py-4 text-center text-sm text-slate-700 dark:border-slate-800 dark:text-slate-300">
        <Link to="/privacy" className="inline-flex min-h-11 items-center px-2">
          Privacy
        </Link>
        <span aria-hidden="true"> · </span>
        <a href="/api/docs" className="inline-flex min-h-11 items-center px-2">
          API
        </a>
      </footer>
    </div>
  );
}
