/**
 * Setting a new password with a one-time link an instance admin made (docs/decisions/108). The token
 * arrives in the URL fragment, which no server and no Referer ever sees; it is read once and removed
 * from the address bar at once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { authApi } from '../api.ts';
import { setSessionUser } from '../session-cache.ts';

/** The token of `#token=…`, or undefined. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

export function ResetPasswordForm() {
  const qc = useQueryClient();
  // Read once, before the address bar is cleaned.
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  if (!token) {
    return (
      <div className="space-y-3">
        <p>This page needs the whole reset link you were given (it ends with a long code after “#token=”).</p>
        <p>
          Ask the admin of this QueueCrew for a new link, or <Link to="/sign-in">go back to sign in</Link>.
        </p>
      </div>
    );
  }
  if (done) {
    return (
      <div className="space-y-3">
        <h2 ref={doneRef} tabIndex={-1} className="text-lg font-bold">
          Your new password is set
        </h2>
        <p>Every device that was signed in to your account has been signed out. Sign in with your new password.</p>
        <Link to="/sign-in" className={buttonClass('primary')}>
          Sign in
        </Link>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setFieldError(undefined);
    if (password.length < 12) {
      setFieldError('Use at least 12 characters.');
      return;
    }
    setPending(true);
    try {
      await authApi.resetPassword(token, password);
      // Any session this browser had for the account is gone on the server too.
      setSessionUser(qc, null);
      setDone(true);
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.newPassword) setFieldError(err.fieldErrors.newPassword);
      else setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Set a new password">
      <FormError message={error} />
      <Field
        label="New password"
        type="password"
        name="new-password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError}
        hint="At least 12 characters; common passwords are refused. The link works once, for 24 hours."
      />
      <Button type="submit" pending={pending}>
        Set new password
      </Button>
    </form>
  );
}
