/**
 * Two-factor setup: the server makes a secret, we draw its otpauth:// URL as a QR code (a data: image,
 * which the CSP's img-src allows), the person confirms one code, then sees their recovery codes once.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { toDataURL } from 'qrcode';
import { useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { TwoFactorSetup, User } from '@queuecrew/shared';
import { authQueries } from '../../auth/api.ts';
import { accountApi } from '../api.ts';
import { copyText } from '../../../lib/clipboard.ts';

type Step =
  | { kind: 'idle' }
  | { kind: 'scan'; setup: TwoFactorSetup; qr: string }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' }
  | { kind: 'regenerate' };

/** How many unused recovery codes are left (the codes themselves are never shown again). */
function RecoveryCodesLeft() {
  const left = useQuery({ queryKey: ['me', 'recovery-codes'], queryFn: accountApi.recoveryCodesLeft });
  if (!left.data) return null;
  const n = left.data.left;
  return (
    <p data-testid="recovery-codes-left">
      {n === 0 ? 'No recovery codes left: make new ones.' : `${n} unused recovery ${n === 1 ? 'code' : 'codes'} left.`}
    </p>
  );
}

export function TwoFactorSection({ me }: { me: User }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  const wrap = (fn: () => Promise<void>) => async (e?: FormEvent) => {
    e?.preventDefault();
    // The submit button is disabled while pending, which drops focus to <body>: after an error (a wrong
    // code) the keyboard goes back to the first field of the form, ready for the next try.
    const form = e?.currentTarget instanceof HTMLFormElement ? e.currentTarget : undefined;
    setPending(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(isApiError(err) ? (Object.values(err.fieldErrors)[0] ?? err.message) : errorMessage(err));
      if (form) requestAnimationFrame(() => form.querySelector<HTMLInputElement>('input')?.select());
    } finally {
      setPending(false);
    }
  };

  const start = wrap(async () => {
    const setup = await accountApi.setup2fa();
    const qr = await toDataURL(setup.otpauthUrl, { margin: 1, width: 220, errorCorrectionLevel: 'M' });
    setCode('');
    setStep({ kind: 'scan', setup, qr });
  });
  const enable = wrap(async () => {
    const { recoveryCodes } = await accountApi.enable2fa(code.trim());
    setCode('');
    setStep({ kind: 'codes', codes: recoveryCodes });
    await qc.invalidateQueries({ queryKey: authQueries.me().queryKey });
  });
  const regenerate = wrap(async () => {
    const { recoveryCodes } = await accountApi.regenerateRecoveryCodes(password);
    setPassword('');
    setStep({ kind: 'codes', codes: recoveryCodes });
    await qc.invalidateQueries({ queryKey: ['me', 'recovery-codes'] });
  });
  const disable = wrap(async () => {
    await accountApi.disable2fa(code.trim() ? { code: code.trim() } : { password });
    setCode('');
    setPassword('');
    setStep({ kind: 'idle' });
    await qc.invalidateQueries({ queryKey: authQueries.me().queryKey });
    toast('Two-factor authentication is off.');
  });

  return (
    <Card id="two-factor" title="Two-factor authentication">
      <div className="space-y-4">
        <FormError message={error} />
        {step.kind === 'codes' ? (
          <div className="space-y-3">
            <p className="font-semibold">
              Two-factor is on. Save these recovery codes somewhere safe now: each works once if you lose your phone, and you will not see
              them again.
            </p>
            <ul className="grid grid-cols-2 gap-2 font-mono text-sm" aria-label="Recovery codes" data-testid="recovery-codes">
              {step.codes.map((c) => (
                <li key={c} className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-800">
                  {c}
                </li>
              ))}
            </ul>
            <div className="flex flex-wrap gap-2">
              <Button
                variant="secondary"
                onClick={() =>
                  void copyText(step.codes.join('\n')).then((ok) =>
                    ok ? toast('Recovery codes copied.') : toast('Could not copy automatically: select the codes and copy them.', 'error'),
                  )
                }
              >
                Copy codes
              </Button>
              <a
                className={buttonClass('secondary')}
                download="queuecrew-recovery-codes.txt"
                href={`data:text/plain;charset=utf-8,${encodeURIComponent(`QueueCrew recovery codes (each works once)\n\n${step.codes.join('\n')}\n`)}`}
              >
                Download codes
              </a>
              <Button onClick={() => setStep({ kind: 'idle' })}>I saved them</Button>
            </div>
          </div>
        ) : me.twoFactorEnabled ? (
          step.kind === 'regenerate' ? (
            <form onSubmit={(e) => void regenerate(e)} className="space-y-4" aria-label="New recovery codes">
              <p>Ten new codes replace the old ones, which stop working at once.</p>
              <Field
                label="Your password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <div className="flex flex-wrap gap-2">
                <Button type="submit" pending={pending} disabled={!password}>
                  Make new codes
                </Button>
                <Button variant="ghost" onClick={() => setStep({ kind: 'idle' })}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : step.kind === 'disable' ? (
            <form onSubmit={(e) => void disable(e)} className="space-y-4" aria-label="Turn off two-factor">
              <Field
                label="Authentication code or recovery code"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
              {me.hasPassword && (
                <Field
                  label="…or your password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
              <div className="flex flex-wrap gap-2">
                <Button type="submit" variant="danger" pending={pending} disabled={!code.trim() && !password}>
                  Turn off two-factor
                </Button>
                <Button variant="ghost" onClick={() => setStep({ kind: 'idle' })}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : (
            <div className="space-y-3">
              <p>
                <span className="font-semibold">On.</span> Signing in asks for a code from your authenticator app.
              </p>
              <RecoveryCodesLeft />
              <div className="flex flex-wrap gap-2">
                {me.hasPassword && (
                  <Button variant="secondary" onClick={() => setStep({ kind: 'regenerate' })}>
                    New recovery codes…
                  </Button>
                )}
                <Button variant="secondary" onClick={() => setStep({ kind: 'disable' })}>
                  Turn off…
                </Button>
              </div>
            </div>
          )
        ) : step.kind === 'scan' ? (
          <form onSubmit={(e) => void enable(e)} className="space-y-4" aria-label="Turn on two-factor">
            <p>
              Scan this code with an authenticator app (such as Aegis, 1Password or Google Authenticator), then enter the 6-digit code it
              shows.
            </p>
            <img src={step.qr} alt="QR code for your authenticator app" width={220} height={220} className="rounded-lg bg-white p-2" />
            <p className="text-sm">
              Can’t scan? Enter this key by hand:{' '}
              <code className="font-mono break-all" data-testid="totp-secret">
                {step.setup.secret}
              </code>
            </p>
            <Field
              label="6-digit code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" pending={pending}>
                Turn on two-factor
              </Button>
              <Button variant="ghost" onClick={() => setStep({ kind: 'idle' })}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <div className="space-y-3">
            <p>Off. Add a second step to signing in with an authenticator app, so a stolen password is not enough.</p>
            <Button onClick={() => void start()} pending={pending}>
              Set up two-factor
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}
