import { createRoute, z } from '@hono/zod-openapi';
import { deleteMeInput, updateMeInput } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { ActivityQuery, ActivitySchema, UserExportSchema, UserSchema } from './data.ts';

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

export const exportMe = createRoute({
  method: 'get',
  path: '/me/export',
  tags,
  summary: 'Download everything stored about you (JSON attachment)',
  responses: { 200: jsonResponse('The export file', UserExportSchema), ...commonErrors },
});

export const deleteMe = createRoute({
  method: 'delete',
  path: '/me',
  tags,
  summary: 'Delete your account',
  description:
    'Revokes every session, removes your votes, keeps your suggestions without your name, hands groups you own to the ' +
    'longest-standing admin (or member), deletes groups with nobody left, and pseudonymises your security events.',
  request: jsonBody(deleteMeInput),
  responses: { 204: { description: 'The account is gone' }, ...commonErrors },
});

export const activity = createRoute({
  method: 'get',
  path: '/me/activity',
  tags,
  summary: 'Your sign-in and security activity, newest first',
  request: { query: ActivityQuery },
  responses: { 200: jsonResponse('Security events of the caller', z.array(ActivitySchema)), ...commonErrors },
});
