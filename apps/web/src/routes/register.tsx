import { getRouteApi } from '@tanstack/react-router';
import { RegisterForm } from '../features/auth/components/register-form.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/register');

export function RegisterPage() {
  usePageTitle('Create an account');
  const { redirect } = route.useSearch();
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-extrabold">Create your account</h1>
      {redirect?.startsWith('/invite/') && (
        <p className="text-slate-700 dark:text-slate-300">
          Create an account to join the group. You will come straight back to your invite.
        </p>
      )}
      <RegisterForm redirect={redirect} />
    </div>
  );
}
