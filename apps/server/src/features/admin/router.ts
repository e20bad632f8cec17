import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

export const adminRouter = createRouter()
  .openapi(routes.getSettings, handlers.getSettings)
  .openapi(routes.putSettings, handlers.putSettings)
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.disableUser, handlers.disableUser)
  .openapi(routes.enableUser, handlers.enableUser)
  .openapi(routes.createPasswordResetLink, handlers.createPasswordResetLink)
  .openapi(routes.deleteUser, handlers.deleteUser)
  .openapi(routes.listSecurityEvents, handlers.listSecurityEvents);
