/**
 * The results answer is cached as its serialised body (results-cache.ts): a cached hit and a miss send
 * exactly the bytes `c.json()` sent for the same results — `JSON.stringify` of the DTO the database
 * gives now, in UTF-8 — with status 200 and `Content-Type: application/json`, through app.request() and
 * on a real port (where the body's byte length is the Content-Length).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { findNight, resultsHidden, virtualNight } from '../nights/index.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay, type TestGroup } from '../../test/group-factories.ts';
import { resultsFor } from './data.ts';

let t: TestApp;
let owner: TestUser;
let member: TestUser;
let group: TestGroup;
let server: ServerType;
let base: string;
const day = openDay();

beforeAll(async () => {
  t = await createTestApp();
  [owner, member] = [await createUser(t), await createUser(t)];
  group = await createGroup(t, owner, { name: 'Bytes', timezone: 'UTC' });
  await addMembers(t, group.id, owner, [member]);
  // Names that JSON must escape and that are more than one byte in UTF-8.
  for (const gameName of ['Café "Noir" \\ nights', 'Ōkami 🎲', 'Plain']) {
    const res = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName, date: day }, cookie: owner.cookie });
    expect(res.status).toBe(201);
  }
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** What `c.json(results)` sent: JSON.stringify of the results the database gives now. */
async function expectedBody(): Promise<string> {
  const { db } = t.services.database;
  const row = (await db.select().from(schema.groups).where(eq(schema.groups.id, group.id)).get())!;
  const night = (await findNight(db, group.id, day)) ?? virtualNight(row, day, t.services.clock.now());
  return JSON.stringify(await resultsFor(db, row, night, resultsHidden(row, night)));
}

describe('results answer from its cached JSON', () => {
  it('sends the same bytes, status and content type as c.json(), on a miss and on a hit', async () => {
    const expected = await expectedBody();
    for (let i = 0; i < 3; i++) {
      const res = await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: member.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.text()).toBe(expected);
    }
  });

  it('writes those bytes on a real port with their UTF-8 length as Content-Length', async () => {
    const expected = await expectedBody();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/api/groups/${group.id}/results?date=${day}`, {
        headers: { authorization: `Bearer ${member.accessToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)));
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(expected);
    }
  });

  it('answers the state after a change, not the cached bytes of before', async () => {
    const before = await (await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: member.cookie })).text();
    const res = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Later', date: day }, cookie: member.cookie });
    expect(res.status).toBe(201);
    const after = await (await t.request(`/api/groups/${group.id}/results?date=${day}`, { cookie: member.cookie })).text();
    expect(after).not.toBe(before);
    expect(after).toBe(await expectedBody());
  });
});
