/** Entry: theme before first paint, one QueryClient, the router, and the global "session is gone" handler. */
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ToastProvider } from './components/ui/toast.tsx';
import { setSessionUser } from './features/auth/session-cache.ts';
import { setUnauthenticatedHandler } from './lib/api-client.ts';
import { createQueryClient } from './lib/query-client.ts';
import { applyTheme, readTheme, watchSystemTheme } from './lib/theme.ts';
import { createAppRouter } from './router.tsx';
import './styles.css';

applyTheme(readTheme());
watchSystemTheme();

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

// The refresh failed too: the session is over. Go to sign-in, and come back here afterwards.
setUnauthenticatedHandler(() => {
  setSessionUser(queryClient, null);
  const here = router.state.location;
  if (here.pathname === '/sign-in' || here.pathname === '/register') return;
  void router.navigate({ to: '/sign-in', search: { redirect: here.href } });
});

// The service worker (public/sw.js): offline page, Web Push notifications. Failure only costs those.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
