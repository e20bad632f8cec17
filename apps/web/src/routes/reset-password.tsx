import { ResetPasswordForm } from '../features/auth/components/reset-password-form.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

export function ResetPasswordPage() {
  usePageTitle('Set a new password');
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-extrabold">Set a new password</h1>
      <ResetPasswordForm />
    </div>
  );
}
