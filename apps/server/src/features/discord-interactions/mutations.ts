/** Writes of the Discord interactions feature; each runs inside the caller's `database.write()` transaction. */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { findLinkCode, groupOfChannel, normalizeCode } from './data.ts';

export const LINK_CODE_TTL_MS = 10 * 60_000;
/** Handled interaction ids are kept this long: far beyond the 5-minute signature window. */
export const INTERACTION_KEEP_MS = 24 * 3600_000;

/**
 * Records the interaction id; false when it was handled already (a retry, or a second instance got it
 * too). Called first inside the write transaction that applies the interaction's effect, so the id and
 * the effect commit together or not at all.
 */
export async function claimInteraction(tx: Tx, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .insert(schema.discordInteractions)
    .values({ id, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: schema.discordInteractions.id });
  // Old ids can go: a request older than 5 minutes is refused by the signature check anyway.
  await tx
    .delete(schema.discordInteractions)
    .where(lt(schema.discordInteractions.receivedAt, new Date(now.getTime() - INTERACTION_KEEP_MS)));
  return rows.length === 1;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A new single-use code (60 random bits) for the group; earlier unused codes of the group stop working. */
export async function createLinkCode(tx: Tx, groupId: string, userId: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const bytes = randomBytes(12);
  const raw = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  const code = `QC-${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await tx.delete(schema.discordLinkCodes).where(and(eq(schema.discordLinkCodes.groupId, groupId), isNull(schema.discordLinkCodes.usedAt)));
  await tx
    .insert(schema.discordLinkCodes)
    .values({ codeHash: sha256(normalizeCode(code)), groupId, createdBy: userId, expiresAt, createdAt: now });
  return { code, expiresAt };
}

export type BindResult =
  | { ok: true; groupId: string; replaced: { guildId: string; channelId: string } | null }
  | { ok: false; reason: 'bad_code' | 'channel_taken' };

/** Uses the code (once, before its expiry) to bind guild + channel to the code's group. */
export async function bindChannel(tx: Tx, code: string, guildId: string, channelId: string, now: Date): Promise<BindResult> {
  const row = await findLinkCode(tx, code);
  if (!row || row.usedAt !== null || row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'bad_code' };
  // Checked before the code is spent, so a mistake in the channel does not burn it.
  const taken = await groupOfChannel(tx, guildId, channelId);
  if (taken && taken.groupId !== row.groupId) return { ok: false, reason: 'channel_taken' };
  const used = await tx
    .update(schema.discordLinkCodes)
    .set({ usedAt: now })
    .where(and(eq(schema.discordLinkCodes.codeHash, row.codeHash), isNull(schema.discordLinkCodes.usedAt)))
    .returning({ codeHash: schema.discordLinkCodes.codeHash });
  if (used.length !== 1) return { ok: false, reason: 'bad_code' };
  const previous = await tx.delete(schema.discordChannels).where(eq(schema.discordChannels.groupId, row.groupId)).returning();
  await tx.insert(schema.discordChannels).values({ groupId: row.groupId, guildId, channelId, linkedBy: row.createdBy, createdAt: now });
  const before = previous[0];
  return {
    ok: true,
    groupId: row.groupId,
    replaced:
      before && (before.guildId !== guildId || before.channelId !== channelId)
        ? { guildId: before.guildId, channelId: before.channelId }
        : null,
  };
}

/** Unbinds the group's channel; the removed binding, if there was one. */
export async function unbindChannel(tx: Tx, groupId: string) {
  const rows = await tx.delete(schema.discordChannels).where(eq(schema.discordChannels.groupId, groupId)).returning();
  return rows[0];
}

/** Joins the user to the group as a member (no-op when already in); true when joined now. */
export async function joinAsMember(tx: Tx, groupId: string, userId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .insert(schema.memberships)
    .values({ groupId, userId, role: 'member', joinedAt: now })
    .onConflictDoNothing()
    .returning({ userId: schema.memberships.userId });
  return rows.length === 1;
}
