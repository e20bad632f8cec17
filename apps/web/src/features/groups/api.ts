/** Groups, members and invites: query-option factories and the mutations behind the manage screens. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { DiscordJoinPolicy, DiscordLinkCode, GroupDetail, GroupSummary, Invite, Member, Role } from '../../lib/api-types.ts';

export const groupKeys = {
  all: ['groups'] as const,
  detail: (id: string) => ['groups', id] as const,
  invites: (id: string) => ['groups', id, 'invites'] as const,
};

export const groupQueries = {
  list: () => queryOptions({ queryKey: groupKeys.all, queryFn: () => api.get<GroupSummary[]>('/api/groups') }),
  detail: (id: string) =>
    queryOptions({ queryKey: groupKeys.detail(id), queryFn: () => api.get<GroupDetail>(`/api/groups/${encodeURIComponent(id)}`) }),
  invites: (id: string) =>
    queryOptions({ queryKey: groupKeys.invites(id), queryFn: () => api.get<Invite[]>(`/api/groups/${encodeURIComponent(id)}/invites`) }),
};

const g = (id: string) => `/api/groups/${encodeURIComponent(id)}`;

export interface CreateGroupBody {
  name: string;
  description?: string;
  timezone?: string;
}

/** PATCH body for a group's Discord announcements; `discordWebhookUrl: null` removes the webhook. */
export interface WebhookSettingsBody {
  discordWebhookUrl?: string | null;
  webhookOnSuggestion?: boolean;
  webhookOnWinner?: boolean;
}

export const groupApi = {
  create: (body: CreateGroupBody) => api.post<GroupDetail>('/api/groups', body),
  update: (id: string, body: Partial<CreateGroupBody>) => api.patch<GroupDetail>(g(id), body),
  updateWebhook: (id: string, body: WebhookSettingsBody) => api.patch<GroupDetail>(g(id), body),
  remove: (id: string) => api.delete(g(id)),
  setRole: (id: string, userId: string, role: Exclude<Role, 'owner'>) =>
    api.patch<Member>(`${g(id)}/members/${encodeURIComponent(userId)}`, { role }),
  removeMember: (id: string, userId: string) => api.delete(`${g(id)}/members/${encodeURIComponent(userId)}`),
  transfer: (id: string, userId: string) => api.post<unknown>(`${g(id)}/transfer`, { userId }),
  createInvite: (id: string, body: { expiresInHours?: number; maxUses?: number }) => api.post<Invite>(`${g(id)}/invites`, body),
  revokeInvite: (id: string, inviteId: string) => api.delete(`${g(id)}/invites/${encodeURIComponent(inviteId)}`),
  createDiscordLinkCode: (id: string) => api.post<DiscordLinkCode>(`${g(id)}/discord/link-code`),
  unlinkDiscordChannel: (id: string) => api.delete(`${g(id)}/discord/channel`),
  setDiscordJoinPolicy: (id: string, discordJoinPolicy: DiscordJoinPolicy) => api.patch<GroupDetail>(g(id), { discordJoinPolicy }),
};

export const canManage = (role: Role) => role === 'owner' || role === 'admin';

export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
