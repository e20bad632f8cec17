/** What other features may use from invites. */
export { invitesRouter } from './router.ts';
