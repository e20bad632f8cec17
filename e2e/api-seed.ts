/**
 * Seeding through the public HTTP API (the same calls the web app makes), for specs whose subject is a
 * screen rather than the flow that leads to it. Requests go through the browser context, so its cookie
 * jar holds the session afterwards.
 */
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';

export interface SeedUser {
  email: string;
  username: string;
  password: string;
}

export class Seed {
  constructor(
    private readonly context: BrowserContext,
    private readonly baseUrl: string,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.context.request.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Origin: this.baseUrl, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    });
    expect(res.ok(), `${method} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  register(user: SeedUser) {
    return this.call<{ user: { id: string; username: string } }>('POST', '/api/auth/register', user);
  }
  login(user: Pick<SeedUser, 'email' | 'password'>) {
    return this.call('POST', '/api/auth/login', { email: user.email, password: user.password });
  }
  createGroup(name: string, timezone = 'Europe/Berlin') {
    return this.call<{ id: string }>('POST', '/api/groups', { name, description: 'Weekly game night.', timezone });
  }
  /**
   * Today's night stays open until 23:59 group time (instead of closing at 19:30), so a spec that suggests
   * and votes "tonight" does not depend on the hour it runs at.
   */
  keepNightOpen(groupId: string) {
    return this.call('PATCH', `/api/groups/${groupId}`, { nightDefaults: { startTime: '23:59', closeBeforeMinutes: 0 } });
  }
  createInvite(groupId: string) {
    return this.call<{ code: string; url: string }>('POST', `/api/groups/${groupId}/invites`, { expiresInHours: 48 });
  }
  acceptInvite(code: string) {
    return this.call<{ groupId: string }>('POST', `/api/invites/${code}/accept`);
  }
  suggest(groupId: string, gameName: string, date?: string) {
    return this.call<{ id: string; votes: number | null }>('POST', `/api/groups/${groupId}/suggestions`, {
      gameName,
      ...(date ? { date } : {}),
    });
  }
  vote(suggestionId: string) {
    return this.call('POST', `/api/suggestions/${suggestionId}/votes`);
  }
  unvote(suggestionId: string) {
    return this.call('DELETE', `/api/suggestions/${suggestionId}/votes`);
  }
  rsvp(groupId: string, date: string, status: 'in' | 'maybe' | 'out') {
    return this.call('PUT', `/api/groups/${groupId}/nights/${date}/rsvp`, { status });
  }
  closeNight(groupId: string, date: string) {
    return this.call('POST', `/api/groups/${groupId}/nights/${date}/close`);
  }
  /** A ranked night's ballot, best first (`[]` withdraws it). */
  ballot(groupId: string, date: string, ranking: string[]) {
    return this.call<{ date: string; ranking: string[] }>('PUT', `/api/groups/${groupId}/nights/${date}/ballot`, { ranking });
  }
  myBallot(groupId: string, date: string) {
    return this.call<{ date: string; ranking: string[] }>('GET', `/api/groups/${groupId}/nights/${date}/ballot`);
  }
  veto(suggestionId: string) {
    return this.call<{ suggestionId: string; vetoedBy: { id: string }[] }>('POST', `/api/suggestions/${suggestionId}/veto`);
  }
  unveto(suggestionId: string) {
    return this.call('DELETE', `/api/suggestions/${suggestionId}/veto`);
  }
}

/** One person of a seeded group: the browser context whose cookie jar holds their session, and who they are. */
export interface CrewMember {
  context: BrowserContext;
  user: SeedUser;
}

/**
 * The usual start of a spec: the owner and every friend register (each in their own context), the owner
 * creates the group (`keepNightOpen` unless told otherwise) and one invite, and every friend accepts it.
 */
export async function seedCrew(
  baseUrl: string,
  owner: CrewMember,
  friends: readonly CrewMember[],
  group: { name: string; timezone?: string; keepNightOpen?: boolean },
): Promise<{ groupId: string; owner: Seed; friends: Seed[] }> {
  const o = new Seed(owner.context, baseUrl);
  const fs = friends.map((f) => new Seed(f.context, baseUrl));
  await o.register(owner.user);
  for (const [i, f] of fs.entries()) await f.register(friends[i]!.user);
  const groupId = (await o.createGroup(group.name, group.timezone)).id;
  if (group.keepNightOpen ?? true) await o.keepNightOpen(groupId);
  const { code } = await o.createInvite(groupId);
  for (const f of fs) await f.acceptInvite(code);
  return { groupId, owner: o, friends: fs };
}
