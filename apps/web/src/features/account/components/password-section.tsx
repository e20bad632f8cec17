/** Change (or, for Discord-only accounts, set) the password. Other sessions are signed out by the server. */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { User } from '@queuecrew/shared';
import { authQueries } from '../../auth/api.ts';
import { accountApi, accountQueries } from '../api.ts';

export function PasswordSection({ me }: { me: User }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [totp, setTotp] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setFormError(undefined);
    if (next.length < 12) {
      setErrors({ newPassword: 'Use at least 12 characters.' });
      return;
    }
    setPending(true);
    try {
      await accountApi.changePassword({
        newPassword: next,
        ...(me.hasPassword ? { currentPassword: current } : {}),
        ...(me.twoFactorEnabled && totp ? { totp: totp.trim() } : {}),
      });
      setCurrent('');
      setNext('');
      setTotp('');
      await qc.invalidateQueries({ queryKey: authQueries.me().queryKey });
      await qc.invalidateQueries({ queryKey: accountQueries.sessions().queryKey });
      toast('Password changed. Your other sessions were signed out.');
    } catch (err) {
      if (isApiError(err)) {
        setErrors(err.fieldErrors);
        setFormError(err.code === 'invalid_credentials' ? 'Your current password is not right. Type it again.' : err.message);
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <Card id="password" title={me.hasPassword ? 'Change password' : 'Add a password'}>
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Password settings">
        <FormError message={formError} />
        {me.hasPassword && (
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={errors.currentPassword}
          />
        )}
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={errors.newPassword}
          hint="At least 12 characters; common passwords are refused."
        />
        {me.twoFactorEnabled && (
          <Field
            label="Authentication code"
            autoComplete="one-time-code"
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
            error={errors.totp}
            hint="Needed when you change the password without the current one."
          />
        )}
        <Button type="submit" pending={pending}>
          {me.hasPassword ? 'Change password' : 'Add password'}
        </Button>
      </form>
    </Card>
  );
}
