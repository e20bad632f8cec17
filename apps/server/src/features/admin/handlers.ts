/** Thin handlers: admin check → data/mutations → audit → respond. */
import type { RouteHandler } from '@hono/zod-openapi';
import { auditRequest, subjectOf } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { publishAfterCommit } from '../../lib/hub.ts';
import { AppError } from '../../lib/errors.ts';
import { getRegistrationPolicy, setSetting } from '../../lib/settings.ts';
import { deleteAccount, getUser } from '../users/index.ts';
import * as data from './data.ts';
import { resetLinkUrl } from '../auth/index.ts';
import { issuePasswordReset, setDisabled } from './mutations.ts';
import { requireInstanceAdmin } from './policy.ts';
import type * as routes from './routes.ts';

type H<R extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<R, AppEnv>;

export const getSettings: H<typeof routes.getSettings> = async (c) => {
  await requireInstanceAdmin(c);
  return c.json({ registration: await getRegistrationPolicy(c.get('services')) }, 200);
};

export const putSettings: H<typeof routes.putSettings> = async (c) => {
  const admin = await requireInstanceAdmin(c);
  const { registration } = c.req.valid('json');
  const services = c.get('services');
  const before = await getRegistrationPolicy(services);
  await services.database.write(async (tx) => {
    await setSetting(tx, 'registration', registration);
    await auditRequest(c, { type: 'registration_policy_changed', userId: admin.userId, detail: { from: before, to: registration } }, tx);
  });
  return c.json({ registration }, 200);
};

export const listUsers: H<typeof routes.listUsers> = async (c) => {
  await requireInstanceAdmin(c);
  return c.json(await data.listUsers(c.get('services').database.db, c.req.valid('query')), 200);
};

function toggle(disabled: boolean): H<typeof routes.disableUser> {
  return async (c) => {
    const admin = await requireInstanceAdmin(c);
    const { id } = c.req.valid('param');
    const { database, hub } = c.get('services');
    const user = await database.write(async (tx) => {
      const u = await setDisabled(tx, admin.userId, id, disabled);
      await auditRequest(c, { type: disabled ? 'account_disabled' : 'account_enabled', userId: id, detail: { adminId: admin.userId } }, tx);
      return u;
    });
    // After the commit: open WebSockets of the disabled account close too.
    if (disabled) {
      await publishAfterCommit(hub, c.get('logger'), [], [{ type: 'user_sessions_revoked', userId: id }]);
    }
    return c.json(data.toAdminUser(user), 200);
  };
}
export const disableUser = toggle(true);
export const enableUser = toggle(false);

export const createPasswordResetLink: H<typeof routes.createPasswordResetLink> = async (c) => {
  const admin = await requireInstanceAdmin(c);
  const { id } = c.req.valid('param');
  const { database, clock, config } = c.get('services');
  const { token, expiresAt } = await database.write(async (tx) => {
    const issued = await issuePasswordReset(tx, admin.userId, id, clock.now());
    // Neither the token nor its hash goes into the log: the admin's id and the expiry do.
    await auditRequest(
      c,
      { type: 'password_reset_link_created', userId: id, detail: { adminId: admin.userId, expiresAt: issued.expiresAt.toISOString() } },
      tx,
    );
    return issued;
  });
  return c.json({ url: resetLinkUrl(config.appUrl, token), expiresAt: expiresAt.toISOString() }, 201);
};

export const deleteUser: H<typeof routes.deleteUser> = async (c) => {
  const admin = await requireInstanceAdmin(c);
  const { id } = c.req.valid('param');
  if (id === admin.userId) {
    throw new AppError(409, 'cannot_change_self', 'You cannot delete your own account here. Use "Delete my account" in your settings.');
  }
  const { database, hub, config } = c.get('services');
  const outcome = await database.write(async (tx) => {
    const target = await getUser(tx, id);
    // The same erasure as self-service deletion, so the result does not depend on who asked for it.
    const result = await deleteAccount(tx, id, target.username, {
      ip: c.get('ip'),
      userAgent: c.req.header('user-agent') ?? null,
      auditSecret: config.session.secret,
    });
    // The deleted account's own event is pseudonymous; this one names the admin who did it.
    await auditRequest(
      c,
      {
        type: 'account_deleted',
        userId: admin.userId,
        detail: { by: 'instance_admin', targetSubject: subjectOf(config.session.secret, id) },
      },
      tx,
    );
    return result;
  });
  await publishAfterCommit(hub, c.get('logger'), outcome.events, outcome.controls);
  return c.body(null, 204);
};

export const listSecurityEvents: H<typeof routes.listSecurityEvents> = async (c) => {
  await requireInstanceAdmin(c);
  return c.json(await data.listSecurityEvents(c.get('services').database.db, c.req.valid('query')), 200);
};
