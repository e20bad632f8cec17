/**
 * The one place an auth transition (sign-up, sign-in, second factor, sign-out, account deletion, a
 * session that ended) updates the query cache.
 *
 * Never `queryClient.clear()` here: it drops the Query objects that mounted observers (the header's
 * `useQuery(authQueries.me())`) are attached to, and a later `setQueryData` creates a new Query that
 * nobody watches, so the header kept showing the previous state until a reload. Instead the `['me']`
 * query itself is updated in place, and every other cached answer (it belonged to the previous person)
 * is removed. The live socket, opened with the previous session, is closed (and reopened for a new one).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { User } from '@queuecrew/shared';
import { restartLive } from '../../lib/live.ts';
import { groupKeys } from '../groups/api.ts';
import { inviteApi } from '../invites/api.ts';
import { authQueries, inviteCodeFrom } from './api.ts';

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
  // The live socket was opened with the previous session's cookie: close it, and reopen for a new one.
  restartLive(user !== null);
}

/**
 * Where to go after signing up or in. Reached from an invite link (`redirect` is `/invite/<code>`), the
 * person already chose to join ("Sign in to join" / "Create an account" on the invite page): accept the
 * invite now and land on the group, rather than back on the invite page with one more "Join" to press.
 * If the invite no longer works, the invite page explains why.
 */
export async function destinationAfterAuth(qc: QueryClient, redirect: string | undefined): Promise<string> {
  const code = inviteCodeFrom(redirect);
  if (!code) return redirect ?? '/groups';
  try {
    const { groupId } = await inviteApi.accept(code);
    await qc.invalidateQueries({ queryKey: groupKeys.all });
    return `/groups/${encodeURIComponent(groupId)}`;
  } catch {
    return redirect ?? '/groups';
  }
}
