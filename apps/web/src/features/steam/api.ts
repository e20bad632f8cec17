/** Steam linking and import (docs/api.md "Game library", Steam): the start URL, unlink, import, and the refusal messages. */
import { call } from '../../lib/api-client.ts';

/** A full navigation: the server redirects to Steam's OpenID sign-in and back to `returnTo`. */
export const steamStartUrl = (returnTo = '/account') => `/api/auth/steam?${new URLSearchParams({ returnTo }).toString()}`;

export const steamApi = {
  unlink: () => call('DELETE /api/users/me/steam'),
  /** 409 `steam_not_linked` / `steam_profile_private`, 429, 502 `steam_unavailable`, 503 `steam_not_configured`, 504 `steam_timeout`. */
  import: (groupId?: string) => call('POST /api/users/me/steam/import', { body: groupId ? { groupId } : {} }),
};

/** Why linking was refused (`/account?error=steam_<reason>`), said as what to do next. */
const LINK_ERRORS: Record<string, string> = {
  steam_denied: 'Steam sign-in was cancelled, so nothing was linked. Choose Link Steam to try again.',
  steam_invalid: 'Steam’s answer could not be verified, so nothing was linked. Choose Link Steam to try again.',
  steam_expired: 'The Steam sign-in took too long and expired. Choose Link Steam to try again.',
  steam_state: 'That Steam sign-in did not start here (or was already used). Choose Link Steam to start a fresh one.',
  steam_replayed: 'That Steam answer was already used once. Choose Link Steam to start a fresh sign-in.',
  steam_unavailable: 'Steam did not answer, so nothing was linked. Try again in a few minutes.',
  steam_in_use:
    'That Steam account is already linked to another QueueCrew account. Unlink it there first, or sign in to Steam with another account.',
  steam_signed_out: 'Your session ended before Steam answered. Sign in again, then choose Link Steam.',
};

export function steamLinkError(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return LINK_ERRORS[code] ?? 'Steam could not be linked. Choose Link Steam to try again.';
}
