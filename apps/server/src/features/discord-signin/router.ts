import { createRouter } from '../../lib/openapi.ts';
import * as handlers from './handlers.ts';
import * as routes from './routes.ts';

/** Mounted at /api: serves /api/auth/config, /api/auth/discord(/callback, /2fa) and /api/users/me/discord. */
export const discordSignInRouter = createRouter()
  .openapi(routes.authConfig, handlers.authConfig)
  .openapi(routes.startDiscord, handlers.startDiscord)
  .openapi(routes.discordCallback, handlers.discordCallback)
  .openapi(routes.discordSecondFactor, handlers.discordSecondFactor)
  .openapi(routes.unlinkDiscord, handlers.unlinkDiscordHandler);
