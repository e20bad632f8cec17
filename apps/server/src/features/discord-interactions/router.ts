import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api: POST /api/discord/interactions and the group's link-code / channel routes. */
export const discordInteractionsRouter = createRouter()
  .openapi(routes.interactions, handlers.interactions)
  .openapi(routes.createLinkCode, handlers.createLinkCode)
  .openapi(routes.unlinkChannel, handlers.unlinkChannel);
