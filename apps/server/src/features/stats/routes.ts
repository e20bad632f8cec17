/** The contract of group statistics (docs/api.md "Fair picks"). */
import { createRoute, z } from '@hono/zod-openapi';
import { daySchema } from '@queuecrew/shared';
import { GroupParams, commonErrors, jsonResponse } from '../../lib/openapi.ts';
import { StatsSchema } from './data.ts';

export const getStats = createRoute({
  method: 'get',
  path: '/groups/{groupId}/stats',
  tags: ['stats'],
  summary: 'Nights held, games by wins, and per member nights in / suggestions / approvals / picks won (member)',
  description:
    'Default range: the 366 days up to today (group time); `from` alone: 366 days from it; `to` alone: the 366 days up to it. ' +
    'At most 366 days per request; 400 `invalid_input` when `from` is after `to` or the range is longer.',
  request: { params: GroupParams, query: z.object({ from: daySchema.optional(), to: daySchema.optional() }) },
  responses: { 200: jsonResponse('Statistics', StatsSchema), ...commonErrors },
});
