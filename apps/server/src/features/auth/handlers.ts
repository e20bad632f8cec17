/** Thin handlers: parse → policy → data/mutations → respond. */
import type { RouteHandler } from '@hono/zod-openapi';
import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { AppError, notFound, unauthorized } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { getRegistrationPolicy } from '../../lib/settings.ts';
import { findUserByEmail, getUser, toUserDto } from '../users/index.ts';
import { passwordWeakness } from './password-policy.ts';
import type * as routes from './routes.ts';
import {
  clearSessionCookies,
  createSession,
  issueSessionCookies,
  readRefreshCookie,
  revokeSession,
  rotateRefreshToken,
} from './sessions.ts';
import { inviteCodeIsValid } from './invite-check.ts';
import { checkSecondFactor } from './second-factor.ts';
import { assertLoginAllowed, recordLoginFailure, recordLoginSuccess } from './lockout.ts';
import { accountKey, limit, RULES } from '../../lib/rate-limit.ts';

type H<R extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<R, AppEnv>;

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'That email and password do not match an account. Check them and try again.');

export const register: H<typeof routes.register> = async (c) => {
  const input = c.req.valid('json');
  const services = c.get('services');
  await limit(c, RULES.registerAccount, accountKey(input.email));
  const policy = await getRegistrationPolicy(services);
  if (policy === 'closed') {
    throw new AppError(403, 'registration_closed', 'This QueueCrew instance is not accepting new accounts. Ask its administrator.');
  }
  if (policy === 'invite-only' && !(input.inviteCode && (await inviteCodeIsValid(services, input.inviteCode)))) {
    throw new AppError(403, 'invite_required', 'Registration here needs an invite link. Ask a friend for one and open it first.');
  }
  const weak = passwordWeakness(input.password, [input.email, input.username]);
  if (weak) throw new AppError(400, 'invalid_input', 'Choose a stronger password.', { password: weak });

  const passwordHash = await hashPassword(input.password);
  const { config, database } = services;
  const meta = { ip: c.get('ip'), userAgent: c.req.header('user-agent') };
  const result = await database.write(async (tx) => {
    if (await findUserByEmail(tx, input.email)) return undefined;
    const anyUser = await tx.select({ id: schema.users.id }).from(schema.users).limit(1).get();
    const id = newId();
    const [user] = await tx
      .insert(schema.users)
      .values({
        id,
        email: input.email,
        username: input.username,
        passwordHash,
        isInstanceAdmin: !anyUser || config.adminEmails.includes(input.email),
      })
      .returning();
    const session = await createSession(tx, config, id, meta);
    await auditRequest(c, { type: 'register', userId: id }, tx);
    return { user: user!, session };
  });
  if (!result) throw new AppError(409, 'email_taken', 'An account with this email already exists. Sign in instead, or use another email.');
  await issueSessionCookies(c, result.user.id, result.session.sessionId, result.session.refreshToken);
  return c.json({ user: toUserDto(result.user) }, 201);
};

export const login: H<typeof routes.login> = async (c) => {
  const input = c.req.valid('json');
  const services = c.get('services');
  const { config, database } = services;
  // Locked accounts are refused before the password is even checked: a lock must stop guessing.
  await assertLoginAllowed(c, input.email);
  const user = await findUserByEmail(database.db, input.email);
  // Same work and the same answer whether or not the account exists.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !user.passwordHash || !ok || user.disabledAt !== null) {
    await recordLoginFailure(c, input.email, user?.id ?? null, 'credentials');
    throw invalidCredentials();
  }
  if (user.totpEnabled) {
    const second = await checkSecondFactor(c, user, input.totp);
    if (!second) {
      // A wrong code counts towards the lockout like a wrong password (the 6 digits are guessable);
      // no code at all is the normal first step of a two-step sign-in.
      if (input.totp) await recordLoginFailure(c, input.email, user.id, 'totp');
      throw new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
    }
  }
  const meta = { ip: c.get('ip'), userAgent: c.req.header('user-agent') };
  const session = await database.write(async (tx) => {
    const s = await createSession(tx, config, user.id, meta);
    await auditRequest(c, { type: 'login_succeeded', userId: user.id }, tx);
    return s;
  });
  await recordLoginSuccess(c, input.email);
  await issueSessionCookies(c, user.id, session.sessionId, session.refreshToken);
  return c.json({ user: toUserDto(user) }, 200);
};

