import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

export const usersRouter = createRouter()
  .openapi(routes.getMe, handlers.getMe)
  .openapi(routes.updateMe, handlers.updateMe)
  .openapi(routes.exportMe, handlers.exportMe)
  .openapi(routes.deleteMe, handlers.deleteMe)
  .openapi(routes.activity, handlers.activity);
