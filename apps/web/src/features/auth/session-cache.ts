/**
 * The one place an auth transition (sign-up, sign-in, second factor, sign-out, account deletion, a
 * session that ended) updates the query cache.
 *
 * Never `queryClient.clear()` here: it drops the Query objects that mounted observers (the header's
 * `useQuery(authQueries.me())`) are attached to, and a later `setQueryData` creates a new Query that
 * nobody watches, so the header kept showing the previous state until a reload. Instead the `['me']`
 * query itself is updated in place, and every other cached answer (it belonged to the previous person)
 * is removed.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { User } from '../../lib/api-types.ts';
import { authQueries } from './api.ts';

const KEEP = new Set(['auth-config']);

export function setSessionUser(qc: QueryClient, user: User | null): void {
  const meKey = authQueries.me().queryKey;
  qc.removeQueries({
    predicate: (q) => {
      const [first] = q.queryKey;
      const isMe = q.queryKey.length === 1 && first === meKey[0];
      return !isMe && !(q.queryKey.length === 1 && typeof first === 'string' && KEEP.has(first));
    },
  });
  qc.setQueryData(meKey, user);
}
