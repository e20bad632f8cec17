/** Reading users and shaping them for the API. */
import { eq } from 'drizzle-orm';
import { z } from '@hono/zod-openapi';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    discordLinked: z.boolean(),
    twoFactorEnabled: z.boolean(),
    hasPassword: z.boolean(),
    isInstanceAdmin: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');
export type UserDto = z.infer<typeof UserSchema>;

export function toUserDto(u: typeof schema.users.$inferSelect): UserDto {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    avatarUrl: u.avatarUrl,
    discordLinked: u.discordId !== null,
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
