import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const notificationsRouter = createRouter()
  .openapi(routes.listNotifications, handlers.listNotifications)
  .openapi(routes.readNotifications, handlers.readNotifications);
