/** Queries for the instance-admin pages: accounts and the security event log, paged. */
import { z } from '@hono/zod-openapi';
import { AdminUserSchema, page, SecurityEventSchema } from '@queuecrew/shared';
import { and, count, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { schema, type Db } from '../../db/client.ts';

export { AdminUserSchema, SecurityEventSchema, page };

export type AdminUser = z.infer<typeof AdminUserSchema>;

export function toAdminUser(u: typeof schema.users.$inferSelect): AdminUser {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    isInstanceAdmin: u.isInstanceAdmin,
    twoFactorEnabled: u.totpEnabled,
    discordLinked: u.discordId !== null,
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

const limitParam = z.coerce.number().int().min(1, 'Use a limit from 1 to 100.').max(100, 'Use a limit from 1 to 100.').default(50);
const offsetParam = z.coerce.number().int().min(0, 'Offset cannot be negative.').max(1_000_000).default(0);

export const UsersQuery = z.object({
  q: z.string().trim().max(100, 'Search for at most 100 characters.').optional(),
  limit: limitParam,
  offset: offsetParam,
});

const instant = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'Use an ISO-8601 time, like 2026-11-26T00:00:00Z.' })
  .transform((v) => new Date(v));

export const EventsQuery = z.object({
  type: z
    .string()
    .max(40, 'Use an event type such as login_failed.')
    .regex(/^[a-z_]{1,40}$/, 'Use an event type such as login_failed.')
    .optional(),
  userId: z.string().min(1).max(64).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: limitParam,
  offset: offsetParam,
});

/** LIKE with the user's text taken literally (% and _ escaped). */
function contains(column: SQL | typeof schema.users.username, text: string): SQL {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return sql`lower(${column}) LIKE ${pattern} ESCAPE '\\'`;
}

export async function listUsers(db: Db, q: z.infer<typeof UsersQuery>) {
  const where = q.q ? or(contains(schema.users.username, q.q), contains(sql`coalesce(${schema.users.email}, '')`, q.q)) : undefined;
  const rows = await db
    .select()
    .from(schema.users)
    .where(where)
    .orderBy(desc(schema.users.createdAt), schema.users.id)
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(schema.users).where(where);
  return { items: rows.map(toAdminUser), total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}

export async function listSecurityEvents(db: Db, q: z.infer<typeof EventsQuery>) {
  const e = schema.securityEvents;
  const conditions = [
    q.type ? eq(e.type, q.type) : undefined,
    q.userId ? eq(e.userId, q.userId) : undefined,
    q.from ? gte(e.createdAt, q.from) : undefined,
    q.to ? lt(e.createdAt, q.to) : undefined,
  ].filter((x): x is SQL => x !== undefined);
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await db
    .select({ event: e, username: schema.users.username })
    .from(e)
    .leftJoin(schema.users, eq(schema.users.id, e.userId))
    .where(where)
    .orderBy(desc(e.createdAt), desc(e.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(e).where(where);
  return {
    items: rows.map(({ event: r, username }) => ({
      id: r.id,
      type: r.type,
      userId: r.userId,
      username: username ?? null,
      subject: r.subject,
      groupId: r.groupId,
      ip: r.ip,
      userAgent: r.userAgent,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      createdAt: r.createdAt.toISOString(),
    })),
    total: total?.n ?? 0,
    limit: q.limit,
    offset: q.offset,
  };
}
