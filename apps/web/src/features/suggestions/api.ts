/** Suggestions, votes, results and history of a group: query-option factories and mutations. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { HistoryDay, Results, Suggestion, VetoResult } from '../../lib/api-types.ts';

export const suggestionKeys = {
  /** Everything day-based of one group (suggestions, results, history): invalidated together on live events. */
  group: (groupId: string) => ['groups', groupId, 'day-data'] as const,
  list: (groupId: string, day: string) => ['groups', groupId, 'day-data', 'suggestions', day] as const,
  results: (groupId: string, day: string) => ['groups', groupId, 'day-data', 'results', day] as const,
  history: (groupId: string, from: string, to: string) => ['groups', groupId, 'day-data', 'history', from, to] as const,
};

const g = (id: string) => `/api/groups/${encodeURIComponent(id)}`;
const s = (id: string) => `/api/suggestions/${encodeURIComponent(id)}`;

export const suggestionQueries = {
  list: (groupId: string, day: string) =>
    queryOptions({
      queryKey: suggestionKeys.list(groupId, day),
      queryFn: () => api.get<Suggestion[]>(`${g(groupId)}/suggestions`, { query: { date: day } }),
    }),
  results: (groupId: string, day: string) =>
    queryOptions({
      queryKey: suggestionKeys.results(groupId, day),
      queryFn: () => api.get<Results>(`${g(groupId)}/results`, { query: { date: day } }),
    }),
  history: (groupId: string, from: string, to: string) =>
    queryOptions({
      queryKey: suggestionKeys.history(groupId, from, to),
      queryFn: () => api.get<HistoryDay[]>(`${g(groupId)}/history`, { query: { from, to } }),
    }),
};

export const suggestionApi = {
  /** `{gameName}` (a name the library does not know adds a game) or `{gameId}` of a library game. */
  create: (groupId: string, body: ({ gameName: string } | { gameId: string }) & { date?: string }) =>
    api.post<Suggestion>(`${g(groupId)}/suggestions`, body),
  remove: (suggestionId: string) => api.delete(s(suggestionId)),
  vote: (suggestionId: string) => api.post<{ suggestionId: string; votes: number }>(`${s(suggestionId)}/votes`),
  unvote: (suggestionId: string) => api.delete(`${s(suggestionId)}/votes`),
  veto: (suggestionId: string) => api.post<VetoResult>(`${s(suggestionId)}/veto`),
  unveto: (suggestionId: string) => api.delete(`${s(suggestionId)}/veto`),
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
