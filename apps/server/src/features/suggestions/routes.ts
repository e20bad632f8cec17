/** The contract of suggestions, votes, results and history (docs/api.md "Suggestions, votes, results"). */
import { createRoute, z } from '@hono/zod-openapi';
import { createSuggestionInput, daySchema } from '@queuecrew/shared';
import { GroupParams, commonErrors, idParam, jsonBody, jsonResponse } from '../../lib/openapi.ts';
import { HistoryDaySchema, ResultsSchema, SuggestionSchema, VetoResultSchema, VoteResultSchema } from './data.ts';

const tags = ['suggestions'];
const SuggestionParams = z.object({ suggestionId: idParam('suggestionId') });
const DayQuery = z.object({ date: daySchema.optional().openapi({ description: "Default: today in the group's timezone" }) });

export const createSuggestion = createRoute({
  method: 'post',
  path: '/groups/{groupId}/suggestions',
  tags,
  summary: 'Suggest a game for a day (member)',
  description:
    'The same game on the same day (case- and space-insensitive) answers 409 `duplicate_suggestion` with `details.suggestionId`. ' +
    'The suggestion counts as its suggester’s approval (`votes: 1`). Accepted while the date’s game night is open and before its ' +
    '`closesAt`: 409 `voting_closed` after, 409 `night_cancelled` for a cancelled night; more than 60 days ahead, 400.',
  request: { params: GroupParams, ...jsonBody(createSuggestionInput) },
  responses: { 201: jsonResponse('The suggestion', SuggestionSchema), ...commonErrors },
});

export const listSuggestions = createRoute({
  method: 'get',
  path: '/groups/{groupId}/suggestions',
  tags,
  summary: "A day's suggestions, by approvals then age (member)",
  request: { params: GroupParams, query: DayQuery },
  responses: { 200: jsonResponse('Suggestions', z.array(SuggestionSchema)), ...commonErrors },
});

export const deleteSuggestion = createRoute({
  method: 'delete',
  path: '/suggestions/{suggestionId}',
  tags,
  summary: 'Delete a suggestion and its votes (suggester or group admin)',
  request: { params: SuggestionParams },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

export const addVote = createRoute({
  method: 'post',
  path: '/suggestions/{suggestionId}/votes',
  tags,
  summary:
    'Approve a suggestion (member of its group); 409 `already_voted` if already approved, `voting_closed` / `night_cancelled` as for suggestions',
  request: { params: SuggestionParams },
  responses: { 201: jsonResponse('The new tally', VoteResultSchema), ...commonErrors },
});

export const removeVote = createRoute({
  method: 'delete',
  path: '/suggestions/{suggestionId}/votes',
  tags,
  summary: 'Take an approval back; 404 if there was none',
  request: { params: SuggestionParams },
  responses: { 204: { description: 'Removed' }, ...commonErrors },
});

export const getResults = createRoute({
  method: 'get',
  path: '/groups/{groupId}/results',
  tags,
  summary: "A day's tally, winners (all tied leaders) and number of voters (member)",
  request: { params: GroupParams, query: DayQuery },
  responses: { 200: jsonResponse('Results', ResultsSchema), ...commonErrors },
});

export const getHistory = createRoute({
  method: 'get',
  path: '/groups/{groupId}/history',
  tags,
  summary: 'One row per closed night, newest first, with its winner and how it was decided (member)',
  description: 'Default range: the 30 days up to today (group time). At most 366 days per request.',
  request: {
    params: GroupParams,
    query: z.object({ from: daySchema.optional(), to: daySchema.optional() }),
  },
  responses: { 200: jsonResponse('Days', z.array(HistoryDaySchema)), ...commonErrors },
});

const vetoRules =
  'Only on nights with `vetoes: 1` (409 `vetoes_off` otherwise) and while the night is open (409 `voting_closed` / `night_cancelled`).';

export const addVeto = createRoute({
  method: 'post',
  path: '/suggestions/{suggestionId}/veto',
  tags,
  summary: 'Veto a suggestion: it cannot win (member of its group; one veto per member and night)',
  description: `409 \`already_vetoed\` when you have vetoed a suggestion of this night already (\`details.suggestionId\` names it; take it back first). ${vetoRules}`,
  request: { params: SuggestionParams },
  responses: { 201: jsonResponse('Who vetoed it now', VetoResultSchema), ...commonErrors },
});

export const removeVeto = createRoute({
  method: 'delete',
  path: '/suggestions/{suggestionId}/veto',
  tags,
  summary: 'Take your veto back; 404 `veto_not_found` if you had not vetoed it',
  description: vetoRules,
  request: { params: SuggestionParams },
  responses: { 204: { description: 'Removed' }, ...commonErrors },
});
