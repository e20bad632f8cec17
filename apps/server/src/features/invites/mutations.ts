/** Writes for invites; each runs inside the caller's `database.write()` transaction. */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { inviteAad, isUsable, type InviteRow } from './data.ts';

/** 24 random bytes = 192 bits: far beyond guessing, short enough to paste. */
export const INVITE_CODE_BYTES = 24;

export async function insertInvite(
  tx: Tx,
  cipher: FieldCipher,
  input: { groupId: string; createdBy: string; expiresAt: Date | null; maxUses: number | null; now: Date },
): Promise<InviteRow> {
  const code = newToken(INVITE_CODE_BYTES);
  const [invite] = await tx
    .insert(schema.invites)
    .values({
      id: newId(),
      groupId: input.groupId,
      codeHash: sha256(code),
      codeEnc: cipher.encrypt(code, inviteAad(input.groupId)),
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
      maxUses: input.maxUses,
      createdAt: input.now,
    })
    .returning();
  return invite!;
}

export async function revokeInvite(tx: Tx, inviteId: string, now: Date): Promise<void> {
  await tx
    .update(schema.invites)
    .set({ revokedAt: now })
    .where(and(eq(schema.invites.id, inviteId), isNull(schema.invites.revokedAt)));
}

export interface AcceptResult {
  groupId: string;
  role: 'owner' | 'admin' | 'member';
  /** False when the caller was already a member (nothing changed). */
  joined: boolean;
}

/**
 * Accepts inside one write transaction: an existing member gets their current role (no use is
 * counted); otherwise the use counter is incremented only while it is below maxUses (checked by the
 * UPDATE itself, so two people racing for the last use cannot both get in), then the member is added.
 */
export async function acceptInvite(tx: Tx, codeHash: string, userId: string, now: Date): Promise<AcceptResult | undefined> {
  const invite = await tx.select().from(schema.invites).where(eq(schema.invites.codeHash, codeHash)).get();
  if (!invite || !isUsable(invite, now)) return undefined;
  const existing = await tx
    .select({ role: schema.memberships.role })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.groupId, invite.groupId), eq(schema.memberships.userId, userId)))
    .get();
  if (existing) return { groupId: invite.groupId, role: existing.role, joined: false };
  const counted = await tx
    .update(schema.invites)
    .set({ uses: sql`${schema.invites.uses} + 1` })
    .where(
      and(
        eq(schema.invites.id, invite.id),
        isNull(schema.invites.revokedAt),
        or(isNull(schema.invites.maxUses), lt(schema.invites.uses, schema.invites.maxUses)),
      ),
    )
    .returning({ id: schema.invites.id });
  if (counted.length !== 1) return undefined;
  await tx.insert(schema.memberships).values({ groupId: invite.groupId, userId, role: 'member', joinedAt: now });
  return { groupId: invite.groupId, role: 'member', joined: true };
}
