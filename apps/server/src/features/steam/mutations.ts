/** Writes for Steam linking; each runs inside the caller's `database.write()` transaction. */
import { and, eq, isNull, lt } from 'drizzle-orm';
import { constraintCode, schema, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { SteamRefused } from './openid.ts';

export const STATE_TTL_MS = 10 * 60_000;

/** Stores a new single-use state (hashed) for `userId`. */
export async function insertState(tx: Tx, state: string, userId: string, returnTo: string, now: Date): Promise<void> {
  await tx.insert(schema.steamOpenidStates).values({
    stateHash: sha256(state),
    userId,
    returnTo,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  // Expired states are of no use to anyone.
  await tx.delete(schema.steamOpenidStates).where(lt(schema.steamOpenidStates.expiresAt, now));
}

/**
 * Uses the state once: it must be ours (its hash is stored), unused, unexpired, and belong to the signed-in
 * user. Returns where to send the user back to.
 */
export async function consumeState(tx: Tx, state: string, userId: string, now: Date): Promise<string> {
  const row = await tx
    .select()
    .from(schema.steamOpenidStates)
    .where(eq(schema.steamOpenidStates.stateHash, sha256(state)))
    .get();
  if (!row || row.usedAt !== null || row.expiresAt <= now || row.userId !== userId) throw new SteamRefused('state');
  const used = await tx
    .update(schema.steamOpenidStates)
    .set({ usedAt: now })
    .where(and(eq(schema.steamOpenidStates.stateHash, row.stateHash), isNull(schema.steamOpenidStates.usedAt)))
    .returning({ h: schema.steamOpenidStates.stateHash });
  if (used.length !== 1) throw new SteamRefused('state');
  return row.returnTo;
}

/** Records the response nonce; a nonce seen before is a replay (the primary key is the judge). */
export async function useNonce(tx: Tx, nonce: string, now: Date): Promise<void> {
  try {
    await tx.insert(schema.steamOpenidNonces).values({ nonce, seenAt: now });
  } catch (e) {
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new SteamRefused('replayed');
    throw e;
  }
  // Nonces older than the acceptance window cannot be replayed anyway (they are refused as expired).
  await tx.delete(schema.steamOpenidNonces).where(lt(schema.steamOpenidNonces.seenAt, new Date(now.getTime() - 60 * 60_000)));
}

export async function linkSteam(tx: Tx, userId: string, steamId: string): Promise<void> {
  try {
    await tx.update(schema.users).set({ steamId }).where(eq(schema.users.id, userId));
  } catch (e) {
    // users_steam_id_unique: this Steam account is linked to another QueueCrew account.
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') throw new SteamRefused('in_use');
    throw e;
  }
}

/** Unlinking deletes the Steam id and the ownership marks Steam made. */
export async function unlinkSteam(tx: Tx, userId: string): Promise<void> {
  await tx.update(schema.users).set({ steamId: null }).where(eq(schema.users.id, userId));
  await tx.delete(schema.gameOwners).where(and(eq(schema.gameOwners.userId, userId), eq(schema.gameOwners.source, 'steam')));
}
