/**
 * Who may administer the instance: a signed-in, enabled user whose row says isInstanceAdmin, read from
 * the database on every request. Anyone else gets 404 (the admin API does not reveal that it exists),
 * and the attempt is recorded as a security event.
 */
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { auditRefusal } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';

export async function requireInstanceAdmin(c: Context<AppEnv>): Promise<{ userId: string; sessionId: string }> {
  const auth = requireUser(c);
  const { database } = c.get('services');
  const row = await database.db
    .select({ isInstanceAdmin: schema.users.isInstanceAdmin, disabledAt: schema.users.disabledAt })
    .from(schema.users)
    .where(eq(schema.users.id, auth.userId))
    .get();
  if (!row?.isInstanceAdmin || row.disabledAt !== null) {
    await auditRefusal(c, { userId: auth.userId, detail: { area: 'admin', method: c.req.method, path: c.req.path } });
    throw notFound('This endpoint');
  }
  return auth;
}
