/** The contract of in-app notifications (docs/api.md "Notifications, push and an installable app"). */
import { createRoute, z } from '@hono/zod-openapi';
import { readNotificationsInput } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { NotificationSchema } from './data.ts';

const tags = ['notifications'];

export const listNotifications = createRoute({
  method: 'get',
  path: '/notifications',
  tags,
  summary: "The caller's notifications, newest first (at most 100)",
  request: {
    query: z.object({
      unread: z.enum(['1', '0', 'true', 'false']).optional().openapi({ description: '`1`: unread ones only' }),
    }),
  },
  responses: { 200: jsonResponse('Notifications', z.array(NotificationSchema)), ...commonErrors },
});

export const readNotifications = createRoute({
  method: 'post',
  path: '/notifications/read',
  tags,
  summary: 'Mark notifications read: the given `ids` (only your own), or `all: true`',
  request: jsonBody(readNotificationsInput),
  responses: { 204: { description: 'Marked read' }, ...commonErrors },
});
