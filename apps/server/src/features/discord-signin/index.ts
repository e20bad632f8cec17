/** What other features may use from Discord sign-in (app.ts mounts the router from router.ts). */
// For the Discord interactions feature: a Discord identity becomes an account the same way sign-in does it.
export { findUserByDiscordId } from './data.ts';
export { createDiscordUser } from './mutations.ts';
export type { DiscordUser } from './oauth.ts';
// For Steam linking: the same open-redirect-safe returnTo rule.
export { safeReturnTo } from './oauth.ts';
