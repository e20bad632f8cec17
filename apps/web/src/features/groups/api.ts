/** Groups, members and invites: query-option factories and the mutations behind the manage screens. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiBody, DiscordJoinPolicy, Role } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

export const groupKeys = {
  all: ['groups'] as const,
  detail: (id: string) => ['groups', id] as const,
  invites: (id: string) => ['groups', id, 'invites'] as const,
};

export const groupQueries = {
  list: () => queryOptions({ queryKey: groupKeys.all, queryFn: () => call('GET /api/groups') }),
  detail: (id: string) =>
    queryOptions({ queryKey: groupKeys.detail(id), queryFn: () => call('GET /api/groups/{groupId}', { params: { groupId: id } }) }),
  invites: (id: string) =>
    queryOptions({
      queryKey: groupKeys.invites(id),
      queryFn: () => call('GET /api/groups/{groupId}/invites', { params: { groupId: id } }),
    }),
};

export type CreateGroupBody = ApiBody<'POST /api/groups'>;

/** PATCH body for a group's Discord announcements; `discordWebhookUrl: null` removes the webhook. */
export interface WebhookSettingsBody {
  discordWebhookUrl?: string | null;
  webhookOnSuggestion?: boolean;
  webhookOnWinner?: boolean;
}

export const groupApi = {
  create: (body: CreateGroupBody) => call('POST /api/groups', { body }),
  update: (id: string, body: ApiBody<'PATCH /api/groups/{groupId}'>) =>
    call('PATCH /api/groups/{groupId}', { params: { groupId: id }, body }),
  updateWebhook: (id: string, body: WebhookSettingsBody) => call('PATCH /api/groups/{groupId}', { params: { groupId: id }, body }),
  remove: (id: string) => call('DELETE /api/groups/{groupId}', { params: { groupId: id } }),
  setRole: (id: string, userId: string, role: Exclude<Role, 'owner'>) =>
    call('PATCH /api/groups/{groupId}/members/{userId}', { params: { groupId: id, userId }, body: { role } }),
  removeMember: (id: string, userId: string) => call('DELETE /api/groups/{groupId}/members/{userId}', { params: { groupId: id, userId } }),
  transfer: (id: string, userId: string) => call('POST /api/groups/{groupId}/transfer', { params: { groupId: id }, body: { userId } }),
  createInvite: (id: string, body: ApiBody<'POST /api/groups/{groupId}/invites'>) =>
    call('POST /api/groups/{groupId}/invites', { params: { groupId: id }, body }),
  revokeInvite: (id: string, inviteId: string) =>
    call('DELETE /api/groups/{groupId}/invites/{inviteId}', { params: { groupId: id, inviteId } }),
  createDiscordLinkCode: (id: string) => call('POST /api/groups/{groupId}/discord/link-code', { params: { groupId: id } }),
  unlinkDiscordChannel: (id: string) => call('DELETE /api/groups/{groupId}/discord/channel', { params: { groupId: id } }),
  setDiscordJoinPolicy: (id: string, discordJoinPolicy: DiscordJoinPolicy) =>
    call('PATCH /api/groups/{groupId}', { params: { groupId: id }, body: { discordJoinPolicy } }),
};

export const canManage = (role: Role) => role === 'owner' || role === 'admin';

export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
