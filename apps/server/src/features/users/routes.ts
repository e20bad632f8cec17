import { createRoute } from '@hono/zod-openapi';
import { updateMeInput } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { UserSchema } from './data.ts';

const tags = ['users'];

export const getMe = createRoute({
  method: 'get',
  path: '/me',
  tags,
  summary: 'The signed-in user',
  responses: { 200: jsonResponse('The user', UserSchema), ...commonErrors },
});

export const updateMe = createRoute({
  method: 'patch',
  path: '/me',
  tags,
  summary: 'Change the profile',
  request: jsonBody(updateMeInput),
  responses: { 200: jsonResponse('The updated user', UserSchema), ...commonErrors },
});
