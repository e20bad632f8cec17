/**
 * Link or unlink Discord. Linking is a full navigation through Discord (`/api/auth/discord?link=1`), which
 * comes back here on success or to /sign-in with an explained error. Unlinking needs a password to sign
 * in with afterwards; when the account has none, the server answers 409 `password_required` and this
 * section says so and moves focus to the password form below. An account without an email address
 * (created through Discord) is not offered unlinking at all: password sign-in needs an email.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import type { User } from '@queuecrew/shared';
import { authQueries, discordStartUrl } from '../../auth/api.ts';
import { accountApi, accountQueries } from '../api.ts';

/** The id of the password card (password-section.tsx), where a Discord-only account adds its password. */
const PASSWORD_CARD_ID = 'password';

function focusPasswordForm() {
  const input = document.getElementById(PASSWORD_CARD_ID)?.querySelector<HTMLInputElement>('input');
  input?.focus();
}

export function DiscordSection({ me }: { me: User }) {
  const qc = useQueryClient();
  const toast = useToast();
  const discordEnabled = useQuery(authQueries.config()).data?.discord ?? false;
  const [confirming, setConfirming] = useState(false);
  const [needsPassword, setNeedsPassword] = useState(false);
  // Set inside the confirmation; acted on once the dialog has closed and handed focus back to its opener.
  const passwordRequired = useRef(false);
  const [focusPassword, setFocusPassword] = useState(0);
  // Runs after the commit that closed the dialog: the <dialog> (a child, so its effect runs first) has
  // already returned focus to "Unlink Discord…"; now move it on to the password form.
  useEffect(() => {
    if (focusPassword > 0) focusPasswordForm();
  }, [focusPassword]);

  const unlink = async () => {
    try {
      const { user } = await accountApi.unlinkDiscord();
      qc.setQueryData(authQueries.me().queryKey, user);
      await qc.invalidateQueries({ queryKey: accountQueries.activity().queryKey });
      setNeedsPassword(false);
      toast('Discord is unlinked. Sign in with your email and password from now on.');
    } catch (err) {
      if (isApiError(err) && err.code === 'password_required') {
        passwordRequired.current = true;
        return;
      }
      throw err;
    }
  };

  const closeDialog = () => {
    setConfirming(false);
    if (passwordRequired.current) {
      passwordRequired.current = false;
      setNeedsPassword(true);
      setFocusPassword((n) => n + 1);
    }
  };

  return (
    <Card id="discord" title="Discord">
      <div className="space-y-3">
        {me.discordLinked ? (
          <>
            <p className="text-slate-700 dark:text-slate-300" data-testid="discord-status">
              <span className="font-semibold text-slate-900 dark:text-slate-100">Linked.</span> You can sign in with{' '}
              <span className="font-semibold">Continue with Discord</span>.
            </p>
            {needsPassword && !me.hasPassword && (
              <p
                role="alert"
                className="rounded-lg border border-amber-700 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
              >
                Set a password first. Discord is your only way to sign in, so unlinking it now would lock you out. Add a password in the
                form below, then unlink Discord.
              </p>
            )}
            {me.email === null ? (
              // Sign-in with a password needs an email address, and an account created through Discord has
              // none (nor a way to add one yet): after unlinking, nobody could sign in to it again.
              <p className="text-slate-700 dark:text-slate-300" data-testid="discord-unlink-unavailable">
                Your account was created with Discord and has no email address, so Discord is how you sign in. It cannot be unlinked:
                without it there would be no way back into this account.
              </p>
            ) : (
              <Button variant="secondary" onClick={() => setConfirming(true)}>
                Unlink Discord…
              </Button>
            )}
          </>
        ) : (
          <>
            <p className="text-slate-700 dark:text-slate-300" data-testid="discord-status">
              <span className="font-semibold text-slate-900 dark:text-slate-100">Not linked.</span>{' '}
              {discordEnabled
                ? 'Link Discord to sign in with Continue with Discord. QueueCrew only sees your Discord username and avatar.'
                : 'Discord sign-in is not set up on this instance.'}
            </p>
            {discordEnabled && (
              <a href={discordStartUrl({ returnTo: '/account', link: true })} className={buttonClass('primary')}>
                Link Discord
              </a>
            )}
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={closeDialog}
        title="Unlink Discord?"
        description={
          me.hasPassword
            ? 'You will sign in with your email and password. You can link Discord again at any time.'
            : 'Without Discord you sign in with a password. Your account has none yet, so you will be asked to add one first.'
        }
        confirmLabel="Unlink Discord"
        danger
        onConfirm={unlink}
      />
    </Card>
  );
}
