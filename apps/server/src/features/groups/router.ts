import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api. */
export const groupsRouter = createRouter()
  .openapi(routes.createGroup, handlers.createGroup)
  .openapi(routes.listGroups, handlers.listGroups)
  .openapi(routes.getGroup, handlers.getGroup)
  .openapi(routes.updateGroup, handlers.updateGroup)
  .openapi(routes.deleteGroup, handlers.deleteGroup)
  .openapi(routes.updateMember, handlers.updateMember)
  .openapi(routes.removeMember, handlers.removeMember)
  .openapi(routes.transferOwnership, handlers.transferOwnership);
