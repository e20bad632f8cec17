/** Reading invites and shaping them for the API. Codes are looked up by their SHA-256, never stored in clear. */
import type { z } from '@hono/zod-openapi';
import { InviteAcceptedSchema, InvitePreviewSchema, InviteSchema } from '@queuecrew/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { sha256 } from '../../lib/crypto.ts';

export { InviteSchema, InvitePreviewSchema, InviteAcceptedSchema };

export type InviteRow = typeof schema.invites.$inferSelect;

/** A code is base64url; anything else cannot be one of ours and is answered 404 without a lookup. */
export const CODE_RE = /^[A-Za-z0-9_-]{16,128}$/;

export type InviteDto = z.infer<typeof InviteSchema>;

export const inviteAad = (groupId: string) => `invite:${groupId}`;

/** Listed invites are never revoked (revoked ones are not listed); the rest is active, expired or used up. */
export function inviteStatus(invite: InviteRow, now: Date): 'active' | 'expired' | 'used_up' {
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used_up';
  if (invite.expiresAt !== null && invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return isUsable(invite, now) ? 'active' : 'expired';
}

/** The one rule for whether an invite can be used now: not revoked, not expired, not used up. */
export function isUsable(invite: InviteRow, now: Date): boolean {
  if (invite.revokedAt !== null) return false;
  if (invite.expiresAt !== null && invite.expiresAt.getTime() <= now.getTime()) return false;
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return false;
  return true;
}

export function toInviteDto(invite: InviteRow, cipher: FieldCipher, appUrl: string, now: Date): InviteDto {
  const code = cipher.decrypt(invite.codeEnc, inviteAad(invite.groupId));
  return {
    id: invite.id,
    code,
    url: `${appUrl}/invite/${code}`,
    expiresAt: invite.expiresAt?.toISOString() ?? null,
    maxUses: invite.maxUses,
    uses: invite.uses,
    createdAt: invite.createdAt.toISOString(),
    active: isUsable(invite, now),
    status: inviteStatus(invite, now),
  };
}

export async function findInviteByCode(db: Db | Tx, code: string): Promise<InviteRow | undefined> {
  if (!CODE_RE.test(code)) return undefined;
  return db
    .select()
    .from(schema.invites)
    .where(eq(schema.invites.codeHash, sha256(code)))
    .get();
}

/** The group's invites that have not been revoked, newest first. */
export async function listInvites(db: Db, groupId: string): Promise<InviteRow[]> {
  return db
    .select()
    .from(schema.invites)
    .where(and(eq(schema.invites.groupId, groupId), isNull(schema.invites.revokedAt)))
    .orderBy(desc(schema.invites.createdAt))
    .all();
}

/** An invite of this group (an id from another group is simply not found). */
export async function findInviteInGroup(db: Db | Tx, groupId: string, inviteId: string): Promise<InviteRow | undefined> {
  return db
    .select()
    .from(schema.invites)
    .where(and(eq(schema.invites.id, inviteId), eq(schema.invites.groupId, groupId)))
    .get();
}

/**
 * Whether an invite code is usable now (invite-only registration, by email or Discord). Codes are
 * unique by hash, so this is `isUsable` applied to the code's invite; an unknown code is not usable.
 */
export async function inviteCodeIsUsable(db: Db | Tx, code: string, now: Date): Promise<boolean> {
  const invite = await db
    .select()
    .from(schema.invites)
    .where(eq(schema.invites.codeHash, sha256(code)))
    .get();
  return invite !== undefined && isUsable(invite, now);
}
