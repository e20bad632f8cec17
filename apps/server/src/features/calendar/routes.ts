import { createRoute } from '@hono/zod-openapi';
import { commonErrors, ErrorSchema, jsonResponse, publicRoute } from '../../lib/openapi.ts';
import { CalendarFeedSchema, FeedParams } from './data.ts';

const tags = ['calendar'];

export const createFeed = createRoute({
  method: 'post',
  path: '/users/me/calendar',
  tags,
  summary: 'Create or rotate your private calendar feed URL',
  description:
    'Returns a new secret feed URL; a URL made before stops working at once (404). The URL is the only credential a ' +
    'calendar app sends, so treat it like a password. No body.',
  responses: { 201: jsonResponse('The new feed URL (shown once; only its hash is stored)', CalendarFeedSchema), ...commonErrors },
});

export const revokeFeed = createRoute({
  method: 'delete',
  path: '/users/me/calendar',
  tags,
  summary: 'Stop sharing your calendar feed',
  description: 'The feed URL stops working at once (404). Idempotent.',
  responses: { 204: { description: 'No feed URL works any more' }, ...commonErrors },
});

export const getFeed = createRoute({
  method: 'get',
  path: '/calendar/{token}',
  tags,
  ...publicRoute,
  summary: 'The calendar feed (iCalendar, RFC 5545)',
  description:
    'The path is `/api/calendar/<token>.ics`. No cookie is needed or read: the URL is the secret. One VEVENT per night of ' +
    "the feed owner's groups from 30 days back to 60 days ahead that has a suggestion or the owner's RSVP in/maybe. " +
    'Unknown, rotated and revoked tokens get 404.',
  request: { params: FeedParams },
  responses: {
    200: { description: 'The feed', content: { 'text/calendar': { schema: { type: 'string' } } } },
    404: { description: 'Unknown, rotated or revoked token', content: { 'application/json': { schema: ErrorSchema } } },
    429: commonErrors[429],
    500: commonErrors[500],
  },
});
