/** The contract of groups and members (docs/api.md "Groups"). */
import { createRoute, z } from '@hono/zod-openapi';
import { createGroupInput, transferInput, updateGroupInput, updateMemberInput } from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { GroupDetailSchema, GroupListItemSchema, GroupParams, GroupSchema, MemberSchema, idParam } from './data.ts';

const tags = ['groups'];
const MemberParams = GroupParams.extend({ userId: idParam('userId') });

export const createGroup = createRoute({
  method: 'post',
  path: '/groups',
  tags,
  summary: 'Create a group (the caller becomes its owner)',
  description: 'The timezone defaults to the `X-Timezone` request header when it is a valid IANA name, else UTC.',
  request: jsonBody(createGroupInput),
  responses: { 201: jsonResponse('The new group', GroupSchema), ...commonErrors },
});

export const listGroups = createRoute({
  method: 'get',
  path: '/groups',
  tags,
  summary: "The caller's groups",
  responses: { 200: jsonResponse('Groups the caller belongs to', z.array(GroupListItemSchema)), ...commonErrors },
});

export const getGroup = createRoute({
  method: 'get',
  path: '/groups/{groupId}',
  tags,
  summary: 'A group with its members (owner, admins, members)',
  request: { params: GroupParams },
  responses: { 200: jsonResponse('The group', GroupDetailSchema), ...commonErrors },
});

export const updateGroup = createRoute({
  method: 'patch',
  path: '/groups/{groupId}',
  tags,
  summary: 'Edit a group (admin)',
  request: { params: GroupParams, ...jsonBody(updateGroupInput) },
  responses: { 200: jsonResponse('The updated group', GroupSchema), ...commonErrors },
});

export const deleteGroup = createRoute({
  method: 'delete',
  path: '/groups/{groupId}',
  tags,
  summary: 'Delete a group with everything in it (owner)',
  request: { params: GroupParams },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

export const updateMember = createRoute({
  method: 'patch',
  path: '/groups/{groupId}/members/{userId}',
  tags,
  summary: "Change a member's role (admin; only the owner touches admins)",
  request: { params: MemberParams, ...jsonBody(updateMemberInput) },
  responses: { 200: jsonResponse('The member', MemberSchema), ...commonErrors },
});

export const removeMember = createRoute({
  method: 'delete',
  path: '/groups/{groupId}/members/{userId}',
  tags,
  summary: 'Remove a member (admin; only the owner removes admins), or leave (your own id)',
  request: { params: MemberParams },
  responses: { 204: { description: 'Removed' }, ...commonErrors },
});

export const transferOwnership = createRoute({
  method: 'post',
  path: '/groups/{groupId}/transfer',
  tags,
  summary: 'Hand the group to another member (owner); the old owner becomes an admin',
  request: { params: GroupParams, ...jsonBody(transferInput) },
  responses: { 200: jsonResponse('The group with its members', GroupDetailSchema), ...commonErrors },
});
