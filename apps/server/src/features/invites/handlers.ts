/** Thin handlers: parse → policy → data/mutations → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import { constraintCode } from '../../db/client.ts';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';
import { notFound } from '../../lib/errors.ts';
import { findGroup, findMember, memberCountOf, publishEvents, requireMember, requireRole } from '../groups/index.ts';
import { CODE_RE, findInviteByCode, findInviteInGroup, isUsable, listInvites as listInviteRows, toInviteDto } from './data.ts';
import { acceptInvite as acceptInviteTx, insertInvite, revokeInvite as revokeInviteTx } from './mutations.ts';
import type * as routes from './routes.ts';

const DEFAULT_EXPIRY_HOURS = 24 * 7;
const inviteNotFound = () => notFound('This invite link');

export const createInvite: RouteHandler<typeof routes.createInvite, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  const { database, fieldCipher, config, clock } = c.get('services');
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (input.expiresInHours ?? DEFAULT_EXPIRY_HOURS) * 3600_000);
  const invite = await database
    .write(async (tx) => {
      const row = await insertInvite(tx, fieldCipher, { groupId, createdBy: me.userId, expiresAt, maxUses: input.maxUses ?? null, now });
      await auditRequest(
        c,
        {
          type: 'invite_created',
          userId: me.userId,
          groupId,
          detail: { inviteId: row.id, expiresAt: expiresAt.toISOString(), maxUses: row.maxUses },
        },
        tx,
      );
      return row;
    })
    .catch((e: unknown) => {
      // The group was deleted between the membership check and the insert.
      if (constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound('This group');
      throw e;
    });
  return c.json(toInviteDto(invite, fieldCipher, config.appUrl, now), 201);
};

export const listInvites: RouteHandler<typeof routes.listInvites, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  const { database, fieldCipher, config, clock } = c.get('services');
  const now = clock.now();
  const rows = await listInviteRows(database.db, groupId);
  return c.json(
    rows.map((r) => toInviteDto(r, fieldCipher, config.appUrl, now)),
    200,
  );
};

export const revokeInvite: RouteHandler<typeof routes.revokeInvite, AppEnv> = async (c) => {
  const { groupId, inviteId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  const { database, clock } = c.get('services');
  const invite = await findInviteInGroup(database.db, groupId, inviteId);
  if (!invite) throw inviteNotFound();
  // Revoking twice is harmless: the second call changes nothing and records nothing.
  if (invite.revokedAt === null) {
    await database.write(async (tx) => {
      await revokeInviteTx(tx, inviteId, clock.now());
      await auditRequest(c, { type: 'invite_revoked', userId: me.userId, groupId, detail: { inviteId } }, tx);
    });
  }
  return c.body(null, 204);
};

/**
 * Open to visitors (PRODUCT.md: a visitor may preview an invite): it shows only the group's name and
 * member count, to whoever holds the unguessable code, and is the same answer for everyone.
 */
export const previewInvite: RouteHandler<typeof routes.previewInvite, AppEnv> = async (c) => {
  const { code } = c.req.valid('param');
  const { database, clock } = c.get('services');
  const invite = await findInviteByCode(database.db, code);
  if (!invite || !isUsable(invite, clock.now())) throw inviteNotFound();
  const group = await findGroup(database.db, invite.groupId);
  if (!group) throw inviteNotFound();
  return c.json(
    { groupName: group.name, memberCount: await memberCountOf(database.db, group.id), expiresAt: invite.expiresAt?.toISOString() ?? null },
    200,
  );
};

export const acceptInvite: RouteHandler<typeof routes.acceptInvite, AppEnv> = async (c) => {
  const auth = requireUser(c);
  const { code } = c.req.valid('param');
  if (!CODE_RE.test(code)) throw inviteNotFound();
  const { database, clock } = c.get('services');
  const result = await database.write(async (tx) => {
    const r = await acceptInviteTx(tx, sha256(code), auth.userId, clock.now());
    if (r?.joined) await auditRequest(c, { type: 'invite_accepted', userId: auth.userId, groupId: r.groupId }, tx);
    return r;
  });
  if (!result) throw inviteNotFound();
  if (result.joined) {
    const member = await findMember(database.db, result.groupId, auth.userId);
    if (member) await publishEvents(c, [{ type: 'member_joined', groupId: result.groupId, data: member }]);
  }
  return c.json({ groupId: result.groupId, role: result.role }, 200);
};
