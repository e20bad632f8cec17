/** The signed-in user for components below the auth guard, and sign-out. */
import { useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { authApi, authQueries } from './api.ts';
import type { User } from '@queuecrew/shared';
import { setSessionUser } from './session-cache.ts';

export function useMe(): User {
  const { data } = useSuspenseQuery(authQueries.me());
  if (!data) throw new Error('useMe() used outside the signed-in area');
  return data;
}

export function useSignOut() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setSessionUser(qc, null);
      await navigate({ to: '/' });
    }
  }, [qc, navigate]);
}
