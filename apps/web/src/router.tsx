/**
 * The route tree (code-based TanStack Router). Every screen is its own chunk (`lazyRouteComponent`), so
 * the first load carries only the shell. Routes below `authed` need a session; the guard keeps where the
 * person was going in `?redirect=`.
 */
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type ErrorComponentProps,
} from '@tanstack/react-router';
import { Button } from './components/ui/button.tsx';
import { AppShell } from './components/layout/app-shell.tsx';
import { ErrorState } from './components/ui/card.tsx';
import { Loading } from './components/ui/spinner.tsx';
import { authQueries, parseSignInSearch, safeRedirect } from './features/auth/api.ts';
import { isDay } from './lib/dates.ts';

/** A screen failed to render or load. A chunk that no longer exists means a new version was deployed. */
function RouteError({ error, reset }: ErrorComponentProps) {
  const stale =
    error instanceof Error && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message);
  if (stale) {
    return (
      <div role="alert" className="space-y-3 rounded-xl border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
        <p className="font-bold">QueueCrew was updated</p>
        <p>Reload the page to get the new version. Nothing you saved is lost.</p>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </div>
    );
  }
  return <ErrorState error={error} onRetry={reset} />;
}

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppShell,
  notFoundComponent: lazyRouteComponent(() => import('./routes/not-found.tsx'), 'NotFoundPage'),
});

const redirectSearch = (search: Record<string, unknown>): { redirect?: string } => {
  const r = safeRedirect(search.redirect);
  return r ? { redirect: r } : {};
};

const landingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./routes/landing.tsx'), 'LandingPage'),
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: parseSignInSearch,
  component: lazyRouteComponent(() => import('./routes/sign-in.tsx'), 'SignInPage'),
});

const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/register',
  validateSearch: redirectSearch,
  component: lazyRouteComponent(() => import('./routes/register.tsx'), 'RegisterPage'),
});

/** Public: the one-time link an instance admin made carries its token in the fragment (decision 108). */
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  component: lazyRouteComponent(() => import('./routes/reset-password.tsx'), 'ResetPasswordPage'),
});

const privacyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/privacy',
  component: lazyRouteComponent(() => import('./routes/privacy.tsx'), 'PrivacyPage'),
});

const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invite/$code',
  component: lazyRouteComponent(() => import('./routes/invite.tsx'), 'InvitePage'),
});

/** Everything below needs a session; without one, go to sign-in and come back here afterwards. */
const authedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'authed',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(authQueries.me());
    if (!me) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    return { me };
  },
});

const groupsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups',
  component: lazyRouteComponent(() => import('./routes/groups.tsx'), 'GroupsPage'),
});

const newGroupRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/new',
  component: lazyRouteComponent(() => import('./routes/new-group.tsx'), 'NewGroupPage'),
});

/**
 * `?day=` of the group page: a real calendar day, or nothing. An impossible one (`2020-13-45`) is kept
 * aside as `badDay` (bounded, as text) so the page can say it showed today instead. `?date=` means the
 * same: notification and push links (`/groups/<id>?date=<day>`, docs/api.md) use it.
 */
function parseGroupSearch(search: Record<string, unknown>): { day?: string; badDay?: string } {
  const value = search.day ?? search.date;
  if (isDay(value)) return { day: value };
  if (value === undefined || value === null || value === '') return {};
  const raw = typeof value === 'string' || typeof value === 'number' ? String(value) : 'that value';
  // `day: undefined` overrides the raw value, which the router would otherwise keep alongside.
  return { day: undefined, badDay: raw.slice(0, 40) };
}

const groupRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId',
  validateSearch: parseGroupSearch,
  component: lazyRouteComponent(() => import('./routes/group.tsx'), 'GroupPage'),
});

const groupMembersRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId/members',
  component: lazyRouteComponent(() => import('./routes/group-members.tsx'), 'GroupMembersPage'),
});

const groupLibraryRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId/library',
  component: lazyRouteComponent(() => import('./routes/group-library.tsx'), 'GroupLibraryPage'),
});

/** `?error=steam_<reason>` after a refused Steam link (docs/api.md "Steam"); anything else is dropped. */
function parseAccountSearch(search: Record<string, unknown>): { error?: string } {
  const e = search.error;
  return typeof e === 'string' && /^steam_[a-z_]{1,32}$/.test(e) ? { error: e } : {};
}

const groupInvitesRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId/invites',
  component: lazyRouteComponent(() => import('./routes/group-invites.tsx'), 'GroupInvitesPage'),
});

const groupSettingsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId/settings',
  component: lazyRouteComponent(() => import('./routes/group-settings.tsx'), 'GroupSettingsPage'),
});

const groupStatsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/groups/$groupId/stats',
  component: lazyRouteComponent(() => import('./routes/group-stats.tsx'), 'GroupStatsPage'),
});

const accountRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/account',
  validateSearch: parseAccountSearch,
  component: lazyRouteComponent(() => import('./routes/account.tsx'), 'AccountPage'),
});

const adminRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/admin',
  component: lazyRouteComponent(() => import('./routes/admin.tsx'), 'AdminPage'),
});

const routeTree = rootRoute.addChildren([
  landingRoute,
  signInRoute,
  registerRoute,
  privacyRoute,
  resetPasswordRoute,
  inviteRoute,
  authedRoute.addChildren([
    groupsRoute,
    newGroupRoute,
    groupRoute,
    groupMembersRoute,
    groupInvitesRoute,
    groupSettingsRoute,
    groupLibraryRoute,
    groupStatsRoute,
    accountRoute,
    adminRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Loaders only warm the query cache; TanStack Query decides freshness.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: RouteError,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
