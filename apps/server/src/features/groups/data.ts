/** Reading groups and members, and shaping them for the API. */
import type { z } from '@hono/zod-openapi';
import { GroupDetailSchema, GroupListItemSchema, GroupSchema, MemberSchema, NightDefaultsSchema, RoleSchema } from '@queuecrew/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { preparedFor, schema, type Db, type Tx } from '../../db/client.ts';

export { RoleSchema, MemberSchema, NightDefaultsSchema, GroupSchema, GroupDetailSchema, GroupListItemSchema };

export type Role = 'owner' | 'admin' | 'member';

// The path parameters shared by every group route (defined in lib/openapi.ts, re-exported for invites).
export { GroupParams, idParam } from '../../lib/openapi.ts';

export type MemberDto = z.infer<typeof MemberSchema>;

export type NightDefaultsDto = z.infer<typeof NightDefaultsSchema>;

export type GroupDto = z.infer<typeof GroupSchema>;

export type GroupRow = typeof schema.groups.$inferSelect;

export function nightDefaultsOf(g: GroupRow): NightDefaultsDto {
  return {
    startTime: g.nightStartTime,
    closeBeforeMinutes: g.nightCloseBeforeMinutes,
    tieBreak: g.nightTieBreak,
    resultsVisibility: g.nightResultsVisibility,
    reminderBeforeMinutes: g.nightReminderBeforeMinutes,
    method: g.nightMethod,
    vetoes: g.nightVetoes,
  };
}

/** The group as every member sees it, without the caller's role (used for live events). */
export function toGroupEventData(g: GroupRow) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    timezone: g.timezone,
    createdAt: g.createdAt.toISOString(),
    nightDefaults: nightDefaultsOf(g),
  };
}

export function toGroupDto(g: GroupRow, role: Role): GroupDto {
  return { ...toGroupEventData(g), role };
}

/** Read on every group and vote request, so prepared once. */
const groupById = preparedFor((db) =>
  db
    .select()
    .from(schema.groups)
    .where(eq(schema.groups.id, sql.placeholder('groupId')))
    .prepare(),
);

export async function findGroup(db: Db | Tx, groupId: string): Promise<GroupRow | undefined> {
  return groupById(db).get({ groupId });
}

/** Owner first, then admins, then members; within a role, longest-standing first. */
const roleOrder = sql`CASE ${schema.memberships.role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;

const memberColumns = {
  id: schema.users.id,
  username: schema.users.username,
  avatarUrl: schema.users.avatarUrl,
  role: schema.memberships.role,
};

export async function listMembers(db: Db | Tx, groupId: string): Promise<MemberDto[]> {
  return db
    .select(memberColumns)
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(eq(schema.memberships.groupId, groupId))
    .orderBy(roleOrder, asc(schema.memberships.joinedAt), asc(schema.users.username))
    .all();
}

export async function findMember(db: Db | Tx, groupId: string, userId: string): Promise<MemberDto | undefined> {
  return db
    .select(memberColumns)
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(and(eq(schema.memberships.groupId, groupId), eq(schema.memberships.userId, userId)))
    .get();
}

/** The caller's groups (whole rows) with their role and the member count, in one query. */
export async function listGroupsOf(db: Db, userId: string) {
  const memberCount = sql<number>`(SELECT count(*) FROM ${schema.memberships} m2 WHERE m2.group_id = ${schema.groups.id})`;
  return db
    .select({ group: schema.groups, role: schema.memberships.role, memberCount })
    .from(schema.memberships)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.memberships.groupId))
    .where(eq(schema.memberships.userId, userId))
    .orderBy(sql`${schema.groups.name} COLLATE NOCASE`, asc(schema.groups.createdAt))
    .all();
}

export async function memberCountOf(db: Db | Tx, groupId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(schema.memberships)
    .where(eq(schema.memberships.groupId, groupId))
    .get();
  return row?.n ?? 0;
}
