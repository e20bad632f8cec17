/** Instance administration (only instance admins; everyone else gets 404 from the server). */
import { queryOptions } from '@tanstack/react-query';
import type { AuthConfig } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

export type { AdminUser, SecurityEvent } from '@queuecrew/shared';

type Registration = AuthConfig['registration'];

export const adminQueries = {
  settings: () => queryOptions({ queryKey: ['admin', 'settings'], queryFn: () => call('GET /api/admin/settings') }),
  users: (q: string) =>
    queryOptions({
      queryKey: ['admin', 'users', q],
      queryFn: () => call('GET /api/admin/users', { query: { q, limit: '50' } }),
    }),
  events: (type: string) =>
    queryOptions({
      queryKey: ['admin', 'events', type],
      queryFn: () => call('GET /api/admin/security-events', { query: { type, limit: '50' } }),
    }),
};

export const adminApi = {
  setRegistration: (registration: Registration) => call('PUT /api/admin/settings', { body: { registration } }),
  disable: (id: string) => call('POST /api/admin/users/{id}/disable', { params: { id } }),
  enable: (id: string) => call('POST /api/admin/users/{id}/enable', { params: { id } }),
  remove: (id: string) => call('DELETE /api/admin/users/{id}', { params: { id } }),
  /** A one-time password reset link for the account, shown once (docs/decisions/108). */
  createResetLink: (id: string) => call('POST /api/admin/users/{id}/password-reset-link', { params: { id } }),
};
