/** Suggestions, votes, results and history of a group: query-option factories and mutations. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiBody, Suggestion } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

export const suggestionKeys = {
  /** Everything day-based of one group (suggestions, results, history): invalidated together on live events. */
  group: (groupId: string) => ['groups', groupId, 'day-data'] as const,
  list: (groupId: string, day: string) => ['groups', groupId, 'day-data', 'suggestions', day] as const,
  results: (groupId: string, day: string) => ['groups', groupId, 'day-data', 'results', day] as const,
  history: (groupId: string, from: string, to: string) => ['groups', groupId, 'day-data', 'history', from, to] as const,
};

export const suggestionQueries = {
  list: (groupId: string, day: string) =>
    queryOptions({
      queryKey: suggestionKeys.list(groupId, day),
      queryFn: () => call('GET /api/groups/{groupId}/suggestions', { params: { groupId }, query: { date: day } }),
    }),
  results: (groupId: string, day: string) =>
    queryOptions({
      queryKey: suggestionKeys.results(groupId, day),
      queryFn: () => call('GET /api/groups/{groupId}/results', { params: { groupId }, query: { date: day } }),
    }),
  history: (groupId: string, from: string, to: string) =>
    queryOptions({
      queryKey: suggestionKeys.history(groupId, from, to),
      queryFn: () => call('GET /api/groups/{groupId}/history', { params: { groupId }, query: { from, to } }),
    }),
};

export const suggestionApi = {
  /** `{gameName}` (a name the library does not know adds a game) or `{gameId}` of a library game. */
  create: (groupId: string, body: ApiBody<'POST /api/groups/{groupId}/suggestions'>) =>
    call('POST /api/groups/{groupId}/suggestions', { params: { groupId }, body }),
  remove: (suggestionId: string) => call('DELETE /api/suggestions/{suggestionId}', { params: { suggestionId } }),
  vote: (suggestionId: string) => call('POST /api/suggestions/{suggestionId}/votes', { params: { suggestionId } }),
  unvote: (suggestionId: string) => call('DELETE /api/suggestions/{suggestionId}/votes', { params: { suggestionId } }),
  veto: (suggestionId: string) => call('POST /api/suggestions/{suggestionId}/veto', { params: { suggestionId } }),
  unveto: (suggestionId: string) => call('DELETE /api/suggestions/{suggestionId}/veto', { params: { suggestionId } }),
};

/** Most approvals first, then the earliest suggestion (the server's order, kept after optimistic edits). */
export function sortSuggestions(list: Suggestion[]): Suggestion[] {
  return [...list].sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || a.createdAt.localeCompare(b.createdAt));
}

/** The leaders: every suggestion with the highest tally, when that tally is above zero (none while results are hidden). */
export function leaders(list: Suggestion[]): Suggestion[] {
  const top = Math.max(0, ...list.map((x) => x.votes ?? 0));
  return top === 0 ? [] : list.filter((x) => x.votes === top);
}
