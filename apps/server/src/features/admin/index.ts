/** What other features and the app may use from admin. */
export { promoteConfiguredAdmins } from './mutations.ts';
