/** The instance-admin contract (docs/security.md "Instance administration"). Non-admins get 404. */
import { createRoute, z } from '@hono/zod-openapi';
import { adminSettingsInput, InstanceSettingsSchema, PasswordResetLinkSchema } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { AdminUserSchema, EventsQuery, page, SecurityEventSchema, UsersQuery } from './data.ts';

const tags = ['admin'];
const UserParams = z.object({ id: z.string().min(1).max(64) });

export const getSettings = createRoute({
  method: 'get',
  path: '/settings',
  tags,
  summary: 'Instance settings (registration policy)',
  responses: { 200: jsonResponse('Current settings', InstanceSettingsSchema), ...commonErrors },
});

export const putSettings = createRoute({
  method: 'put',
  path: '/settings',
  tags,
  summary: 'Change the registration policy: open, invite-only or closed',
  request: jsonBody(adminSettingsInput),
  responses: { 200: jsonResponse('Saved settings', InstanceSettingsSchema), ...commonErrors },
});

export const listUsers = createRoute({
  method: 'get',
  path: '/users',
  tags,
  summary: 'Accounts, newest first, optionally searched by username or email',
  request: { query: UsersQuery },
  responses: { 200: jsonResponse('A page of accounts', page(AdminUserSchema)), ...commonErrors },
});

export const disableUser = createRoute({
  method: 'post',
  path: '/users/{id}/disable',
  tags,
  summary: 'Disable an account: it cannot sign in, and every session it has is revoked at once',
  request: { params: UserParams },
  responses: { 200: jsonResponse('The account', AdminUserSchema), ...commonErrors },
});

export const enableUser = createRoute({
  method: 'post',
  path: '/users/{id}/enable',
  tags,
  summary: 'Enable a disabled account again',
  request: { params: UserParams },
  responses: { 200: jsonResponse('The account', AdminUserSchema), ...commonErrors },
});

export const createPasswordResetLink = createRoute({
  method: 'post',
  path: '/users/{id}/password-reset-link',
  tags,
  summary: 'Create a one-time password reset link for an account (24 hours, single use; replaces an earlier link)',
  request: { params: UserParams },
  responses: { 201: jsonResponse('The link, shown once', PasswordResetLinkSchema), ...commonErrors },
});

export const deleteUser = createRoute({
  method: 'delete',
  path: '/users/{id}',
  tags,
  summary: 'Delete an account (as the account owner would: groups handed on, history pseudonymised)',
  request: { params: UserParams },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

export const listSecurityEvents = createRoute({
  method: 'get',
  path: '/security-events',
  tags,
  summary: 'The audit log, newest first, filtered by type, user and time range',
  request: { query: EventsQuery },
  responses: { 200: jsonResponse('A page of security events', page(SecurityEventSchema)), ...commonErrors },
});
