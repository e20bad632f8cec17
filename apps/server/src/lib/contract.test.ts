/**
 * The wire contract of @queuecrew/shared (apiContract, which types the web app's client) says what the
 * server serves: the same operations, success statuses, request and response schemas as the OpenAPI
 * document, components included. A route that changes its schemas without the contract (or the other
 * way round) fails here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { apiContract, type ContractEntry } from '@queuecrew/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { completeDocument } from './openapi.ts';

/** /api operations that are no JSON exchange: redirects, the Discord interactions webhook, the .ics feed, the privacy notice. */
const OUTSIDE_CONTRACT = [
  'GET /api/auth/discord',
  'GET /api/auth/discord/callback',
  'GET /api/auth/steam',
  'GET /api/auth/steam/callback',
  'POST /api/discord/interactions',
  'GET /api/calendar/{token}',
  'GET /api/privacy',
];

type Json = Record<string, unknown>;
type Operation = {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };

const options = { appUrl: 'https://queuecrew.example', environment: 'test' };
const entries = Object.entries(apiContract as Record<string, ContractEntry>);

/** The OpenAPI document of the contract alone, completed like the served one (integer formats and all). */
function contractDocument(): Doc {
  const app = new OpenAPIHono();
  for (const [route, entry] of entries) {
    const [method, path] = route.split(' ') as [string, string];
    app.openAPIRegistry.registerPath({
      method: method.toLowerCase() as 'get',
      path: path.slice('/api'.length),
      ...(entry.body ? { request: { body: { content: { 'application/json': { schema: entry.body } }, required: true } } } : {}),
      responses: {
        [entry.status]: entry.response
          ? { description: 'ok', content: { 'application/json': { schema: entry.response } } }
          : { description: 'ok' },
      },
    });
  }
  const generated = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'contract', version: '1' } });
  const withApi = { ...generated, paths: Object.fromEntries(Object.entries(generated.paths ?? {}).map(([p, v]) => [`/api${p}`, v])) };
  return completeDocument(withApi, options) as unknown as Doc;
}

let t: TestApp;
let served: Doc;
beforeAll(async () => {
  t = await createTestApp({ APP_URL: options.appUrl });
  served = (await (await t.request('/api/openapi.json')).json()) as Doc;
});
afterAll(async () => {
  await t.close();
});

describe('apiContract (@queuecrew/shared) and GET /api/openapi.json', () => {
  it('list the same JSON operations', () => {
    const operations = Object.entries(served.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((r) => !OUTSIDE_CONTRACT.includes(r));
    expect(
      operations.filter((r) => !(r in apiContract)),
      'served, missing from apiContract',
    ).toEqual([]);
    expect(
      entries.map(([r]) => r).filter((r) => !operations.includes(r)),
      'in apiContract, not served',
    ).toEqual([]);
  });

  it('agree on each success status, request body and response body', () => {
    const contract = contractDocument();
    for (const [route, entry] of entries) {
      const [method, path] = route.split(' ') as [string, string];
      const mine = contract.paths[path]![method.toLowerCase()]!;
      const theirs = served.paths[path]?.[method.toLowerCase()];
      expect(theirs, route).toBeDefined();
      const success = Object.keys(theirs!.responses).filter((s) => s.startsWith('2'));
      expect(success, `${route}: success status`).toEqual([String(entry.status)]);
      expect(theirs!.responses[entry.status]!.content?.['application/json']?.schema, `${route}: response`).toEqual(
        mine.responses[entry.status]!.content?.['application/json']?.schema,
      );
      expect(theirs!.requestBody?.content['application/json']?.schema, `${route}: request body`).toEqual(
        mine.requestBody?.content['application/json']?.schema,
      );
    }
  });

  it('name the same components the same way', () => {
    const contract = contractDocument();
    for (const [name, schema] of Object.entries(contract.components.schemas)) {
      expect(served.components.schemas[name], `component ${name}`).toEqual(schema);
    }
  });
});
