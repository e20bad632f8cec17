/** What other features and middleware may use from auth. */
export { authenticate, readAccessToken, createSession, issueSessionCookies, clearSessionCookies, isSessionLive } from './sessions.ts';
/** The second factor (TOTP or recovery code) for sign-ins that finish elsewhere, e.g. Discord (features/discord-signin). */
export { checkSecondFactor } from './second-factor.ts';
/** One-time password reset links, issued by an instance admin (features/admin). */
export { createResetToken, resetLinkUrl, RESET_LINK_TTL_MS } from './password-reset.ts';
export { decideRegistration } from './policy.ts';
