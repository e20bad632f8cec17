import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const gamesRouter = createRouter()
  .openapi(routes.listGames, handlers.listGames)
  .openapi(routes.createGame, handlers.createGame)
  .openapi(routes.updateGame, handlers.updateGame)
  .openapi(routes.deleteGame, handlers.deleteGame)
  .openapi(routes.ownGame, handlers.ownGame)
  .openapi(routes.disownGame, handlers.disownGame);
