/**
 * GDPR/CCPA data export: everything QueueCrew stores about the caller, and about other people only the
 * usernames of fellow members in groups the caller shares with them. No secrets: password hash, TOTP
 * seed, refresh-token hashes and recovery-code hashes are described (set / not set, how many) but
 * never exported, because an export file is easily forwarded and would otherwise be a credential.
 */
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { schema, type Db } from '../../db/client.ts';
import { getUser, toUserDto } from './data.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Keys in an audit-event `detail` that may name another person; dropped from the export. */
const OTHER_PERSON_KEYS = /user|member|target|by|email|username/i;

function ownDetail(detail: string | null, userId: string): Record<string, unknown> | null {
  if (!detail) return null;
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => !OTHER_PERSON_KEYS.test(k) || v === userId));
  } catch {
    return null;
  }
}

export async function buildExport(db: Db, userId: string) {
  const user = await getUser(db, userId);
  const memberships = await db
    .select({
      groupId: schema.memberships.groupId,
      role: schema.memberships.role,
      joinedAt: schema.memberships.joinedAt,
      groupName: schema.groups.name,
    })
    .from(schema.memberships)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.memberships.groupId))
    .where(eq(schema.memberships.userId, userId))
    .orderBy(schema.memberships.joinedAt);
  const groupIds = memberships.map((m) => m.groupId);
  const fellows =
    groupIds.length === 0
      ? []
      : await db
          .select({ groupId: schema.memberships.groupId, username: schema.users.username })
          .from(schema.memberships)
          .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
          .where(and(inArray(schema.memberships.groupId, groupIds), ne(schema.memberships.userId, userId)))
          .orderBy(schema.users.username);
  const suggestions = await db
    .select({ s: schema.suggestions, groupName: schema.groups.name })
    .from(schema.suggestions)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.suggestions.groupId))
    .where(eq(schema.suggestions.suggestedBy, userId))
    .orderBy(schema.suggestions.createdAt);
  const votes = await db
    .select({ v: schema.votes, s: schema.suggestions, groupName: schema.groups.name })
    .from(schema.votes)
    .innerJoin(schema.suggestions, eq(schema.suggestions.id, schema.votes.suggestionId))
    .innerJoin(schema.groups, eq(schema.groups.id, schema.suggestions.groupId))
    .where(eq(schema.votes.userId, userId))
    .orderBy(schema.votes.createdAt);
  const sessions = await db.select().from(schema.sessions).where(eq(schema.sessions.userId, userId)).orderBy(schema.sessions.createdAt);
  const events = await db
    .select()
    .from(schema.securityEvents)
    .where(eq(schema.securityEvents.userId, userId))
    .orderBy(desc(schema.securityEvents.createdAt), desc(schema.securityEvents.id));
  const invites = await db
    .select({ i: schema.invites, groupName: schema.groups.name })
    .from(schema.invites)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.invites.groupId))
    .where(eq(schema.invites.createdBy, userId));
  const recovery = await db
    .select({ usedAt: schema.recoveryCodes.usedAt })
    .from(schema.recoveryCodes)
    .where(eq(schema.recoveryCodes.userId, userId));

  return {
    format: 'queuecrew-export' as const,
    version: 1,
    exportedAt: new Date().toISOString(),
    profile: {
      ...toUserDto(user),
      discordId: user.discordId,
      disabledAt: iso(user.disabledAt),
      updatedAt: iso(user.updatedAt),
      recoveryCodesRemaining: recovery.filter((r) => r.usedAt === null).length,
    },
    memberships: memberships.map((m) => ({
      groupId: m.groupId,
      groupName: m.groupName,
      role: m.role,
      joinedAt: iso(m.joinedAt),
      fellowMembers: fellows.filter((f) => f.groupId === m.groupId).map((f) => f.username),
    })),
    suggestions: suggestions.map(({ s, groupName }) => ({
      id: s.id,
      groupId: s.groupId,
      groupName,
      date: s.day,
      gameName: s.gameName,
      createdAt: iso(s.createdAt),
    })),
    votes: votes.map(({ v, s, groupName }) => ({
      suggestionId: v.suggestionId,
      groupId: s.groupId,
      groupName,
      date: s.day,
      gameName: s.gameName,
      createdAt: iso(v.createdAt),
    })),
    invitesCreated: invites.map(({ i, groupName }) => ({
      id: i.id,
      groupId: i.groupId,
      groupName,
      createdAt: iso(i.createdAt),
      expiresAt: iso(i.expiresAt),
      maxUses: i.maxUses,
      uses: i.uses,
      revokedAt: iso(i.revokedAt),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      expiresAt: iso(s.expiresAt),
      revokedAt: iso(s.revokedAt),
      revokedReason: s.revokedReason,
      userAgent: s.userAgent,
      ip: s.ip,
    })),
    securityEvents: events.map((e) => ({
      type: e.type,
      at: iso(e.createdAt),
      ip: e.ip,
      userAgent: e.userAgent,
      groupId: e.groupId,
      detail: ownDetail(e.detail, userId),
    })),
  };
}
