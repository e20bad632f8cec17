/** The HTTP hot paths of QueueCrew: voting, the results and the suggestion list of a day with 50 suggestions. */
import { registerCase } from '../registry.ts';

registerCase({
  name: 'vote POST/DELETE',
  description: 'authenticated approve + withdraw toggling; each connection on a suggestion of its own',
  goalRatio: 0.4,
  run: (ctx) =>
    ctx.load({
      path: `/api/suggestions/${ctx.app.suggestionIds[0]}/votes`,
      headers: { ...ctx.app.authHeaders, origin: ctx.app.origin },
      perConnection: (i) => {
        const id = ctx.app.suggestionIds[i % ctx.app.suggestionIds.length]!;
        return [
          { method: 'POST', path: `/api/suggestions/${id}/votes` },
          { method: 'DELETE', path: `/api/suggestions/${id}/votes` },
        ];
      },
    }),
});

registerCase({
  name: 'results GET',
  description: "today's results of a group with 50 suggestions and a few voters",
  goalRatio: 0.6,
  run: (ctx) => ctx.load({ path: `/api/groups/${ctx.app.groupId}/results`, headers: ctx.app.authHeaders }),
});

registerCase({
  name: 'suggestions GET',
  description: "today's 50 suggestions with votes, voters and votedByMe",
  run: (ctx) => ctx.load({ path: `/api/groups/${ctx.app.groupId}/suggestions`, headers: ctx.app.authHeaders }),
});

registerCase({
  name: 'healthz GET',
  description: 'no database, no auth: what the middleware chain (ids, logger, metrics, headers) costs on its own',
  run: (ctx) => ctx.load({ path: '/healthz' }),
});
