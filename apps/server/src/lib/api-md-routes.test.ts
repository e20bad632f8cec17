/**
 * docs/api.md is the human contract: its route index lists exactly the operations of the served OpenAPI
 * document (plus the few non-JSON routes it marks as outside the document).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';

const API_MD = new URL('../../../../docs/api.md', import.meta.url);
/** Routes the index lists that are not JSON operations and so not in the OpenAPI document. */
const OUTSIDE_DOCUMENT = ['GET /api/ws', 'GET /api/openapi.json', 'GET /api/docs', 'GET /api/docs/redoc.css'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

function indexedRoutes(): string[] {
  const text = readFileSync(API_MD, 'utf8');
  const section = text.slice(text.indexOf('\n## Route index'));
  expect(section.length).toBeGreaterThan(20);
  return [...section.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)` +\|/gm)].map(
    (m) => `${m[1]} ${m[2]!.replace(/:([A-Za-z]+)/g, '{$1}')}`,
  );
}

describe('docs/api.md route index', () => {
  it('lists every operation of GET /api/openapi.json, and nothing the document does not have', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const indexed = indexedRoutes();
    expect(new Set(indexed).size, 'a route is listed twice').toBe(indexed.length);
    expect(
      served.filter((r) => !indexed.includes(r)),
      'served but not in docs/api.md',
    ).toEqual([]);
    const outside = OUTSIDE_DOCUMENT.map((r) => r.replace(/:([A-Za-z]+)/g, '{$1}'));
    expect(
      indexed.filter((r) => !served.includes(r) && !outside.includes(r)),
      'in docs/api.md but not served',
    ).toEqual([]);
  });

  it('the routes outside the document are really served', async () => {
    for (const path of ['/api/openapi.json', '/api/docs']) expect((await t.request(path)).status).toBe(200);
    // The WebSocket route needs a real upgrade (features/realtime); app.request() has none, so it is 404 here.
    expect(indexedRoutes()).toEqual(expect.arrayContaining(OUTSIDE_DOCUMENT));
  });
});
