/** Reads for Discord accounts. */
import { eq } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';

export async function findUserByDiscordId(db: Db | Tx, discordId: string) {
  return db.select().from(schema.users).where(eq(schema.users.discordId, discordId)).get();
}

export async function findUserById(db: Db | Tx, id: string) {
  return db.select().from(schema.users).where(eq(schema.users.id, id)).get();
}

export async function findSession(db: Db | Tx, id: string) {
  return db.select().from(schema.sessions).where(eq(schema.sessions.id, id)).get();
}
