import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const statsRouter = createRouter().openapi(routes.getStats, handlers.getStats);
