import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

export const authRouter = createRouter()
  .openapi(routes.register, handlers.register)
  .openapi(routes.login, handlers.login)
  .openapi(routes.refresh, handlers.refresh)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.revokeOneSession, handlers.revokeOneSession)
  .openapi(routes.revokeOtherSessions, handlers.revokeOtherSessions)
  .openapi(routes.changePassword, handlers.changePassword)
  .openapi(routes.resetPassword, handlers.resetPassword)
  .openapi(routes.twoFactorSetup, handlers.twoFactorSetup)
  .openapi(routes.twoFactorEnable, handlers.twoFactorEnable)
  .openapi(routes.twoFactorDisable, handlers.twoFactorDisable)
  .openapi(routes.recoveryCodesStatus, handlers.recoveryCodesStatus)
  .openapi(routes.recoveryCodesRegenerate, handlers.recoveryCodesRegenerate);
