import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const suggestionsRouter = createRouter()
  .openapi(routes.createSuggestion, handlers.createSuggestion)
  .openapi(routes.listSuggestions, handlers.listSuggestions)
  .openapi(routes.deleteSuggestion, handlers.deleteSuggestion)
  .openapi(routes.addVote, handlers.addVote)
  .openapi(routes.removeVote, handlers.removeVote)
  .openapi(routes.getResults, handlers.getResults)
  .openapi(routes.getHistory, handlers.getHistory)
  .openapi(routes.addVeto, handlers.addVeto)
  .openapi(routes.removeVeto, handlers.removeVeto);
