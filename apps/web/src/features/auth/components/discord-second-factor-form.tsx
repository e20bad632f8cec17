/**
 * The second step of a Discord sign-in for an account with two-factor authentication
 * (`/sign-in?step=discord-2fa`). Discord has confirmed who the person is; the server keeps the pending
 * sign-in for 5 minutes in an HttpOnly cookie, and this form posts the TOTP or recovery code to finish it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { authApi, authQueries, discordStartUrl, inviteCodeFrom, safeRedirect } from '../api.ts';
import { destinationAfterAuth, setSessionUser } from '../session-cache.ts';

export function DiscordSecondFactorForm({ redirect }: { redirect: string | undefined }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const discordEnabled = useQuery(authQueries.config()).data?.discord ?? true;
  const [totp, setTotp] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [expired, setExpired] = useState(false);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const expiredRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (expired) expiredRef.current?.focus();
  }, [expired]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFieldError(undefined);
    setFormError(undefined);
    const code = totp.trim();
    if (!code) {
      setFieldError('Enter the 6-digit code from your authenticator app, or one of your recovery codes.');
      inputRef.current?.focus();
      return;
    }
    setPending(true);
    try {
      const { user, returnTo } = await authApi.discordSecondFactor(code);
      setSessionUser(qc, user);
      await navigate({ to: await destinationAfterAuth(qc, safeRedirect(returnTo) ?? redirect) });
    } catch (err) {
      if (isApiError(err) && err.code === 'discord_2fa_expired') {
        setExpired(true);
      } else if (isApiError(err) && (err.code === 'totp_required' || err.code === 'invalid_input')) {
        setFieldError('That code did not work. Enter the current 6-digit code from your app, or one of your recovery codes.');
        setTotp('');
        inputRef.current?.focus();
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setPending(false);
    }
  };

  if (expired) {
    return (
      <div
        ref={expiredRef}
        tabIndex={-1}
        role="alert"
        className="space-y-3 rounded-xl border border-amber-700 bg-amber-50 p-4 text-amber-950 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-600 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
      >
        <h2 className="text-base font-bold">This sign-in expired</h2>
        <p>The code has to be entered within 5 minutes of coming back from Discord. Start again with Discord; it only takes a moment.</p>
        <div className="flex flex-wrap gap-3">
          {discordEnabled && (
            <a href={discordStartUrl({ returnTo: redirect, invite: inviteCodeFrom(redirect) })} className={buttonClass('primary')}>
              Continue with Discord again
            </a>
          )}
          <Link to="/sign-in" search={redirect ? { redirect } : {}} className={buttonClass('secondary')}>
            Sign in with email instead
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Finish signing in with Discord">
      <p className="text-slate-700 dark:text-slate-300">
        Discord confirmed who you are. Your account also has two-factor authentication: enter the code from your authenticator app to finish
        signing in.
      </p>
      <FormError message={formError} />
      <Field
        ref={inputRef}
        label="Authentication code"
        name="totp"
        inputMode="text"
        autoComplete="one-time-code"
        autoFocus
        hint="6 digits from your app, or a recovery code."
        required
        maxLength={64}
        value={totp}
        onChange={(e) => setTotp(e.target.value)}
        error={fieldError}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending}>
          Verify and sign in
        </Button>
        <Link to="/sign-in" search={redirect ? { redirect } : {}} className={buttonClass('ghost')}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
