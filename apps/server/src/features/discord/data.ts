/** Reads for Discord accounts and invites. */
import { and, eq, isNull } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';

export async function findUserByDiscordId(db: Db | Tx, discordId: string) {
  return db.select().from(schema.users).where(eq(schema.users.discordId, discordId)).get();
}

export async function findUserById(db: Db | Tx, id: string) {
  return db.select().from(schema.users).where(eq(schema.users.id, id)).get();
}

export async function findSession(db: Db | Tx, id: string) {
  return db.select().from(schema.sessions).where(eq(schema.sessions.id, id)).get();
}

/** Whether an invite code is usable now (same rule as registration: not revoked, expired or used up). */
export async function inviteIsUsable(db: Db | Tx, code: string, now = Date.now()): Promise<boolean> {
  const invite = await db
    .select()
    .from(schema.invites)
    .where(and(eq(schema.invites.codeHash, sha256(code)), isNull(schema.invites.revokedAt)))
    .get();
  if (!invite) return false;
  if (invite.expiresAt && invite.expiresAt.getTime() <= now) return false;
  return invite.maxUses === null || invite.uses < invite.maxUses;
}
