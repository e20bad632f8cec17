/** What other features and the app may use from admin. */
export { adminRouter } from './router.ts';
export { promoteConfiguredAdmins } from './mutations.ts';