export const refresh: H<typeof routes.refresh> = async (c) => {
  const token = readRefreshCookie(c);
  if (!token) throw unauthorized();
  const { database, config } = c.get('services');
  const result = await database.write(async (tx) => {
    const r = await rotateRefreshToken(tx, config, token);
    if (!r.ok && r.reason === 'reused') {
      await auditRequest(c, { type: 'refresh_reuse_detected', userId: r.userId ?? null, detail: { sessionId: r.sessionId } }, tx);
    }
    return r;
  });
  if (!result.ok) {
    clearSessionCookies(c);
    throw unauthorized();
  }
  await issueSessionCookies(c, result.userId, result.sessionId, result.refreshToken);
  const user = await getUser(database.db, result.userId);
  return c.json({ user: toUserDto(user) }, 200);
};

export const logout: H<typeof routes.logout> = async (c) => {
  const { database, config } = c.get('services');
  const auth = c.get('auth');
  const token = readRefreshCookie(c);
  await database.write(async (tx) => {
    let sessionId = auth?.sessionId;
    if (!sessionId && token) {
      const r = await rotateRefreshToken(tx, config, token);
      sessionId = r.sessionId;
    }
    if (sessionId) {
      await revokeSession(tx, sessionId, 'logout');
      await auditRequest(c, { type: 'logout', userId: auth?.userId ?? null, detail: { sessionId } }, tx);
    }
  });
  clearSessionCookies(c);
  c.header('Clear-Site-Data', '"cookies", "storage"');
  return c.body(null, 204);
};

export const listSessions: H<typeof routes.listSessions> = async (c) => {
  const auth = requireUser(c);
  const { database, config } = c.get('services');
  const now = Date.now();
  const rows = await database.db
    .select()
    .from(schema.sessions)
    .where(
      and(
        eq(schema.sessions.userId, auth.userId),
        isNull(schema.sessions.revokedAt),
        gt(schema.sessions.expiresAt, new Date(now)),
        gt(schema.sessions.lastUsedAt, new Date(now - config.session.idleTtlSeconds * 1000)),
      ),
    )
    .orderBy(desc(schema.sessions.lastUsedAt));
  return c.json(
    rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
      current: s.id === auth.sessionId,
    })),
    200,
  );
};

export const revokeOneSession: H<typeof routes.revokeOneSession> = async (c) => {
  const auth = requireUser(c);
  const { id } = c.req.valid('param');
  const { database } = c.get('services');
  const done = await database.write(async (tx) => {
    const s = await tx
      .select({ id: schema.sessions.id })
      .from(schema.sessions)
      .where(and(eq(schema.sessions.id, id), eq(schema.sessions.userId, auth.userId), isNull(schema.sessions.revokedAt)))
      .get();
    if (!s) return false;
    await revokeSession(tx, id, 'revoked_by_user');
    await auditRequest(c, { type: 'session_revoked', userId: auth.userId, detail: { sessionId: id } }, tx);
    return true;
  });
  if (!done) throw notFound('This session');
  if (id === auth.sessionId) clearSessionCookies(c);
  return c.body(null, 204);
};

export const revokeOtherSessions: H<typeof routes.revokeOtherSessions> = async (c) => {
  const auth = requireUser(c);
  const { database } = c.get('services');
  await database.write(async (tx) => {
    await tx
      .update(schema.sessions)
      .set({ revokedAt: new Date(), revokedReason: 'signed_out_everywhere' })
      .where(and(eq(schema.sessions.userId, auth.userId), ne(schema.sessions.id, auth.sessionId), isNull(schema.sessions.revokedAt)));
    await auditRequest(c, { type: 'sessions_revoked_all', userId: auth.userId }, tx);
  });
  return c.body(null, 204);
};

export const changePassword: H<typeof routes.changePassword> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { database } = c.get('services');
  const user = await getUser(database.db, auth.userId);
  if (user.passwordHash) {
    if (!input.currentPassword || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new AppError(400, 'invalid_input', 'Your current password is not right.', { currentPassword: 'Enter your current password.' });
    }
  } else if (user.totpEnabled && !(await checkSecondFactor(c, user, input.totp))) {
    throw new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app to set a password.');
  }
  const weak = passwordWeakness(input.newPassword, [user.email ?? '', user.username]);
  if (weak) throw new AppError(400, 'invalid_input', 'Choose a stronger password.', { newPassword: weak });
  const passwordHash = await hashPassword(input.newPassword);
  await database.write(async (tx) => {
    await tx.update(schema.users).set({ passwordHash, updatedAt: new Date() }).where(eq(schema.users.id, user.id));
    await tx
      .update(schema.sessions)
      .set({ revokedAt: new Date(), revokedReason: 'password_changed' })
      .where(and(eq(schema.sessions.userId, user.id), ne(schema.sessions.id, auth.sessionId), isNull(schema.sessions.revokedAt)));
    await auditRequest(c, { type: 'password_changed', userId: user.id }, tx);
  });
  return c.body(null, 204);
};
