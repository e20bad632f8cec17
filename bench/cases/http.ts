/** The HTTP hot paths of QueueCrew: voting, the results and the suggestion list of a day with 50 suggestions. */
import { registerCase, startScriptServer } from '../registry.ts';

registerCase({
  name: 'vote POST/DELETE',
  description: 'authenticated withdraw + approve toggling; each connection on a suggestion of its own',
  goalRatio: 0.2,
  run: (ctx) =>
    ctx.load({
      path: `/api/suggestions/${ctx.app.suggestionIds[0]}/votes`,
      headers: { ...ctx.app.authHeaders, origin: ctx.app.origin },
      perConnection: (i) => {
        const id = ctx.app.suggestionIds[i % ctx.app.suggestionIds.length]!;
        // The owner suggested every game, and a suggestion is its suggester's approval: withdraw first.
        return [
          { method: 'DELETE', path: `/api/suggestions/${id}/votes` },
          { method: 'POST', path: `/api/suggestions/${id}/votes` },
        ];
      },
    }),
});

registerCase({
  name: 'results GET',
  description: "today's results of a group with 50 suggestions and a few voters",
  goalRatio: 0.3,
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

registerCase({
  name: 'results vs node:http',
  description: 'the results read against a bare node:http server sending the identical body (the ceiling for that answer), paired',
  run: async (ctx) => {
    const path = `/api/groups/${ctx.app.groupId}/results`;
    const res = await fetch(`${ctx.app.url}${path}`, { headers: ctx.app.authHeaders });
    if (!res.ok) throw new Error(`results GET answered ${res.status}`);
    const body = await res.text();
    const ceiling = await startScriptServer('bench/ceiling-server.ts', {
      QC_BENCH_BODY: body,
      QC_BENCH_CONTENT_TYPE: res.headers.get('content-type') ?? 'application/json',
    });
    try {
      const bare = await ctx.load({ baseUrl: ceiling.url, path: '/' });
      const app = await ctx.load({ path, headers: ctx.app.authHeaders });
      const round = (n: number) => Math.round(n * 1000) / 1000;
      if (bare.non2xx + bare.errors + app.non2xx + app.errors > 0) throw new Error('non-2xx or errors: the figures are not valid');
      return {
        kind: 'figures',
        figures: {
          bodyBytes: Buffer.byteLength(body),
          ceilingReqPerSec: bare.reqPerSec,
          ceilingCpuUsPerReq: bare.serverCpuUsPerReq ?? '-',
          resultsReqPerSec: app.reqPerSec,
          resultsCpuUsPerReq: app.serverCpuUsPerReq ?? '-',
          ratio: round(app.reqPerSec / bare.reqPerSec),
          cpuRatio: bare.serverCpuUsPerReq && app.serverCpuUsPerReq ? round(bare.serverCpuUsPerReq / app.serverCpuUsPerReq) : '-',
        },
      };
    } finally {
      ceiling.stop();
    }
  },
});
