/** The auth contract (docs/api.md, "Auth"). */
import { createRoute, z } from '@hono/zod-openapi';
import {
  loginInput,
  passwordChangeInput,
  passwordResetInput,
  recoveryCodesInput,
  RecoveryCodesLeftSchema,
  RecoveryCodesSchema,
  registerInput,
  SessionSchema,
  twoFactorDisableInput,
  twoFactorEnableInput,
  TwoFactorSetupSchema,
  UserEnvelopeSchema,
} from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse, publicRoute } from '../../lib/openapi.ts';

const tags = ['auth'];

export const register = createRoute({
  method: 'post',
  path: '/register',
  tags,
  ...publicRoute,
  summary: 'Create a local account and sign in',
  request: jsonBody(registerInput),
  responses: { 201: jsonResponse('Signed in: session cookies set', UserEnvelopeSchema), ...commonErrors },
});

export const login = createRoute({
  method: 'post',
  path: '/login',
  tags,
  ...publicRoute,
  summary: 'Sign in with email and password (and a TOTP code when 2FA is on)',
  request: jsonBody(loginInput),
  responses: { 200: jsonResponse('Signed in: session cookies set', UserEnvelopeSchema), ...commonErrors },
});

export const refresh = createRoute({
  method: 'post',
  path: '/refresh',
  tags,
  security: [{ refreshCookie: [] }],
  summary: 'Rotate the refresh token and get a new access token',
  responses: { 200: jsonResponse('New session cookies set', UserEnvelopeSchema), ...commonErrors },
});

export const logout = createRoute({
  method: 'post',
  path: '/logout',
  tags,
  ...publicRoute,
  summary: 'Sign out: revokes this session on the server',
  responses: { 204: { description: 'Signed out; Clear-Site-Data sent' }, ...commonErrors },
});

export const listSessions = createRoute({
  method: 'get',
  path: '/sessions',
  tags,
  summary: 'Active sessions of the caller',
  responses: { 200: jsonResponse('Sessions', z.array(SessionSchema)), ...commonErrors },
});

export const revokeOneSession = createRoute({
  method: 'delete',
  path: '/sessions/{id}',
  tags,
  summary: 'Sign out one session',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'Revoked' }, ...commonErrors },
});

export const revokeOtherSessions = createRoute({
  method: 'delete',
  path: '/sessions',
  tags,
  summary: 'Sign out everywhere else',
  responses: { 204: { description: 'Every other session revoked' }, ...commonErrors },
});

export const changePassword = createRoute({
  method: 'post',
  path: '/password',
  tags,
  summary: 'Change (or set) the password; signs out other sessions',
  request: jsonBody(passwordChangeInput),
  responses: { 204: { description: 'Changed' }, ...commonErrors },
});

export const resetPassword = createRoute({
  method: 'post',
  path: '/password-reset',
  tags,
  summary: 'Set a new password with a one-time reset link from an instance admin; signs the account out everywhere',
  request: jsonBody(passwordResetInput),
  responses: { 204: { description: 'Password set; every session of the account revoked' }, ...commonErrors },
});

export const twoFactorSetup = createRoute({
  method: 'post',
  path: '/2fa/setup',
  tags,
  summary: 'Start two-factor set-up: a new TOTP seed (not active until /2fa/enable confirms a code)',
  responses: {
    200: jsonResponse('Seed for the authenticator app', TwoFactorSetupSchema),
    ...commonErrors,
  },
});

export const twoFactorEnable = createRoute({
  method: 'post',
  path: '/2fa/enable',
  tags,
  summary: 'Turn two-factor on with a code from the app; returns ten single-use recovery codes (shown once)',
  request: jsonBody(twoFactorEnableInput),
  responses: { 200: jsonResponse('Two-factor is on', RecoveryCodesSchema), ...commonErrors },
});

export const recoveryCodesStatus = createRoute({
  method: 'get',
  path: '/2fa/recovery-codes',
  tags,
  summary: 'How many unused recovery codes are left (the codes themselves are stored hashed and never shown again)',
  responses: { 200: jsonResponse('Recovery codes left', RecoveryCodesLeftSchema), ...commonErrors },
});

export const recoveryCodesRegenerate = createRoute({
  method: 'post',
  path: '/2fa/recovery-codes',
  tags,
  summary: 'Replace the recovery codes with ten new ones (needs the password; the old codes stop working)',
  request: jsonBody(recoveryCodesInput),
  responses: { 200: jsonResponse('New recovery codes, shown once', RecoveryCodesSchema), ...commonErrors },
});

export const twoFactorDisable = createRoute({
  method: 'post',
  path: '/2fa/disable',
  tags,
  summary: 'Turn two-factor off with a fresh code, a recovery code or the password',
  request: jsonBody(twoFactorDisableInput),
  responses: { 204: { description: 'Two-factor is off' }, ...commonErrors },
});
