/** What the server may use from Steam linking. */
export { steamRouter } from './router.ts';
