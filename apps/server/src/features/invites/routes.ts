/** The contract of invites (docs/api.md "Groups": invites rows). */
import { createRoute, z } from '@hono/zod-openapi';
import { createInviteInput } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse, publicRoute } from '../../lib/openapi.ts';
import { GroupParams, idParam } from '../groups/index.ts';
import { InviteAcceptedSchema, InvitePreviewSchema, InviteSchema } from './data.ts';

const tags = ['invites'];
const CodeParams = z.object({
  code: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'code', in: 'path' } }),
});

export const createInvite = createRoute({
  method: 'post',
  path: '/groups/{groupId}/invites',
  tags,
  summary: 'Create an invite link (admin)',
  description: 'Expires after `expiresInHours` (default 168 = 7 days, at most 720); `maxUses` is unlimited when omitted.',
  request: { params: GroupParams, ...jsonBody(createInviteInput) },
  responses: { 201: jsonResponse('The invite, with its code and link', InviteSchema), ...commonErrors },
});

export const listInvites = createRoute({
  method: 'get',
  path: '/groups/{groupId}/invites',
  tags,
  summary: "The group's invites that have not been revoked (admin)",
  request: { params: GroupParams },
  responses: { 200: jsonResponse('Invites, newest first', z.array(InviteSchema)), ...commonErrors },
});

export const revokeInvite = createRoute({
  method: 'delete',
  path: '/groups/{groupId}/invites/{inviteId}',
  tags,
  summary: 'Revoke an invite (admin)',
  request: { params: GroupParams.extend({ inviteId: idParam('inviteId') }) },
  responses: { 204: { description: 'Revoked' }, ...commonErrors },
});

export const previewInvite = createRoute({
  method: 'get',
  path: '/invites/{code}',
  tags,
  ...publicRoute,
  summary: 'What an invite leads to: group name and member count only',
  request: { params: CodeParams },
  responses: { 200: jsonResponse('The preview', InvitePreviewSchema), ...commonErrors },
});

export const acceptInvite = createRoute({
  method: 'post',
  path: '/invites/{code}/accept',
  tags,
  summary: 'Join the group (idempotent for members)',
  request: { params: CodeParams },
  responses: { 200: jsonResponse('The group joined and the caller’s role', InviteAcceptedSchema), ...commonErrors },
});
