/**
 * The served contract passes an outside linter: Spectral's `spectral:oas` plus the OWASP API Security
 * Top 10 2023 ruleset, with no error and no warning (changes to the rules only in lib/openapi-ruleset.ts).
 */
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/create-test-app.ts';
import { exceptions, ruleset } from './openapi-ruleset.ts';

let t: TestApp;
let text: string;
beforeAll(async () => {
  // An https APP_URL, as in production (a plain-http server URL is itself an OWASP finding).
  t = await createTestApp({ APP_URL: 'https://queuecrew.example' });
  const res = await t.request('/api/openapi.json');
  expect(res.status).toBe(200);
  text = await res.text();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/openapi.json under Spectral (spectral:oas + OWASP API Top 10 2023)', () => {
  it('has no error and no warning', async () => {
    const spectral = new Spectral();
    spectral.setRuleset(ruleset);
    const results = await spectral.run(new Document(text, Json, '/api/openapi.json'));
    const problems = results
      .filter((r) => r.severity <= 1)
      .map((r) => ({ rule: String(r.code), path: r.path.join('.'), message: r.message }))
      .filter((r) => !exceptions.some((e) => e.rule === r.rule && e.path.test(r.path)));
    expect(problems).toEqual([]);
  });

  it('still catches what it is for: an unbounded request string is an error', async () => {
    const doc = JSON.parse(text) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    doc.paths['/api/groups']!['post']!.requestBody = {
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } },
    };
    const spectral = new Spectral();
    spectral.setRuleset(ruleset);
    const results = await spectral.run(new Document(JSON.stringify(doc), Json, '/api/openapi.json'));
    expect(results.filter((r) => r.severity === 0).map((r) => r.code)).toContain('qc:api4:request-string-limit');
  });
});
