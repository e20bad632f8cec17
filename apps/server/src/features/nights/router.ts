import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const nightsRouter = createRouter()
  .openapi(routes.listNights, handlers.listNights)
  .openapi(routes.getNight, handlers.getNight)
  .openapi(routes.updateNight, handlers.updateNight)
  .openapi(routes.closeNight, handlers.closeNight)
  .openapi(routes.reopenNight, handlers.reopenNight)
  .openapi(routes.pickNight, handlers.pickNight)
  .openapi(routes.putRsvp, handlers.putRsvp)
  .openapi(routes.nudge, handlers.nudge)
  .openapi(routes.putBallot, handlers.putBallot)
  .openapi(routes.getBallot, handlers.getBallot);
