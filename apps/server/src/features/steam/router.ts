import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const steamRouter = createRouter()
  .openapi(routes.startSteam, handlers.startSteam)
  .openapi(routes.steamCallback, handlers.steamCallback)
  .openapi(routes.unlinkSteam, handlers.unlinkSteam)
  .openapi(routes.importSteam, handlers.importSteam);
