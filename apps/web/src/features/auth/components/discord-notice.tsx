/**
 * What the sign-in page says when a Discord round trip comes back with `?error=<code>` (the codes of
 * docs/discord.md): what happened, in plain words, and the next step. The box is announced (role=alert)
 * and takes focus, so a screen reader lands on it rather than on the top of a page that looks normal.
 */
import { Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { buttonClass } from '../../../components/ui/button.tsx';
import { discordStartUrl, inviteCodeFrom, rememberJoinAfterDiscord } from '../api.ts';

interface Explanation {
  title: string;
  body: string;
  /** Offer to start the Discord round trip again (pointless when Discord itself is not the problem). */
  retry: boolean;
}

const SIGN_IN: Record<string, Explanation> = {
  discord_denied: {
    title: 'Discord sign-in was cancelled',
    body: 'You chose Cancel on Discord, so nothing was shared and you are not signed in. To use Discord, try again and choose Authorize, or sign in with your email and password below.',
    retry: true,
  },
  discord_state: {
    title: 'That Discord sign-in expired',
    body: 'It took more than 10 minutes, was finished in another tab or browser, or the link was used twice. Start again from this page.',
    retry: true,
  },
  discord_failed: {
    title: 'We could not finish signing in with Discord',
    body: 'Discord could not be reached or did not accept the sign-in. Wait a moment and try again, or sign in with your email and password below.',
    retry: true,
  },
  discord_taken: {
    title: 'That Discord account belongs to another QueueCrew account',
    body: 'A Discord account can be linked to one QueueCrew account only. Sign in with Discord to use that other account, or unlink Discord there first and then link it here.',
    retry: false,
  },
  discord_link_signed_out: {
    title: 'You were signed out before Discord could be linked',
    body: 'Sign in below, then choose Link Discord on your account page again.',
    retry: false,
  },
  registration_closed: {
    title: 'This instance is not taking new accounts',
    body: 'No QueueCrew account is linked to that Discord account, and new sign-ups are closed. If you already have an account, sign in with your email and password and link Discord from your account page; otherwise ask the administrator for access.',
    retry: false,
  },
  invite_required: {
    title: 'You need an invite to join',
    body: 'New accounts on this instance need an invite. Open the invite link a friend sent you and choose Continue with Discord there. Already have an account? Sign in below.',
    retry: false,
  },
  account_disabled: {
    title: 'This account is disabled',
    body: 'The administrator of this instance disabled the account linked to that Discord account, so it cannot sign in. Contact them if you think this is a mistake.',
    retry: false,
  },
};

const UNKNOWN: Explanation = {
  title: 'Signing in with Discord did not work',
  body: 'Try again, or sign in with your email and password below.',
  retry: true,
};

/** Linking failures that are not about the other account (denied, expired, Discord down) retry as a link. */
const LINK: Partial<Record<string, Explanation>> = {
  discord_denied: {
    title: 'Linking Discord was cancelled',
    body: 'You chose Cancel on Discord, so nothing was linked. Try again and choose Authorize to link it.',
    retry: true,
  },
  discord_state: {
    title: 'That Discord link request expired',
    body: 'It took more than 10 minutes, was finished in another tab or browser, or the link was used twice. Start it again.',
    retry: true,
  },
  discord_failed: {
    title: 'We could not link Discord',
    body: 'Discord could not be reached or did not accept the request. Wait a moment and try again.',
    retry: true,
  },
};

export function DiscordErrorNotice({
  code,
  linking,
  redirect,
  discordEnabled,
}: {
  code: string;
  linking: boolean;
  redirect: string | undefined;
  discordEnabled: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [code]);
  const text = (linking ? LINK[code] : undefined) ?? SIGN_IN[code] ?? UNKNOWN;
  const retryHref = linking
    ? discordStartUrl({ returnTo: redirect ?? '/account', link: true })
    : discordStartUrl({ returnTo: redirect, invite: inviteCodeFrom(redirect) });
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      data-testid="discord-error"
      className="space-y-3 rounded-xl border border-amber-700 bg-amber-50 p-4 text-amber-950 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-600 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
    >
      <h2 className="text-base font-bold">{text.title}</h2>
      <p>{text.body}</p>
      {text.retry && discordEnabled && (
        <a
          href={retryHref}
          onClick={() => {
            if (!linking) rememberJoinAfterDiscord(inviteCodeFrom(redirect));
          }}
          className={buttonClass('primary')}
        >
          {linking ? 'Try linking Discord again' : 'Try again with Discord'}
        </a>
      )}
      {linking && code === 'discord_taken' && (
        <Link to="/account" className={buttonClass('secondary')}>
          Back to your account
        </Link>
      )}
    </div>
  );
}
