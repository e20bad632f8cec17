/** What other features and the server may use from stats. */
export { statsRouter } from './router.ts';
export { statsFor, type StatsDto } from './data.ts';
