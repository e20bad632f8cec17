/** What other features and the server may use from stats. */
export { statsFor, type StatsDto } from './data.ts';
