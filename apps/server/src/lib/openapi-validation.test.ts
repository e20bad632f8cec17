/**
 * createRouter()'s own `param` / `query` validation against @hono/zod-openapi's, on real ports: the
 * same answers (status and body, valid or not, query checked before params, repeated query keys as
 * lists, coerced values handed to the handler, JSON bodies still validated after them), and a
 * validated GET leaves @hono/node-server's WHATWG request `Headers` unbuilt.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorResponse } from './errors.ts';
import { createRouter, GroupParams, jsonBody } from './openapi.ts';

const list = createRoute({
  method: 'get',
  path: '/groups/{groupId}/things',
  request: {
    params: GroupParams,
    query: z.object({
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      limit: z.coerce.number().int().min(1).max(10).optional(),
      tag: z.union([z.string(), z.array(z.string())]).optional(),
    }),
  },
  responses: { 200: { description: 'ok' } },
});

const create = createRoute({
  method: 'post',
  path: '/groups/{groupId}/things',
  request: { params: GroupParams, ...jsonBody(z.object({ name: z.string().min(1).max(5) })) },
  responses: { 200: { description: 'ok' } },
});

const hooked = createRoute({
  method: 'get',
  path: '/groups/{groupId}/hooked',
  request: { params: GroupParams, query: z.object({ n: z.coerce.number().int().optional() }) },
  responses: { 200: { description: 'ok' } },
});

/** Whether @hono/node-server's request wrapper has built its `Headers` (its `headersKey` slot). */
function headersBuilt(raw: Request): boolean {
  const key = Object.getOwnPropertySymbols(raw).find((s) => s.description === 'headersKey');
  return key !== undefined && (raw as unknown as Record<symbol, unknown>)[key] !== undefined;
}

function appWith(router: OpenAPIHono<never>) {
  const built: boolean[] = [];
  router
    .openapi(list, (c) => {
      built.push(headersBuilt(c.req.raw));
      return c.json({ param: c.req.valid('param'), query: c.req.valid('query') } as never, 200);
    })
    .openapi(create, (c) => c.json({ param: c.req.valid('param'), body: c.req.valid('json') } as never, 200))
    // A route's own hook, async: a Response for a bad query, { response } for bad params, nothing otherwise.
    .openapi(hooked, (c) => c.json({ param: c.req.valid('param'), query: c.req.valid('query') } as never, 200), (async (
      result: { success: boolean; target: string },
      c: Context,
    ) => {
      await Promise.resolve();
      if (result.success) return undefined;
      return result.target === 'query' ? c.json({ hooked: result.target }, 422) : { response: c.text('bad param', 409) };
    }) as never);
  const app = new Hono();
  app.onError((err, c) => errorResponse(c as never, err));
  app.route('/api', router as never);
  return { app, built };
}

const ours = appWith(createRouter() as never);
const stock = appWith(new OpenAPIHono({ strict: false, defaultHook: createRouter().defaultHook }) as never);
const servers: ServerType[] = [];
let oursUrl = '';
let stockUrl = '';

function listen(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
    servers.push(server);
  });
}

beforeAll(async () => {
  [oursUrl, stockUrl] = await Promise.all([listen(ours.app), listen(stock.app)]);
});
afterAll(() => {
  for (const s of servers) s.close();
});

async function both(path: string, init?: RequestInit) {
  const answer = async (base: string) => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const [a, b] = await Promise.all([answer(oursUrl), answer(stockUrl)]);
  expect(a).toEqual(b);
  return a;
}

const long = 'x'.repeat(65);

it('answers every param and query case as @hono/zod-openapi does', async () => {
  const cases = [
    '/api/groups/g1/things',
    '/api/groups/g1/things?date=2026-11-26&limit=3',
    '/api/groups/g1/things?tag=a&tag=b&tag=c',
    '/api/groups/g1/things?tag=a&unknown=1',
    '/api/groups/g%20one/things?date=2026-11-26',
    '/api/groups/g1/things?date=yesterday',
    '/api/groups/g1/things?limit=0',
    '/api/groups/g1/things?limit=3&limit=4',
    '/api/groups/g1/things?date=2026-11-26&date=2026-11-27',
    `/api/groups/${long}/things`,
    `/api/groups/${long}/things?date=bad`,
  ];
  const answers = [];
  for (const path of cases) answers.push({ path, ...(await both(path)) });
  // The fixtures do reach both outcomes, with the one error format.
  expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
  const invalid = answers.filter((a) => a.status === 400).map((a) => JSON.parse(a.body) as { code: string; details: object });
  expect(invalid).toHaveLength(6);
  for (const body of invalid) expect(body.code).toBe('invalid_input');
  // The query is checked first: with both invalid, the 400 names the query field.
  expect(answers.at(-1)!.body).toContain('"date"');
  expect(answers.at(-1)!.body).not.toContain('"groupId"');
  expect(JSON.parse(answers[1]!.body)).toEqual({ param: { groupId: 'g1' }, query: { date: '2026-11-26', limit: 3 } });
  expect(JSON.parse(answers[2]!.body)).toEqual({ param: { groupId: 'g1' }, query: { tag: ['a', 'b', 'c'] } });
});

it("answers with a route's own (async) hook as @hono/zod-openapi does", async () => {
  expect((await both('/api/groups/g1/hooked?n=2')).status).toBe(200);
  expect(await both('/api/groups/g1/hooked?n=x')).toMatchObject({ status: 422, body: '{"hooked":"query"}' });
  expect(await both(`/api/groups/${long}/hooked`)).toMatchObject({ status: 409, body: 'bad param' });
  expect((await both(`/api/groups/${long}/hooked?n=x`)).status).toBe(422);
});

it('still validates JSON bodies after the params, with the same answers', async () => {
  const post = (body: string, type = 'application/json') => ({ method: 'POST', headers: { 'content-type': type }, body });
  expect((await both('/api/groups/g1/things', post('{"name":"ok"}'))).status).toBe(200);
  expect((await both('/api/groups/g1/things', post('{"name":"too long"}'))).status).toBe(400);
  expect((await both(`/api/groups/${long}/things`, post('{"name":"too long"}'))).body).toContain('"groupId"');
  expect((await both('/api/groups/g1/things', post('{"name":', 'application/json'))).status).toBe(400);
  expect((await both('/api/groups/g1/things', post('name=ok', 'text/plain'))).status).toBe(415);
});

it('leaves the request headers unbuilt on a validated GET', async () => {
  ours.built.length = 0;
  stock.built.length = 0;
  await both('/api/groups/g1/things?date=2026-11-26', { headers: { 'x-one': '1', cookie: 'a=b' } });
  expect(ours.built).toEqual([false]);
  // What this is about: the stock validators read Content-Type, which builds them.
  expect(stock.built).toEqual([true]);
});
