/** Username (and the email it is tied to). */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { User } from '@queuecrew/shared';
import { authQueries } from '../../auth/api.ts';
import { accountApi } from '../api.ts';

export function ProfileSection({ me }: { me: User }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [username, setUsername] = useState(me.username);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const user = await accountApi.updateProfile({ username: username.trim() });
      qc.setQueryData(authQueries.me().queryKey, user);
      toast('Username saved.');
    } catch (err) {
      setError(isApiError(err) ? (err.fieldErrors.username ?? err.message) : errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <Card id="profile" title="Profile">
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Profile settings">
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={error}
          hint="2–32 characters: letters, digits, and _ . - only."
        />
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Email: <span className="font-semibold break-all">{me.email ?? 'none (signed up with Discord)'}</span>
          {me.discordLinked && ' · Discord linked'}
        </p>
        <Button type="submit" pending={pending} disabled={username.trim() === me.username}>
          Save username
        </Button>
      </form>
    </Card>
  );
}
