/** What other features and the server may use from discord. */
export { discordRouter } from './router.ts';
