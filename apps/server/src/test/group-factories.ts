/**
 * Group factories for tests: groups and members are created through the real endpoints (create group,
 * create invite, accept invite), so every row is exactly what the API would write.
 */
import { randomBytes } from 'node:crypto';
import { schema } from '../db/client.ts';
import { createSession } from '../features/auth/index.ts';
import { newId } from '../lib/ids.ts';
import { addDays, dayInTimezone } from '../lib/time.ts';
import type { TestApp } from './create-test-app.ts';
import type { TestUser } from './factories.ts';

export interface TestGroup {
  id: string;
  name: string;
  timezone: string;
}

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what} failed: ${res.status} ${await res.text()}`);
}

export async function createGroup(
  t: Pick<TestApp, 'request'>,
  owner: TestUser,
  body: { name?: string; description?: string; timezone?: string } = {},
): Promise<TestGroup> {
  const res = await t.request('/api/groups', { json: { name: 'Friday crew', ...body }, cookie: owner.cookie });
  await expectStatus(res, 201, 'create group');
  return (await res.json()) as TestGroup;
}

/** Creates an invite as `admin` and returns its code. */
export async function createInviteCode(
  t: Pick<TestApp, 'request'>,
  groupId: string,
  admin: TestUser,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.request(`/api/groups/${groupId}/invites`, { json: body, cookie: admin.cookie });
  await expectStatus(res, 201, 'create invite');
  return ((await res.json()) as { code: string }).code;
}

/** Adds `users` to the group through one invite, then gives them `role` (as the owner). */
export async function addMembers(
  t: Pick<TestApp, 'request'>,
  groupId: string,
  owner: TestUser,
  users: TestUser[],
  role: 'member' | 'admin' = 'member',
): Promise<void> {
  const code = await createInviteCode(t, groupId, owner);
  for (const u of users) {
    await expectStatus(await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: u.cookie }), 200, 'accept invite');
    if (role === 'admin') {
      const res = await t.request(`/api/groups/${groupId}/members/${u.id}`, { method: 'PATCH', json: { role }, cookie: owner.cookie });
      await expectStatus(res, 200, 'promote');
    }
  }
}

/**
 * Many signed-in users at once, for load-shaped tests: rows are written directly and sessions are made
 * by the auth feature's own createSession + token service, skipping argon2 hashing (these users never
 * sign in with a password). The cookie is exactly the access cookie the auth endpoints would set.
 */
export async function createSignedInUsers(t: TestApp, count: number): Promise<TestUser[]> {
  const { database, config, tokens } = t.services;
  const rows = Array.from({ length: count }, () => {
    const suffix = randomBytes(6).toString('hex');
    return { id: newId(), email: `crowd_${suffix}@example.test`, username: `crowd_${suffix}`, usernameKey: `crowd_${suffix}` };
  });
  const sessions = await database.write(async (tx) => {
    await tx.insert(schema.users).values(rows);
    const out: Array<{ sessionId: string; refreshToken: string }> = [];
    for (const r of rows) out.push(await createSession(tx, config, r.id, { ip: '127.0.0.1', userAgent: 'vitest' }));
    return out;
  });
  return Promise.all(
    rows.map(async (r, i) => {
      const { sessionId, refreshToken } = sessions[i]!;
      const accessToken = await tokens.sign({ userId: r.id, sessionId });
      return { ...r, password: '', cookie: `qc_access=${accessToken}`, accessToken, refreshToken };
    }),
  );
}

/**
 * A date whose game night takes suggestions whatever the time of day: tomorrow in `timezone` (tonight's
 * voting closes at 19:30 by default, so "today" is closed in the evening). For tests about something else.
 */
export function openDay(timezone = 'UTC', now: Date = new Date()): string {
  return addDays(dayInTimezone(timezone, now), 1);
}
