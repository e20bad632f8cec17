import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const invitesRouter = createRouter()
  .openapi(routes.createInvite, handlers.createInvite)
  .openapi(routes.listInvites, handlers.listInvites)
  .openapi(routes.revokeInvite, handlers.revokeInvite)
  .openapi(routes.previewInvite, handlers.previewInvite)
  .openapi(routes.acceptInvite, handlers.acceptInvite);
