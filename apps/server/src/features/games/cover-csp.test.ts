/**
 * Cover art and the CSP: the page's `img-src` names exactly the image host of the cover URLs the server
 * builds for Steam games (so covers load), and no wider source (no `https:`, no `*`, no other Steam host).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { createGroup } from '../../test/group-factories.ts';
import type { GameDto } from './data.ts';
import { body } from './test-helpers.ts';

let t: TestApp;
let alice: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t);
});
afterAll(async () => {
  await t.close();
});

function imgSources(csp: string): string[] {
  const directive = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'img-src');
  return directive?.slice(1) ?? [];
}

describe('cover art and the CSP img-src', () => {
  it('allows exactly the host of the cover URL a Steam game gets, and nothing broader', async () => {
    const group = await createGroup(t, alice, { name: 'Covers', timezone: 'Europe/Berlin' });
    const game = await body<GameDto>(
      await t.request(`/api/groups/${group.id}/games`, { json: { name: 'Deep Rock Galactic', steamAppId: 548430 }, cookie: alice.cookie }),
      201,
    );
    expect(game.coverUrl).toBeTruthy();
    const coverOrigin = new URL(game.coverUrl!).origin;
    expect(coverOrigin).toBe('https://cdn.cloudflare.steamstatic.com');

    const page = await t.request('/api/docs');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const sources = imgSources(page.headers.get('content-security-policy') ?? '');
    expect(sources).toContain(coverOrigin);
    expect(sources).toEqual(["'self'", 'data:', 'https://cdn.discordapp.com', coverOrigin]);
    for (const s of sources) expect(s).not.toMatch(/^(https?:|\*|https:\/\/\*)$/);
  });
});
