/** The contract of Steam linking (docs/api.md "Game library", Steam). */
import { createRoute, z } from '@hono/zod-openapi';
import { steamImportInput, SteamImportResultSchema } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { UserSchema } from '../users/index.ts';

const tags = ['steam'];

export const startSteam = createRoute({
  method: 'get',
  path: '/auth/steam',
  tags,
  summary: 'Link Steam (signed in): redirects to Steam OpenID 2.0 (checkid_setup) with a single-use state',
  request: {
    query: z.object({
      returnTo: z
        .string()
        .max(1024)
        .optional()
        .openapi({ description: 'A same-origin path to land on afterwards; anything else becomes /account' }),
    }),
  },
  responses: { 302: { description: 'To the OpenID endpoint' }, ...commonErrors },
});

export const steamCallback = createRoute({
  method: 'get',
  path: '/auth/steam/callback',
  tags,
  summary: 'Where Steam sends the browser back: verified by check_authentication, then linked',
  description:
    'Refusals redirect to `/account?error=steam_<reason>`: `denied`, `invalid` (signature, endpoint, return_to, claimed_id), ' +
    '`expired` (nonce older than 5 minutes), `state`, `replayed`, `unavailable` (Steam did not answer), `in_use`, `signed_out`.',
  request: {
    query: z.looseObject({ state: z.string().max(128).optional() }),
  },
  responses: { 302: { description: 'To returnTo, or to /account?error=steam_<reason>' }, ...commonErrors },
});

export const unlinkSteam = createRoute({
  method: 'delete',
  path: '/users/me/steam',
  tags,
  summary: 'Unlink Steam: deletes the Steam id and the ownership marks imported from Steam',
  responses: { 200: jsonResponse('The user', UserSchema), ...commonErrors },
});

export const importSteam = createRoute({
  method: 'post',
  path: '/users/me/steam/import',
  tags,
  summary: 'Import owned Steam games: marks ownership of matching library games (by app id, else name key)',
  description:
    'In the given group, or in all of the caller’s groups. Idempotent; rate limited (5 per 15 minutes). 409 `steam_not_linked`, ' +
    '409 `steam_profile_private` (with what to change in Steam), 502 `steam_unavailable` / 504 `steam_timeout` (nothing imported).',
  request: {
    ...jsonBody(steamImportInput),
  },
  responses: { 200: jsonResponse('What was imported', SteamImportResultSchema), ...commonErrors },
});
