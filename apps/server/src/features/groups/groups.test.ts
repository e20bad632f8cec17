import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { createGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createUser(t);
  stranger = await createUser(t);
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/groups', () => {
  it('creates a group with the caller as owner', async () => {
    const res = await t.request('/api/groups', {
      json: { name: '  Friday   night  ', description: 'We play.', timezone: 'Europe/Berlin' },
      cookie: owner.cookie,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'Friday night', description: 'We play.', timezone: 'Europe/Berlin', role: 'owner' });
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'description', 'id', 'name', 'nightDefaults', 'role', 'timezone']);
    // Every date is a game night with these defaults until it is changed (docs/api.md "Game nights").
    expect(body.nightDefaults).toEqual({
      startTime: '20:00',
      closeBeforeMinutes: 30,
      tieBreak: 'random',
      resultsVisibility: 'live',
      reminderBeforeMinutes: 60,
      method: 'approval',
      vetoes: 0,
    });
    expect(new Date(body.createdAt as string).toISOString()).toBe(body.createdAt);
  });

  it('takes the timezone from X-Timezone when valid, else UTC', async () => {
    const a = await t.request('/api/groups', {
      json: { name: 'A' },
      cookie: owner.cookie,
      headers: { 'x-timezone': 'America/Los_Angeles' },
    });
    expect(((await a.json()) as { timezone: string }).timezone).toBe('America/Los_Angeles');
    const b = await t.request('/api/groups', { json: { name: 'B' }, cookie: owner.cookie, headers: { 'x-timezone': 'Mars/Olympus' } });
    expect(((await b.json()) as { timezone: string }).timezone).toBe('UTC');
    const c = await t.request('/api/groups', { json: { name: 'C' }, cookie: owner.cookie });
    expect(((await c.json()) as { timezone: string; description: string }).timezone).toBe('UTC');
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(61) }, 'name'],
    [{ name: 'bad\u0000name' }, 'name'],
    [{ name: 'ok', description: 'x'.repeat(501) }, 'description'],
    [{ name: 'ok', timezone: 'Not/AZone' }, 'timezone'],
    [{ name: 'ok', ownerId: 'someone' }, 'ownerId'],
    [{ name: 'ok', role: 'owner' }, 'role'],
  ])('refuses %j with a message for %s', async (json, field) => {
    const res = await t.request('/api/groups', { json, cookie: owner.cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    expect(body.details[field]).toBeTruthy();
  });

  it('needs a signed-in user', async () => {
    const res = await t.request('/api/groups', { json: { name: 'x' } });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/groups and /api/groups/:groupId', () => {
  it('lists only the caller’s groups with role and member count', async () => {
    const g = await createGroup(t, stranger, { name: 'Stranger things' });
    const res = await t.request('/api/groups', { cookie: stranger.cookie });
    expect(res.status).toBe(200);
    const list = (await res.json()) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: g.id, name: 'Stranger things', role: 'owner', memberCount: 1, timezone: g.timezone });
    expect(list[0]!.tonight).toMatchObject({ suggestions: 0, leader: null });
    const mine = (await (await t.request('/api/groups', { cookie: owner.cookie })).json()) as Array<{ id: string }>;
    expect(mine.map((x) => x.id)).not.toContain(g.id);
  });

  it('shows a group with its members to a member, 404 to anyone else', async () => {
    const g = await createGroup(t, owner, { name: 'Detail' });
    const res = await t.request(`/api/groups/${g.id}`, { cookie: owner.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: g.id,
      role: 'owner',
      members: [{ id: owner.id, username: owner.username, avatarUrl: null, role: 'owner' }],
    });
    expect((await t.request(`/api/groups/${g.id}`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await t.request(`/api/groups/nope`, { cookie: owner.cookie })).status).toBe(404);
    expect((await t.request(`/api/groups/${g.id}`)).status).toBe(401);
  });
});

describe('PATCH and DELETE /api/groups/:groupId', () => {
  it('edits name, description and timezone', async () => {
    const g = await createGroup(t, owner);
    const res = await t.request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      json: { name: 'Renamed', description: '', timezone: 'Asia/Tokyo' },
      cookie: owner.cookie,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: g.id, name: 'Renamed', description: '', timezone: 'Asia/Tokyo', role: 'owner' });
  });

  it('validates webhook settings before changing anything (the Discord feature owns them)', async () => {
    const g = await createGroup(t, owner);
    const res = await t.request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      json: { name: 'x', discordWebhookUrl: 'https://evil.example/api/webhooks/1/abc' },
      cookie: owner.cookie,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_input', details: { discordWebhookUrl: expect.any(String) } });
    const after = (await (await t.request(`/api/groups/${g.id}`, { cookie: owner.cookie })).json()) as { name: string };
    expect(after.name).toBe('Friday crew');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(61) }, 'name'],
    [{ timezone: 'Europe/Nowhere' }, 'timezone'],
    [{ description: 'bad\u0007bell' }, 'description'],
    [{ ownerId: 'someone' }, 'ownerId'],
    [{ role: 'owner' }, 'role'],
    [{ id: 'other' }, 'id'],
  ])('refuses the edit %j with a message for %s, changing nothing', async (json, field) => {
    const g = await createGroup(t, owner, { name: 'Unchanged' });
    const res = await t.request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      json: { description: 'changed?', ...json },
      cookie: owner.cookie,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: Record<string, string> }).details[field]).toBeTruthy();
    const after = (await (await t.request(`/api/groups/${g.id}`, { cookie: owner.cookie })).json()) as {
      name: string;
      description: string;
    };
    expect(after).toMatchObject({ name: 'Unchanged', description: '' });
  });

  it('answers 415 for a body that is not JSON and 413 for one over 64 KiB', async () => {
    const g = await createGroup(t, owner);
    const text = await t.request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookie: owner.cookie,
    });
    expect(text.status).toBe(415);
    const big = await t.request('/api/groups', { json: { name: 'x', description: 'y'.repeat(70 * 1024) }, cookie: owner.cookie });
    expect(big.status).toBe(413);
    const malformed = await t.request('/api/groups', {
      method: 'POST',
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
      cookie: owner.cookie,
    });
    expect(malformed.status).toBe(400);
  });

  it('deletes a group for the owner', async () => {
    const g = await createGroup(t, owner);
    const res = await t.request(`/api/groups/${g.id}`, { method: 'DELETE', cookie: owner.cookie });
    expect(res.status).toBe(204);
    expect((await t.request(`/api/groups/${g.id}`, { cookie: owner.cookie })).status).toBe(404);
    expect((await t.request(`/api/groups/${g.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(404);
  });
});
