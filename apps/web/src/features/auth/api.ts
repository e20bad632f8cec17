/** Who is signed in, what sign-in options the instance offers, and the auth mutations. */
import { queryOptions } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api-client.ts';
import type { AuthConfig, User } from '../../lib/api-types.ts';

export const authQueries = {
  /** The signed-in user, or null when signed out (a 401 here is an answer, not an error). */
  me: () =>
    queryOptions({
      queryKey: ['me'],
      queryFn: async () => {
        try {
          return await api.get<User>('/api/users/me', { allow401: true });
        } catch (e) {
          if (isApiError(e) && e.status === 401) return null;
          throw e;
        }
      },
      staleTime: 60_000,
    }),
  /** Instance sign-in options. An older server without the endpoint means: no Discord, registration open. */
  config: () =>
    queryOptions({
      queryKey: ['auth-config'],
      queryFn: async (): Promise<AuthConfig> => {
        try {
          const c = await api.get<Partial<AuthConfig>>('/api/auth/config', { allow401: true });
          return { discord: c.discord === true, registration: c.registration ?? 'open' };
        } catch (e) {
          if (isApiError(e) && e.status === 404) return { discord: false, registration: 'open' };
          throw e;
        }
      },
      staleTime: 5 * 60_000,
    }),
};

export interface LoginBody {
  email: string;
  password: string;
  totp?: string;
}
export interface RegisterBody {
  email: string;
  username: string;
  password: string;
  inviteCode?: string;
}

export const authApi = {
  login: (body: LoginBody) => api.post<{ user: User }>('/api/auth/login', body),
  register: (body: RegisterBody) => api.post<{ user: User }>('/api/auth/register', body),
  logout: () => api.post<void>('/api/auth/logout', undefined, { allow401: true }),
};

/** Only same-origin paths are followed after sign-in (never `//evil.com` or `/\evil.com`). */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Control characters and backslashes have no business in a path and confuse URL parsers.
  for (const ch of value) if (ch < ' ' || ch === '\\') return undefined;
  return value;
}
