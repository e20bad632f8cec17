/** What other features may use from suggestions. */
export { suggestionsRouter } from './router.ts';
export { resultsFor, historyFor, type ResultsDto, type HistoryDayDto } from './data.ts';
