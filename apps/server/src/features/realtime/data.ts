/**
 * The queries the live-updates socket needs: is this user a member of that group (on subscribe), and
 * which of the open sockets' sessions and subscriptions are still valid (the periodic sweep). Roles are
 * irrelevant here: any member may follow a group's events.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { schema, type Db } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { isSessionLive } from '../auth/index.ts';

/** SQLite limits bound parameters; sweeps query in chunks of this many ids. */
const CHUNK = 400;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export type SubscribeCheck = 'member' | 'not_member' | 'session_ended';

/**
 * One query: the caller's session (still live, user not disabled) and their membership of `groupId`.
 * Checking the session here too means a revoked session cannot subscribe in the moments before the
 * revocation reaches this instance.
 */
export async function checkSubscribe(db: Db, config: Config, sessionId: string, userId: string, groupId: string): Promise<SubscribeCheck> {
  const row = await db
    .select({ session: schema.sessions, disabledAt: schema.users.disabledAt, role: schema.memberships.role })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .leftJoin(schema.memberships, and(eq(schema.memberships.userId, schema.sessions.userId), eq(schema.memberships.groupId, groupId)))
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId)))
    .get();
  if (!row || row.disabledAt !== null || !isSessionLive(row.session, config)) return 'session_ended';
  return row.role ? 'member' : 'not_member';
}

/** Of the given session ids, those that are still live (not revoked, not expired, user enabled). */
export async function liveSessionIds(db: Db, config: Config, sessionIds: string[]): Promise<Set<string>> {
  const live = new Set<string>();
  const now = Date.now();
  for (const ids of chunks(sessionIds)) {
    const rows = await db
      .select({ session: schema.sessions, disabledAt: schema.users.disabledAt })
      .from(schema.sessions)
      .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
      .where(inArray(schema.sessions.id, ids));
    for (const r of rows) if (r.disabledAt === null && isSessionLive(r.session, config, now)) live.add(r.session.id);
  }
  return live;
}

/** Of the given users, the (groupId, userId) memberships that exist, as `groupId userId` keys. */
export async function membershipKeys(db: Db, userIds: string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const ids of chunks(userIds)) {
    const rows = await db
      .select({ groupId: schema.memberships.groupId, userId: schema.memberships.userId })
      .from(schema.memberships)
      .where(inArray(schema.memberships.userId, ids));
    for (const r of rows) keys.add(membershipKey(r.groupId, r.userId));
  }
  return keys;
}

export const membershipKey = (groupId: string, userId: string) => `${groupId} ${userId}`;
