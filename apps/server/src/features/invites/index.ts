/** What other features may use from invites (app.ts mounts the router from router.ts). */
export { inviteCodeIsUsable } from './data.ts';
