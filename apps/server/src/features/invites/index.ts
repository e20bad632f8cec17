/**
 * What other features may use from invites. The router is mounted by app.ts straight from router.ts:
 * re-exporting it here would make every feature that asks about an invite load the invites routes, and
 * with them groups (an import circle through discord-interactions and discord).
 */
export { inviteCodeIsUsable } from './data.ts';
