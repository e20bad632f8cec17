/** What other features may use from suggestions. */
export { resultsFor, historyFor, type ResultsDto, type HistoryDayDto } from './data.ts';
// For the Discord interactions feature (votes, suggestions and the card from a Discord channel).
export {
  findSuggestion,
  findSuggestionByKey,
  hideList,
  hideTally,
  listSuggestions,
  suggestionDto,
  votersOf,
  type SuggestionDto,
} from './data.ts';
export { deleteVote, insertSuggestion, insertVote, isDuplicate, isMissingParent } from './mutations.ts';
