/** The contract of game nights (docs/api.md "Game nights"). */
import { createRoute, z } from '@hono/zod-openapi';
import {
  ballotInput,
  BallotSchema,
  daySchema,
  NudgeResultSchema,
  pickNightInput,
  reopenNightInput,
  rsvpInput,
  updateNightInput,
} from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { NightSchema } from './data.ts';

export { NudgeResultSchema, BallotSchema };

const tags = ['nights'];

// Defined here rather than borrowed from groups: these run when the module loads.
const groupIdParam = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'groupId', in: 'path' }, example: 'vQw3l2nq7cGm2eB3L1zXyA' });
const GroupOnlyParams = z.object({ groupId: groupIdParam });
const NightParams = z.object({
  groupId: groupIdParam,
  // Built on this module's `z` (extended with .openapi) and checked by the shared daySchema: calling
  // .openapi() on the shared instance fails when @queuecrew/shared is evaluated before @hono/zod-openapi.
  date: z
    .string()
    .max(10, { message: 'Use a date like 2026-11-26.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date like 2026-11-26.' })
    .refine((d) => daySchema.safeParse(d).success, { message: 'That date does not exist.' })
    .openapi({ param: { name: 'date', in: 'path' }, example: '2026-11-26' }),
});

const dateRule = 'Dates more than 60 days ahead (group time) answer 400 on `date`.';

export const getNight = createRoute({
  method: 'get',
  path: '/groups/{groupId}/nights/{date}',
  tags,
  summary: 'A game night (member); from the group’s defaults until something changes it',
  description: dateRule,
  request: { params: NightParams },
  responses: { 200: jsonResponse('The night', NightSchema), ...commonErrors },
});

export const listNights = createRoute({
  method: 'get',
  path: '/groups/{groupId}/nights',
  tags,
  summary: 'Nights with a suggestion, an RSVP or a change, by date (member)',
  description: 'Default range: today (group time) and the 60 days after it. At most 366 days per request.',
  request: { params: GroupOnlyParams, query: z.object({ from: daySchema.optional(), to: daySchema.optional() }) },
  responses: { 200: jsonResponse('Nights', z.array(NightSchema)), ...commonErrors },
});

export const updateNight = createRoute({
  method: 'patch',
  path: '/groups/{groupId}/nights/{date}',
  tags,
  summary: 'Move, cancel or un-cancel a night (admin)',
  description:
    'Moving a time marks the night as edited by hand: later changes of the group’s timezone or defaults leave it alone. ' +
    '`method` / `vetoes` set this night’s rules (it then no longer follows the group’s defaults): 409 `method_locked` once anyone ' +
    'has approved, ranked or vetoed on it. ' +
    '400 when `closesAt` is after `startsAt`, or when an open night’s `closesAt` is past; 409 `night_closed` for a new deadline ' +
    'or `status: "open"` on a closed night (reopen it instead). ' +
    dateRule,
  request: { params: NightParams, ...jsonBody(updateNightInput) },
  responses: { 200: jsonResponse('The night', NightSchema), ...commonErrors },
});

export const closeNight = createRoute({
  method: 'post',
  path: '/groups/{groupId}/nights/{date}/close',
  tags,
  summary: 'Close a night now and decide it (admin)',
  description: '409 `night_closed` when it is closed already, `night_cancelled` when cancelled.',
  request: { params: NightParams },
  responses: { 200: jsonResponse('The closed night', NightSchema), ...commonErrors },
});

export const reopenNight = createRoute({
  method: 'post',
  path: '/groups/{groupId}/nights/{date}/reopen',
  tags,
  summary: 'Open a closed night again with a new deadline; the decision is cleared (admin)',
  description: 'Only before the night’s start: 409 `night_started` after it. A later close is announced again, once.',
  request: { params: NightParams, ...jsonBody(reopenNightInput) },
  responses: { 200: jsonResponse('The open night', NightSchema), ...commonErrors },
});

export const pickNight = createRoute({
  method: 'post',
  path: '/groups/{groupId}/nights/{date}/pick',
  tags,
  summary: 'Break a pending tie by picking one of `tied` (admin; tie-break `admin`)',
  description: '409 `no_pending_tie` unless the night is closed with tie-break `admin` and no winner yet.',
  request: { params: NightParams, ...jsonBody(pickNightInput) },
  responses: { 200: jsonResponse('The decided night', NightSchema), ...commonErrors },
});

export const putRsvp = createRoute({
  method: 'put',
  path: '/groups/{groupId}/nights/{date}/rsvp',
  tags,
  summary: 'Say whether you are in, maybe or out (member)',
  description: '409 `night_past` for a night before today (group time), `night_cancelled` for a cancelled one.',
  request: { params: NightParams, ...jsonBody(rsvpInput) },
  responses: { 200: jsonResponse('The night', NightSchema), ...commonErrors },
});

export const nudge = createRoute({
  method: 'post',
  path: '/groups/{groupId}/nights/{date}/nudge',
  tags,
  summary: 'Remind the members who have not voted yet (member)',
  description:
    'Each gets a notification, and the group’s Discord webhook one message mentioning the linked ones. Once per 30 minutes per night: ' +
    '429 `nudge_too_soon` with `Retry-After`; 409 once the night is closed or cancelled.',
  request: { params: NightParams },
  responses: { 202: jsonResponse('Who was nudged', NudgeResultSchema), ...commonErrors },
});

export const putBallot = createRoute({
  method: 'put',
  path: '/groups/{groupId}/nights/{date}/ballot',
  tags,
  summary: 'Rank the night’s suggestions, best first (member; ranked nights)',
  description:
    'Any subset, no repeats (400); replaces the caller’s ballot; an empty ranking withdraws it. Only suggestions of this night: ' +
    '400 `invalid_input` with `details.suggestionId` naming the first that is not. 409 `wrong_method` on approval nights, ' +
    '`voting_closed` after the deadline, `night_cancelled` for a cancelled night.',
  request: { params: NightParams, ...jsonBody(ballotInput) },
  responses: { 200: jsonResponse('Your ballot', BallotSchema), ...commonErrors },
});

export const getBallot = createRoute({
  method: 'get',
  path: '/groups/{groupId}/nights/{date}/ballot',
  tags,
  summary: 'Your own ranked ballot for the night (member); `ranking: []` without one',
  request: { params: NightParams },
  responses: { 200: jsonResponse('Your ballot', BallotSchema), ...commonErrors },
});
