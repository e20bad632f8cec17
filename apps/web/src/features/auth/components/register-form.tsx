/**
 * Registration. The rules come from @queuecrew/shared (the schemas the server validates with), shown as
 * hints and checked on blur; the server's per-field errors land under the right field. Nothing typed is
 * cleared on an error.
 */
import '../../../lib/zod-setup.ts';
import { registerInput } from '@queuecrew/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { authApi, authQueries, discordStartUrl, inviteCodeFrom, rememberJoinAfterDiscord } from '../api.ts';
import { destinationAfterAuth, setSessionUser } from '../session-cache.ts';

type FieldName = 'email' | 'username' | 'password' | 'inviteCode';

function clientErrors(values: Record<FieldName, string>): Partial<Record<FieldName, string>> {
  const parsed = registerInput.safeParse({ ...values, inviteCode: values.inviteCode || undefined });
  if (parsed.success) return {};
  const out: Partial<Record<FieldName, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as FieldName | undefined;
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}

/** After the error messages render, put the keyboard on the first field that needs fixing. */
function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

export function RegisterForm({ redirect }: { redirect: string | undefined }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const config = useQuery(authQueries.config()).data;
  const inviteFromRedirect = redirect?.match(/^\/invite\/([^/?#]+)/)?.[1];
  const [values, setValues] = useState<Record<FieldName, string>>({
    email: '',
    username: '',
    password: '',
    inviteCode: inviteFromRedirect ? decodeURIComponent(inviteFromRedirect) : '',
  });
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const local = clientErrors(values);
  const errorFor = (f: FieldName) => serverErrors[f] ?? (touched[f] ? local[f] : undefined);

  const set = (f: FieldName) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [f]: e.target.value }));
    setServerErrors((s) => ({ ...s, [f]: undefined }));
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setTouched({ email: true, username: true, password: true, inviteCode: true });
    setFormError(undefined);
    if (Object.keys(local).length > 0) {
      setFormError('Some fields need attention: fix the ones marked below, then try again.');
      focusFirstInvalid(e.currentTarget);
      return;
    }
    setPending(true);
    try {
      const { user } = await authApi.register({
        email: values.email,
        username: values.username,
        password: values.password,
        ...(values.inviteCode ? { inviteCode: values.inviteCode } : {}),
      });
      setSessionUser(qc, user);
      await navigate({ to: await destinationAfterAuth(qc, redirect) });
    } catch (err) {
      if (isApiError(err)) {
        const fields = err.fieldErrors;
        if (err.status === 409 && Object.keys(fields).length === 0) fields.email = err.message;
        setServerErrors(fields);
        focusFirstInvalid(form);
        setFormError(
          Object.keys(fields).length > 0 ? 'Some fields need attention: fix the ones marked below, then try again.' : err.message,
        );
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  if (config?.registration === 'closed') {
    return (
      <p className="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
        This QueueCrew instance is not accepting new accounts right now. Ask the person who runs it, or <Link to="/sign-in">sign in</Link>{' '}
        if you already have an account.
      </p>
    );
  }

  return (
    <div className="space-y-5">
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Create account">
        <FormError message={formError} />
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={values.email}
          onChange={set('email')}
          onBlur={() => setTouched((t) => ({ ...t, email: true }))}
          error={errorFor('email')}
        />
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          required
          hint="2–32 characters: letters, digits, and _ . - only. Your group sees this name."
          value={values.username}
          onChange={set('username')}
          onBlur={() => setTouched((t) => ({ ...t, username: true }))}
          error={errorFor('username')}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters. A few unrelated words make a strong one; common passwords are refused."
          value={values.password}
          onChange={set('password')}
          onBlur={() => setTouched((t) => ({ ...t, password: true }))}
          error={errorFor('password')}
        />
        {inviteFromRedirect ? (
          // From an invite link the code rides along unseen; the person joins its group right after.
          <p className="rounded-lg border border-slate-300 p-3 text-sm dark:border-slate-700">
            You are signing up from an invite link: you will join the group as soon as your account exists.
          </p>
        ) : (
          config?.registration === 'invite-only' && (
            <Field
              label="Invite code"
              name="inviteCode"
              hint="This instance needs an invite to register. Paste the code from your invite link."
              value={values.inviteCode}
              onChange={set('inviteCode')}
              error={errorFor('inviteCode')}
            />
          )
        )}
        <Button type="submit" pending={pending}>
          Create account
        </Button>
      </form>
      {config?.discord && (
        // Reached from an invite link: pass its code, so an invite-only instance admits a new Discord account.
        <a
          href={discordStartUrl({ returnTo: redirect, invite: inviteCodeFrom(redirect) })}
          onClick={() => rememberJoinAfterDiscord(inviteCodeFrom(redirect))}
          className={buttonClass('secondary', 'w-full')}
        >
          Continue with Discord
        </a>
      )}
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Already have an account?{' '}
        <Link to="/sign-in" search={redirect ? { redirect } : {}}>
          Sign in
        </Link>
      </p>
    </div>
  );
}
