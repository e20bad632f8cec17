import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api: /api/users/me/calendar (signed in) and /api/calendar/:token.ics (the URL is the secret). */
export const calendarRouter = createRouter()
  .openapi(routes.createFeed, handlers.createFeed)
  .openapi(routes.revokeFeed, handlers.revokeFeed)
  .openapi(routes.getFeed, handlers.getFeed);
