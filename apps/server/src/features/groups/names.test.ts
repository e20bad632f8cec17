/**
 * Through the real API: group and game names made only of invisible characters are
 * refused with the documented error format; invisible characters inside a name are removed; NFC is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { createGroup } from '../../test/group-factories.ts';

let t: TestApp;
let alice: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t);
});
afterAll(() => t.close());

describe('invisible names', () => {
  it.each(['\u200b\u200b\u200b', '\ufeff', '\u3164\u3164', '\u115f', ' \u2060 \u200d '])('refuses the group name %j', async (name) => {
    const res = await t.request('/api/groups', { json: { name, timezone: 'Europe/Berlin' }, cookie: alice.cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(body.details.name).toBeTruthy();
  });

  it('stores a group name and a game name without their invisible characters, NFC-normalised', async () => {
    const group = await createGroup(t, alice, { name: 'Fri\u200bday \u2060crew', timezone: 'Europe/Berlin' });
    expect(group.name).toBe('Friday crew');
    const renamed = await t.request(`/api/groups/${group.id}`, {
      method: 'PATCH',
      json: { name: 'Cafe\u0301 crew\ufeff' },
      cookie: alice.cookie,
    });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { name: string }).name).toBe('Caf\u00e9 crew');
    const blank = await t.request(`/api/groups/${group.id}/suggestions`, {
      json: { gameName: '\u200b\u200c\u200d' },
      cookie: alice.cookie,
    });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { details: Record<string, string> }).details.gameName).toMatch(/empty|visible/);
    const ok = await t.request(`/api/groups/${group.id}/suggestions`, { json: { gameName: 'Ha\u200bdes' }, cookie: alice.cookie });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { gameName: string }).gameName).toBe('Hades');
  });
});
