/** Whether an invite code is currently usable (for invite-only registration). */
import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import type { Services } from '../../services.ts';

export async function inviteCodeIsValid(services: Services, code: string): Promise<boolean> {
  const invite = await services.database.db
    .select()
    .from(schema.invites)
    .where(and(eq(schema.invites.codeHash, sha256(code)), isNull(schema.invites.revokedAt)))
    .get();
  if (!invite) return false;
  if (invite.expiresAt && invite.expiresAt.getTime() <= Date.now()) return false;
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return false;
  return true;
}
