/** The contract of the game library (docs/api.md "Game library"). */
import { createRoute, z } from '@hono/zod-openapi';
import { createGameInput, daySchema, updateGameInput } from '@queuecrew/shared';
import { GroupParams, commonErrors, idParam, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { GameSchema } from './data.ts';

const tags = ['games'];

const GameParams = z.object({ gameId: idParam('gameId') });

export const listGames = createRoute({
  method: 'get',
  path: '/groups/{groupId}/games',
  tags,
  summary: 'The group’s library by name (member)',
  description:
    '`q` matches names and aliases by prefix, ignoring case, spaces and punctuation ("deep rock", "DRG"). ' +
    'With `date`, each game adds `playable` for that night (RSVPs "in" and who owns it).',
  request: {
    params: GroupParams,
    query: z.object({
      q: z.string().max(100, { message: 'Search at most 100 characters.' }).optional(),
      date: daySchema.optional(),
    }),
  },
  responses: { 200: jsonResponse('Games', z.array(GameSchema)), ...commonErrors },
});

export const createGame = createRoute({
  method: 'post',
  path: '/groups/{groupId}/games',
  tags,
  summary: 'Add a game to the library (member)',
  description: '409 `duplicate_game` with `details.gameId` when the name or an alias has the key of an existing name or alias.',
  request: { params: GroupParams, ...jsonBody(createGameInput) },
  responses: { 201: jsonResponse('The game', GameSchema), ...commonErrors },
});

export const updateGame = createRoute({
  method: 'patch',
  path: '/games/{gameId}',
  tags,
  summary: 'Edit a game (the member who added it, or an admin)',
  request: { params: GameParams, ...jsonBody(updateGameInput) },
  responses: { 200: jsonResponse('The game', GameSchema), ...commonErrors },
});

export const deleteGame = createRoute({
  method: 'delete',
  path: '/games/{gameId}',
  tags,
  summary: 'Delete a game (admin); its suggestions keep their names',
  request: { params: GameParams },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

export const ownGame = createRoute({
  method: 'put',
  path: '/games/{gameId}/owners/me',
  tags,
  summary: '"I own it" (member); idempotent',
  request: { params: GameParams },
  responses: { 200: jsonResponse('The game', GameSchema), ...commonErrors },
});

export const disownGame = createRoute({
  method: 'delete',
  path: '/games/{gameId}/owners/me',
  tags,
  summary: '"I don’t own it" (member); idempotent',
  request: { params: GameParams },
  responses: { 200: jsonResponse('The game', GameSchema), ...commonErrors },
});
