/**
 * Email + password sign-in, with the second step (TOTP or recovery code) when the server answers
 * `totp_required`. What was typed stays in the form after an error.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { isApiError, errorMessage } from '../../../lib/api-client.ts';
import { authApi, authQueries, discordStartUrl, inviteCodeFrom, rememberJoinAfterDiscord } from '../api.ts';
import { destinationAfterAuth, setSessionUser } from '../session-cache.ts';

export function SignInForm({ redirect, discordButton = true }: { redirect: string | undefined; discordButton?: boolean }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const config = useQuery(authQueries.config()).data;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const { user } = await authApi.login({ email, password, ...(step === 'totp' ? { totp: totp.trim() } : {}) });
      setSessionUser(qc, user);
      await navigate({ to: await destinationAfterAuth(qc, redirect) });
    } catch (err) {
      if (isApiError(err) && err.code === 'totp_required') {
        if (step === 'totp')
          setError('That code did not work. Enter the current 6-digit code from your app, or one of your recovery codes.');
        setStep('totp');
        setTotp('');
        requestAnimationFrame(() => totpRef.current?.focus());
      } else if (isApiError(err) && err.code === 'invalid_credentials') {
        setError('That email and password do not match an account. Check them and try again, or register a new account.');
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="space-y-5">
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Sign in">
        <FormError message={error} />
        {step === 'password' ? (
          <>
            <Field
              label="Email"
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <Field
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : (
          <>
            <p className="text-slate-700 dark:text-slate-300">
              Your account has two-factor authentication. Enter the code from your authenticator app to finish signing in.
            </p>
            <Field
              ref={totpRef}
              label="Authentication code"
              name="totp"
              inputMode="text"
              autoComplete="one-time-code"
              hint="6 digits from your app, or a recovery code."
              required
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          </>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" pending={pending}>
            {step === 'totp' ? 'Verify and sign in' : 'Sign in'}
          </Button>
          {step === 'totp' && (
            <Button variant="ghost" onClick={() => setStep('password')}>
              Back
            </Button>
          )}
        </div>
      </form>
      {config?.discord && discordButton && (
        // Reached from an invite link: pass its code, so an invite-only instance admits a new Discord account.
        <a
          href={discordStartUrl({ returnTo: redirect, invite: inviteCodeFrom(redirect) })}
          onClick={() => rememberJoinAfterDiscord(inviteCodeFrom(redirect))}
          className={buttonClass('secondary', 'w-full')}
        >
          Continue with Discord
        </a>
      )}
      {step === 'password' && (
        <details className="rounded-lg border border-slate-300 p-3 text-sm dark:border-slate-700">
          <summary className="flex min-h-11 cursor-pointer items-center font-semibold">Forgot your password? Ask your admin</summary>
          <p className="mt-2 text-slate-700 dark:text-slate-300">
            QueueCrew sends no emails. Ask the person who runs this QueueCrew to create a password reset link for your account (they find it
            on the admin page under Accounts). Open the link they send you and choose a new password: it works once, for 24 hours, and signs
            you out on every device.
          </p>
        </details>
      )}
      {config?.registration !== 'closed' && (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          New here?{' '}
          <Link to="/register" search={redirect ? { redirect } : {}}>
            Create an account
          </Link>
        </p>
      )}
    </div>
  );
}
