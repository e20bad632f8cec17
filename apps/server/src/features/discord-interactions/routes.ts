/** The contract of two-way Discord (docs/api.md "Discord, two-way"). */
import { createRoute, z } from '@hono/zod-openapi';
import { commonErrors, jsonResponse, publicRoute } from '../../lib/openapi.ts';
import { DiscordLinkCodeSchema } from './data.ts';

const tags = ['discord'];
// Declared here (not imported from groups) so this module has no load-time dependency on the groups feature.
const GroupParams = z.object({
  groupId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'groupId', in: 'path' } }),
});

export const createLinkCode = createRoute({
  method: 'post',
  path: '/groups/{groupId}/discord/link-code',
  tags,
  summary: 'A single-use code (10 minutes) to link a Discord channel with /queuecrew link (admin)',
  request: { params: GroupParams },
  responses: { 201: jsonResponse('The code and when it expires', DiscordLinkCodeSchema), ...commonErrors },
});

export const unlinkChannel = createRoute({
  method: 'delete',
  path: '/groups/{groupId}/discord/channel',
  tags,
  summary: 'Unlink the Discord channel of the group (admin)',
  request: { params: GroupParams },
  responses: { 204: { description: 'Unlinked (or nothing was linked)' }, ...commonErrors },
});

export const interactions = createRoute({
  method: 'post',
  path: '/discord/interactions',
  tags,
  ...publicRoute,
  summary: 'Discord HTTP interactions (signed by Discord with Ed25519; no cookie, no Origin)',
  description:
    '401 unless `X-Signature-Ed25519` verifies over `X-Signature-Timestamp` + the raw body and the timestamp is within 5 minutes. PING → `{type: 1}`.',
  responses: { 200: { description: 'An interaction response (Discord’s format)' }, ...commonErrors },
});
