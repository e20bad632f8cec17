/** Who is signed in, what sign-in options the instance offers, and the auth mutations. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiBody, AuthConfig } from '@queuecrew/shared';
import { call, isApiError } from '../../lib/api-client.ts';

export const authQueries = {
  /** The signed-in user, or null when signed out (a 401 here is an answer, not an error). */
  me: () =>
    queryOptions({
      queryKey: ['me'],
      queryFn: async () => {
        try {
          return await call('GET /api/users/me', { allow401: true });
        } catch (e) {
          if (isApiError(e) && e.status === 401) return null;
          throw e;
        }
      },
      staleTime: 60_000,
    }),
  /** Instance sign-in options. An older server without the endpoint means: no Discord, registration open. */
  config: () =>
    queryOptions({
      queryKey: ['auth-config'],
      queryFn: async (): Promise<AuthConfig> => {
        try {
          // An older server may leave fields out.
          const c: Partial<AuthConfig> = await call('GET /api/auth/config', { allow401: true });
          return { discord: c.discord === true, registration: c.registration ?? 'open', discordInstallUrl: c.discordInstallUrl ?? null };
        } catch (e) {
          if (isApiError(e) && e.status === 404) return { discord: false, registration: 'open', discordInstallUrl: null };
          throw e;
        }
      },
      staleTime: 5 * 60_000,
    }),
};

export type LoginBody = ApiBody<'POST /api/auth/login'>;
export type RegisterBody = ApiBody<'POST /api/auth/register'>;

export const authApi = {
  login: (body: LoginBody) => call('POST /api/auth/login', { body }),
  register: (body: RegisterBody) => call('POST /api/auth/register', { body }),
  logout: () => call('POST /api/auth/logout', { allow401: true }),
  /** A one-time reset link from an instance admin (docs/decisions/108); signs the account out everywhere. */
  resetPassword: (token: string, newPassword: string) => call('POST /api/auth/password-reset', { body: { token, newPassword } }),
  /**
   * Finishes a Discord sign-in of an account with two-factor authentication. A 401 here is an answer
   * (wrong code, or the 5-minute pending sign-in expired), not a reason to leave the page.
   */
  discordSecondFactor: (totp: string) => call('POST /api/auth/discord/2fa', { body: { totp }, allow401: true }),
};

/**
 * The address of "Continue with Discord" / "Link Discord". A plain link (full navigation), never fetch:
 * the server answers with a redirect to Discord and sets the flow cookie on the way.
 */
export function discordStartUrl({
  returnTo,
  link,
  invite,
}: {
  returnTo?: string | undefined;
  link?: boolean;
  invite?: string | undefined;
}) {
  const params = new URLSearchParams();
  if (link) params.set('link', '1');
  params.set('returnTo', safeRedirect(returnTo) ?? '/groups');
  if (invite) params.set('invite', invite);
  return `/api/auth/discord?${params.toString()}`;
}

const JOIN_AFTER_DISCORD = 'qc:join-after-discord';

/**
 * Discord sign-in (or sign-up) started from an invite: remember, in this tab only, that the person chose
 * to join, so that the invite page they come back to joins at once instead of asking again. A
 * link from elsewhere to an invite page cannot set it, so nobody is joined to a group by merely opening it.
 */
export function rememberJoinAfterDiscord(code: string | undefined): void {
  try {
    if (code) sessionStorage.setItem(JOIN_AFTER_DISCORD, code);
    else sessionStorage.removeItem(JOIN_AFTER_DISCORD);
  } catch {
    // Storage unavailable: the invite page then asks for the click, as before.
  }
}

/** True once (and forgets it) when the person chose to join `code` before going to Discord. */
export function takeJoinAfterDiscord(code: string): boolean {
  try {
    const wanted = sessionStorage.getItem(JOIN_AFTER_DISCORD);
    if (wanted === null) return false;
    sessionStorage.removeItem(JOIN_AFTER_DISCORD);
    return wanted === code;
  } catch {
    return false;
  }
}

/** The invite code when sign-in was reached from an invite page (`/invite/<code>`), so Discord sign-up is admitted. */
export function inviteCodeFrom(path: string | undefined): string | undefined {
  const m = path ? /^\/invite\/([^/?#]+)$/.exec(path) : null;
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** Only same-origin paths are followed after sign-in (never `//evil.com` or `/\evil.com`). */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Control characters and backslashes have no business in a path and confuse URL parsers.
  for (const ch of value) if (ch < ' ' || ch === '\\') return undefined;
  return value;
}

/** What /sign-in understands in its query: where to go next, and how a Discord round trip ended. */
export interface SignInSearch {
  redirect?: string;
  /** A Discord error code from the callback (see docs/discord.md); unknown codes get a generic message. */
  error?: string;
  /** The failed Discord round trip was linking an account, not signing in. */
  link?: '1';
  step?: 'discord-2fa';
}

/**
 * The server's Discord callback says `returnTo`, the web app's own guards say `redirect`; both mean the
 * same same-origin path, so they become one `redirect` here.
 */
export function parseSignInSearch(search: Record<string, unknown>): SignInSearch {
  const out: SignInSearch = {};
  const redirect = safeRedirect(search.redirect) ?? safeRedirect(search.returnTo);
  if (redirect) out.redirect = redirect;
  if (typeof search.error === 'string' && /^[a-z0-9_]{1,64}$/.test(search.error)) out.error = search.error;
  if (search.link === '1' || search.link === 1) out.link = '1';
  if (search.step === 'discord-2fa') out.step = 'discord-2fa';
  return out;
}
