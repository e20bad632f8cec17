/** What other features and middleware may use from auth. */
export { authRouter } from './router.ts';
export { authenticate, readAccessToken, createSession, issueSessionCookies, clearSessionCookies, isSessionLive } from './sessions.ts';
