/** Instance administration (only instance admins; everyone else gets 404 from the server). */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { AuthConfig } from '../../lib/api-types.ts';

export interface AdminUser {
  id: string;
  username: string;
  email: string | null;
  isInstanceAdmin: boolean;
  twoFactorEnabled: boolean;
  discordLinked: boolean;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
}

export interface SecurityEvent {
  id: number;
  type: string;
  userId: string | null;
  /** Older servers do not send it. */
  username?: string | null;
  subject: string | null;
  groupId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

type Registration = AuthConfig['registration'];

export const adminQueries = {
  settings: () =>
    queryOptions({ queryKey: ['admin', 'settings'], queryFn: () => api.get<{ registration: Registration }>('/api/admin/settings') }),
  users: (q: string) =>
    queryOptions({
      queryKey: ['admin', 'users', q],
      queryFn: () => api.get<Page<AdminUser>>('/api/admin/users', { query: { q, limit: '50' } }),
    }),
  events: (type: string) =>
    queryOptions({
      queryKey: ['admin', 'events', type],
      queryFn: () => api.get<Page<SecurityEvent>>('/api/admin/security-events', { query: { type, limit: '50' } }),
    }),
};

const u = (id: string) => `/api/admin/users/${encodeURIComponent(id)}`;

export const adminApi = {
  setRegistration: (registration: Registration) => api.put<{ registration: Registration }>('/api/admin/settings', { registration }),
  disable: (id: string) => api.post<AdminUser>(`${u(id)}/disable`),
  enable: (id: string) => api.post<AdminUser>(`${u(id)}/enable`),
  remove: (id: string) => api.delete(u(id)),
  /** A one-time password reset link for the account, shown once (docs/decisions/108). */
  createResetLink: (id: string) => api.post<{ url: string; expiresAt: string }>(`${u(id)}/password-reset-link`),
};
