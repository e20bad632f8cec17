/** Reading users and shaping them for the API. */
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from '@hono/zod-openapi';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { ActivitySchema, UserExportSchema, usernameKey, UserSchema } from '@queuecrew/shared';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';

export { UserSchema, ActivitySchema, UserExportSchema };

export type UserDto = z.infer<typeof UserSchema>;

export function toUserDto(u: typeof schema.users.$inferSelect): UserDto {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    avatarUrl: u.avatarUrl,
    discordLinked: u.discordId !== null,
    steamLinked: u.steamId !== null,
    twoFactorEnabled: u.totpEnabled,
    hasPassword: u.passwordHash !== null,
    isInstanceAdmin: u.isInstanceAdmin,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function getUser(db: Db | Tx, id: string) {
  const u = await db.select().from(schema.users).where(eq(schema.users.id, id)).get();
  if (!u) throw notFound('This account');
  return u;
}

export async function findUserByEmail(db: Db | Tx, email: string) {
  return db.select().from(schema.users).where(eq(schema.users.email, email)).get();
}

export const ActivityQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a number from 1 to 200.' })
    .int()
    .min(1, { message: 'limit must be at least 1.' })
    .max(200, { message: 'limit must be at most 200.' })
    .default(50),
  before: z.iso
    .datetime({ message: 'before must be an ISO-8601 time, e.g. the `at` of the last event you received.' })
    .max(40, { message: 'before must be an ISO-8601 time, e.g. the `at` of the last event you received.' })
    .optional(),
});

/** The caller's security events, newest first, `limit` at a time, strictly older than `before`. */
export async function listActivity(db: Db, userId: string, limit: number, before?: string) {
  const rows = await db
    .select()
    .from(schema.securityEvents)
    .where(
      before
        ? and(eq(schema.securityEvents.userId, userId), lt(schema.securityEvents.createdAt, new Date(before)))
        : eq(schema.securityEvents.userId, userId),
    )
    .orderBy(desc(schema.securityEvents.createdAt), desc(schema.securityEvents.id))
    .limit(limit);
  return rows.map((e) => ({ type: e.type, at: e.createdAt.toISOString(), ip: e.ip, userAgent: e.userAgent }));
}

/** Whether another account already uses this name (case-insensitive, NFKC: see usernameKey). */
export async function usernameTaken(db: Db | Tx, username: string, exceptUserId?: string): Promise<boolean> {
  const row = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.usernameKey, usernameKey(username)))
    .get();
  return row !== undefined && row.id !== exceptUserId;
}

/** A free username from `base` (base, base_2, base_3, …), trimmed to 32 characters. */
export async function freeUsername(db: Db | Tx, base: string): Promise<string> {
  if (!(await usernameTaken(db, base))) return base;
  for (let n = 2; n < 1000; n++) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, 32 - suffix.length)}${suffix}`;
    if (!(await usernameTaken(db, candidate))) return candidate;
  }
  return `${base.slice(0, 23)}_${newId().slice(0, 8)}`;
}

export const usernameTakenError = () =>
  new AppError(
    409,
    'username_taken',
    'This username is taken (names that differ only in capitals count as the same). Choose another one.',
    {
      username: 'This username is taken. Choose another one.',
    },
  );
