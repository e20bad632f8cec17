/** The signed-in person's own data: profile, sessions, password, two-factor, activity, export, deletion. */
import type { ApiBody } from '@queuecrew/shared';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

export const accountQueries = {
  sessions: () => queryOptions({ queryKey: ['me', 'sessions'], queryFn: () => call('GET /api/auth/sessions') }),
  activity: () => queryOptions({ queryKey: ['me', 'activity'], queryFn: () => call('GET /api/users/me/activity') }),
};

export const accountApi = {
  updateProfile: (body: ApiBody<'PATCH /api/users/me'>) => call('PATCH /api/users/me', { body }),
  revokeSession: (id: string) => call('DELETE /api/auth/sessions/{id}', { params: { id } }),
  revokeOtherSessions: () => call('DELETE /api/auth/sessions'),
  changePassword: (body: ApiBody<'POST /api/auth/password'>) => call('POST /api/auth/password', { body }),
  setup2fa: () => call('POST /api/auth/2fa/setup'),
  enable2fa: (code: string) => call('POST /api/auth/2fa/enable', { body: { code } }),
  recoveryCodesLeft: () => call('GET /api/auth/2fa/recovery-codes'),
  regenerateRecoveryCodes: (password: string) => call('POST /api/auth/2fa/recovery-codes', { body: { password } }),
  disable2fa: (body: { code: string } | { password: string }) => call('POST /api/auth/2fa/disable', { body }),
  /** 409 `password_required` when the account has no password to sign in with afterwards. */
  unlinkDiscord: () => call('DELETE /api/users/me/discord'),
  exportData: () => call('GET /api/users/me/export'),
  deleteAccount: (username: string) => call('DELETE /api/users/me', { body: { confirm: username } }),
  /** Creates the calendar feed URL, or rotates it: the URL made before stops working at once. */
  createCalendarFeed: () => call('POST /api/users/me/calendar'),
  revokeCalendarFeed: () => call('DELETE /api/users/me/calendar'),
};

/** The same feed for calendar apps that subscribe through the webcal: scheme (Apple Calendar, Outlook). */
export const webcalUrl = (url: string) => url.replace(/^https?:/, 'webcal:');

/** Human wording for security event types; unknown types are shown tidied up rather than hidden. */
export function describeEvent(type: string): string {
  const known: Record<string, string> = {
    login_succeeded: 'Signed in',
    login_failed: 'Failed sign-in attempt',
    login_locked: 'Sign-in locked after repeated failures',
    logout: 'Signed out',
    register: 'Account created',
    password_changed: 'Password changed',
    totp_enabled: 'Two-factor turned on',
    totp_disabled: 'Two-factor turned off',
    recovery_code_used: 'Recovery code used',
    session_revoked: 'A session was signed out',
    sessions_revoked_all: 'Signed out everywhere else',
    refresh_reuse_detected: 'Reused sign-in token blocked',
    discord_linked: 'Discord linked',
    discord_unlinked: 'Discord unlinked',
    account_exported: 'Data exported',
    calendar_feed_created: 'Calendar link created',
    calendar_feed_rotated: 'Calendar link replaced (the old one stopped working)',
    calendar_feed_revoked: 'Calendar sharing stopped',
  };
  return known[type] ?? type.replace(/[._]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}
