/** Discord sign-in, linking and the auth configuration the web app needs (docs/api.md, "Auth"). */
import { createRoute, z } from '@hono/zod-openapi';
import { AuthConfigSchema, discordSecondFactorInput, DiscordSignInSchema, UserEnvelopeSchema } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse, publicRoute } from '../../lib/openapi.ts';

const tags = ['auth'];

export const authConfig = createRoute({
  method: 'get',
  path: '/auth/config',
  tags,
  ...publicRoute,
  summary: 'Which sign-in methods this instance offers, and its registration policy',
  responses: {
    200: jsonResponse('Sign-in options', AuthConfigSchema),
  },
});

export const startDiscord = createRoute({
  method: 'get',
  path: '/auth/discord',
  tags,
  ...publicRoute,
  summary: 'Start "Continue with Discord": redirects to Discord with state and a PKCE challenge',
  request: {
    query: z.object({
      returnTo: z
        .string()
        .max(1024)
        .optional()
        .openapi({ description: 'A same-origin path to land on afterwards; anything else becomes /' }),
      link: z.enum(['1', 'true']).optional().openapi({ description: 'Link Discord to the signed-in account instead of signing in' }),
      invite: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'Invite code, so an invite-only instance admits a new Discord account' }),
    }),
  },
  responses: { 302: { description: 'To Discord (a short-lived, encrypted state cookie is set)' }, ...commonErrors },
});

export const discordCallback = createRoute({
  method: 'get',
  path: '/auth/discord/callback',
  tags,
  ...publicRoute,
  summary: 'Where Discord sends the browser back: checks state, exchanges the code, signs in / signs up / links',
  request: {
    query: z.object({
      code: z.string().max(512).optional(),
      state: z.string().max(512).optional(),
      error: z.string().max(128).optional(),
      error_description: z.string().max(1024).optional(),
    }),
  },
  responses: {
    302: {
      description:
        'To returnTo on success; to /sign-in?error=<code> otherwise (discord_denied, discord_state, discord_failed, discord_taken, registration_closed, invite_required, account_disabled, discord_link_signed_out)',
    },
    ...commonErrors,
  },
});

export const discordSecondFactor = createRoute({
  method: 'post',
  path: '/auth/discord/2fa',
  tags,
  ...publicRoute,
  summary: 'Finish a Discord sign-in of an account with two-factor authentication (TOTP or recovery code)',
  description:
    'After the callback redirected to /sign-in?step=discord-2fa, the page posts the code here. The pending sign-in lives 5 minutes in an encrypted cookie.',
  request: jsonBody(discordSecondFactorInput),
  responses: {
    200: jsonResponse('Signed in: session cookies set', DiscordSignInSchema),
    ...commonErrors,
  },
});

export const unlinkDiscord = createRoute({
  method: 'delete',
  path: '/users/me/discord',
  tags: ['users'],
  summary: 'Unlink Discord from the account (only when it has a password to sign in with)',
  responses: { 200: jsonResponse('Unlinked', UserEnvelopeSchema), ...commonErrors },
});
