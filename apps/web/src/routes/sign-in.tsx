import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { authQueries } from '../features/auth/api.ts';
import { DiscordErrorNotice } from '../features/auth/components/discord-notice.tsx';
import { DiscordSecondFactorForm } from '../features/auth/components/discord-second-factor-form.tsx';
import { SignInForm } from '../features/auth/components/sign-in-form.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  const { redirect, error, link, step } = route.useSearch();
  usePageTitle(step === 'discord-2fa' ? 'Finish signing in' : 'Sign in');
  const discordEnabled = useQuery(authQueries.config()).data?.discord ?? false;
  if (step === 'discord-2fa') {
    return (
      <div className="mx-auto max-w-md space-y-5">
        <h1 className="text-2xl font-extrabold">Finish signing in</h1>
        <DiscordSecondFactorForm redirect={redirect} />
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-extrabold">Sign in</h1>
      {error && <DiscordErrorNotice code={error} linking={link === '1'} redirect={redirect} discordEnabled={discordEnabled} />}
      {!error && redirect?.startsWith('/invite/') && (
        <p className="text-slate-700 dark:text-slate-300">Sign in to accept your invite. You will come straight back to it.</p>
      )}
      {/* The notice already offers "Try again with Discord"; a second Discord button would only compete with it. */}
      <SignInForm redirect={redirect} discordButton={!error} />
    </div>
  );
}
