import { getRouteApi } from '@tanstack/react-router';
import { SignInForm } from '../features/auth/components/sign-in-form.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  usePageTitle('Sign in');
  const { redirect } = route.useSearch();
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-extrabold">Sign in</h1>
      {redirect?.startsWith('/invite/') && (
        <p className="text-slate-700 dark:text-slate-300">Sign in to accept your invite. You will come straight back to it.</p>
      )}
      <SignInForm redirect={redirect} />
    </div>
  );
}
