/**
 * Live updates for the open group page over the shared ws-client: events patch the TanStack Query caches
 * (tallies and avatars move at once) and then invalidate what is computed on the server (results,
 * history); after a reconnection everything of the group is refetched, since events sent while the
 * socket was down are lost.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useToast } from '../../components/ui/toast.tsx';
import type { LiveEvent } from '@queuecrew/shared';
import type { Night, Suggestion, User, Voter } from '@queuecrew/shared';
import { liveClient, liveListeners, liveStatus } from '../../lib/live.ts';
import type { LiveError, LiveStatus } from '../../lib/ws-client.ts';
import { authQueries } from '../auth/api.ts';
import { gameKeys } from '../games/api.ts';
import { nightKeys } from '../nights/api.ts';
import { suggestionKeys } from '../suggestions/api.ts';
import { groupKeys } from './api.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function patchLists(qc: QueryClient, groupId: string, fn: (list: Suggestion[], day: string) => Suggestion[]) {
  const prefix = [...suggestionKeys.group(groupId), 'suggestions'];
  for (const [key, list] of qc.getQueriesData<Suggestion[]>({ queryKey: prefix })) {
    const day = key[key.length - 1];
    if (list && typeof day === 'string') qc.setQueryData(key, fn(list, day));
  }
}

function isNight(v: unknown): v is Night {
  return isObject(v) && typeof v.date === 'string' && typeof v.status === 'string' && isObject(v.rsvps);
}

export function applyLiveEvent(qc: QueryClient, event: LiveEvent, me: User | null | undefined) {
  const { groupId, data } = event;
  // Night events are newer than the shared LiveEventType list; compare as strings.
  const type: string = event.type;
  switch (type) {
    case 'night_updated':
    case 'night_closed': {
      // The night as the server sees it, except `myRsvp`, which is the recipient's own: keep ours.
      if (!isNight(data)) break;
      const key = nightKeys.detail(groupId, data.date);
      const mine = qc.getQueryData<Night>(key)?.myRsvp;
      const myRsvp = me
        ? ((['in', 'maybe', 'out'] as const).find((s) => data.rsvps[s]?.some((u) => u.id === me.id)) ?? null)
        : (mine ?? null);
      qc.setQueryData<Night>(key, { ...data, myRsvp });
      break;
    }
    case 'rsvp_updated':
      // {date, userId, status}: the night's lists are refetched below, and so are the library's
      // "playable with who's in" verdicts.
      void qc.invalidateQueries({ queryKey: gameKeys.all(groupId), refetchType: 'active' });
      break;
    case 'game_updated':
    case 'game_deleted':
      // A game was added, edited, (dis)owned or removed: the open library refetches, and the day's
      // suggestions below (their cover, players and `playable` come from the game).
      void qc.invalidateQueries({ queryKey: gameKeys.all(groupId), refetchType: 'active' });
      break;
    case 'vote_updated': {
      // With hidden results others get {suggestionId} only: nothing to patch, refetch below.
      if (!isObject(data) || typeof data.suggestionId !== 'string' || typeof data.votes !== 'number') break;
      const voters = Array.isArray(data.voters) ? (data.voters as Voter[]) : undefined;
      patchLists(qc, groupId, (list) =>
        list.map((s) =>
          s.id !== data.suggestionId
            ? s
            : { ...s, votes: data.votes as number, ...(voters ? { voters, votedByMe: voters.some((v) => v.id === me?.id) } : {}) },
        ),
      );
      break;
    }
    case 'suggestion_created': {
      if (!isObject(data) || typeof data.id !== 'string' || typeof data.date !== 'string') break;
      const created = data as unknown as Suggestion;
      patchLists(qc, groupId, (list, day) =>
        day !== created.date || list.some((s) => s.id === created.id)
          ? list
          : [...list, { ...created, votedByMe: created.voters?.some((v) => v.id === me?.id) ?? false, voters: created.voters ?? [] }],
      );
      break;
    }
    case 'veto_updated': {
      // {suggestionId, vetoedBy}: public, also while results are hidden.
      if (!isObject(data) || typeof data.suggestionId !== 'string' || !Array.isArray(data.vetoedBy)) break;
      const vetoedBy = data.vetoedBy as Voter[];
      patchLists(qc, groupId, (list) => list.map((s) => (s.id === data.suggestionId ? { ...s, vetoedBy } : s)));
      break;
    }
    case 'suggestion_deleted': {
      if (!isObject(data) || typeof data.suggestionId !== 'string') break;
      patchLists(qc, groupId, (list) => list.filter((s) => s.id !== data.suggestionId));
      break;
    }
    default:
      // Membership and group changes: the group (members, role, name) is refetched below.
      void qc.invalidateQueries({ queryKey: groupKeys.detail(groupId) });
      void qc.invalidateQueries({ queryKey: groupKeys.all, exact: true });
      // New night defaults or timezone move the nights not edited by hand; members change who hasn't voted.
      if (type !== 'group_deleted') void qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId), refetchType: 'active' });
      return;
  }
  // Results, history and nights (notVoted, RSVP lists) are computed by the server; refetch what is on screen.
  void qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId), refetchType: 'active' });
}

/** Follows the group's events while the page is open; returns the connection status for the page. */
export function useGroupLive(groupId: string): LiveStatus {
  const qc = useQueryClient();
  const toast = useToast();
  const toastRef = useRef(toast);
  toastRef.current = toast;
  const [status, setStatus] = useState<LiveStatus>(liveStatus);
  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    const c = liveClient();
    liveListeners.status.add(setStatus);
    const onError = (e: LiveError) => {
      // Not a member (any more): the group's queries will now answer 404 and the page says so.
      if (e.groupId) void qc.invalidateQueries({ queryKey: groupKeys.detail(e.groupId) });
    };
    liveListeners.error.add(onError);
    const onReconnect = () => {
      // Events sent while the socket was down are lost: refetch everything of the group, and say so
      // (the toast is announced through its live region).
      void qc.invalidateQueries({ queryKey: groupKeys.detail(groupId) });
      void qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) });
      void qc.invalidateQueries({ queryKey: gameKeys.all(groupId) });
      toastRef.current('Reconnected: live updates are back and the page is up to date.');
    };
    liveListeners.reconnect.add(onReconnect);
    const unsubscribe = c.subscribe(groupId, (event) => applyLiveEvent(qc, event, qc.getQueryData(authQueries.me().queryKey)));
    setStatus(c.status);
    return () => {
      unsubscribe();
      liveListeners.status.delete(setStatus);
      liveListeners.reconnect.delete(onReconnect);
      liveListeners.error.delete(onError);
    };
  }, [qc, groupId]);
  return status;
}
