/** Thin handlers: parse → policy → data/mutations → respond. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { AppError, notFound, unauthorized } from '../../lib/errors.ts';
import { publishAfterCommit, type ControlMessage } from '../../lib/hub.ts';
import { getRegistrationPolicy } from '../../lib/settings.ts';
import { inviteCodeIsUsable } from '../invites/index.ts';
import { findUserByEmail, getUser, toUserDto, usernameTaken, usernameTakenError } from '../users/index.ts';
import { anyAccountExists, findResetTokenUser, isUnrevokedSessionOf, liveSessionsOf, unusedRecoveryCodeCount } from './data.ts';
import {
  deleteRecoveryCodes,
  disableTotp,
  enableTotp,
  insertPasswordUser,
  replaceRecoveryCodes,
  revokeSessionsOf,
  setPasswordHash,
  storePendingTotpSecret,
} from './mutations.ts';
import { decideRegistration, registrationRefused, requireStrongPassword } from './policy.ts';
import type * as routes from './routes.ts';
import {
  clearSessionCookies,
  createSession,
  issueSessionCookies,
  readRefreshCookie,
  revokeSession,
  rotateRefreshToken,
} from './sessions.ts';
import { consumeResetToken, pruneExpiredResetTokens } from './password-reset.ts';
import { checkSecondFactor } from './second-factor.ts';
import { assertLoginAllowed, recordLoginFailure, recordLoginSuccess } from './lockout.ts';
import { generateRecoveryCodes, matchingStep, newTotpSecret, totpAad, verifySecondFactor } from './totp.ts';
import { accountKey, limit, RULES } from '../../lib/rate-limit.ts';

type H<R extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<R, AppEnv>;

/**
 * Tells every instance to close the live sockets of sessions that just ended. Called only after the
 * revocation committed; a failure (Redis away) is logged, not turned into an error, because the write
 * stands and the sockets' periodic re-check closes them anyway.
 */
async function endLiveSessions(c: Context<AppEnv>, message: ControlMessage): Promise<void> {
  await publishAfterCommit(c.get('services').hub, c.get('logger'), [], [message]);
}

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'That email and password do not match an account. Check them and try again.');

export const register: H<typeof routes.register> = async (c) => {
  const input = c.req.valid('json');
  const services = c.get('services');
  await limit(c, RULES.registerAccount, accountKey(input.email));
  const { config, database } = services;
  const facts = {
    email: input.email,
    adminEmails: config.adminEmails,
    firstAccount: !(await anyAccountExists(database.db)),
    policy: await getRegistrationPolicy(services),
    invited: input.inviteCode ? await inviteCodeIsUsable(database.db, input.inviteCode, new Date()) : false,
  };
  const { refusal } = decideRegistration(facts);
  if (refusal) throw registrationRefused(refusal);
  requireStrongPassword(input.password, [input.email, input.username], 'password');

  const passwordHash = await hashPassword(input.password);
  const meta = { ip: c.get('ip'), userAgent: c.req.header('user-agent') };
  const result = await database.write(async (tx) => {
    if (await findUserByEmail(tx, input.email)) return undefined;
    if (await usernameTaken(tx, input.username)) throw usernameTakenError();
    const { isInstanceAdmin } = decideRegistration({ ...facts, firstAccount: !(await anyAccountExists(tx)) });
    const user = await insertPasswordUser(tx, { email: input.email, username: input.username, passwordHash, isInstanceAdmin });
    const session = await createSession(tx, config, user.id, meta);
    await auditRequest(c, { type: 'register', userId: user.id }, tx);
    return { user, session };
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
    if (result.reason === 'reused' && result.sessionId) await endLiveSessions(c, { type: 'session_revoked', sessionId: result.sessionId });
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
  const revoked = await database.write(async (tx) => {
    let sessionId = auth?.sessionId;
    if (!sessionId && token) {
      const r = await rotateRefreshToken(tx, config, token);
      sessionId = r.sessionId;
    }
    if (sessionId) {
      await revokeSession(tx, sessionId, 'logout');
      await auditRequest(c, { type: 'logout', userId: auth?.userId ?? null, detail: { sessionId } }, tx);
    }
    return sessionId;
  });
  if (revoked) await endLiveSessions(c, { type: 'session_revoked', sessionId: revoked });
  clearSessionCookies(c);
  c.header('Clear-Site-Data', '"cookies", "storage"');
  return c.body(null, 204);
};

export const listSessions: H<typeof routes.listSessions> = async (c) => {
  const auth = requireUser(c);
  const { database, config } = c.get('services');
  return c.json(await liveSessionsOf(database.db, auth.userId, auth.sessionId, config.session.idleTtlSeconds, Date.now()), 200);
};

export const revokeOneSession: H<typeof routes.revokeOneSession> = async (c) => {
  const auth = requireUser(c);
  const { id } = c.req.valid('param');
  const { database } = c.get('services');
  const done = await database.write(async (tx) => {
    if (!(await isUnrevokedSessionOf(tx, id, auth.userId))) return false;
    await revokeSession(tx, id, 'revoked_by_user');
    await auditRequest(c, { type: 'session_revoked', userId: auth.userId, detail: { sessionId: id } }, tx);
    return true;
  });
  if (!done) throw notFound('This session');
  await endLiveSessions(c, { type: 'session_revoked', sessionId: id });
  if (id === auth.sessionId) clearSessionCookies(c);
  return c.body(null, 204);
};

export const revokeOtherSessions: H<typeof routes.revokeOtherSessions> = async (c) => {
  const auth = requireUser(c);
  const { database } = c.get('services');
  await database.write(async (tx) => {
    await revokeSessionsOf(tx, auth.userId, 'signed_out_everywhere', new Date(), auth.sessionId);
    await auditRequest(c, { type: 'sessions_revoked_all', userId: auth.userId }, tx);
  });
  await endLiveSessions(c, { type: 'user_sessions_revoked', userId: auth.userId, exceptSessionId: auth.sessionId });
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
  requireStrongPassword(input.newPassword, [user.email ?? '', user.username], 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await database.write(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, new Date());
    await revokeSessionsOf(tx, user.id, 'password_changed', new Date(), auth.sessionId);
    await auditRequest(c, { type: 'password_changed', userId: user.id }, tx);
  });
  await endLiveSessions(c, { type: 'user_sessions_revoked', userId: user.id, exceptSessionId: auth.sessionId });
  return c.body(null, 204);
};

const resetLinkInvalid = () =>
  new AppError(
    400,
    'reset_link_invalid',
    'This reset link does not work: it was already used, it expired (links last 24 hours), or a newer link replaced it. Ask your admin for a new one.',
  );

export const resetPassword: H<typeof routes.resetPassword> = async (c) => {
  const { token, newPassword } = c.req.valid('json');
  const { database, clock } = c.get('services');
  const now = clock.now();
  // Read first (without using it up) so that a too-weak password can be corrected with the same link.
  const user = await findResetTokenUser(database.db, token, now);
  if (!user) throw resetLinkInvalid();
  requireStrongPassword(newPassword, [user.email ?? '', user.username], 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  const done = await database.write(async (tx) => {
    // The conditional update decides: of two concurrent uses only one finds the token unused.
    const used = await consumeResetToken(tx, token, now);
    if (used?.userId !== user.id) return false;
    await setPasswordHash(tx, user.id, passwordHash, now);
    // Every session is signed out, the current one included: none is proven to be the owner's.
    await revokeSessionsOf(tx, user.id, 'password_reset', now);
    await pruneExpiredResetTokens(tx, now);
    await auditRequest(c, { type: 'password_reset_used', userId: user.id }, tx);
    return true;
  });
  if (!done) throw resetLinkInvalid();
  await endLiveSessions(c, { type: 'user_sessions_revoked', userId: user.id });
  if (c.get('auth')?.userId === user.id) clearSessionCookies(c);
  return c.body(null, 204);
};

const totpAlreadyOn = () =>
  new AppError(409, 'totp_already_enabled', 'Two-factor sign-in is already on. Turn it off first to move to a new authenticator app.');

export const twoFactorSetup: H<typeof routes.twoFactorSetup> = async (c) => {
  const auth = requireUser(c);
  const { database, fieldCipher } = c.get('services');
  const user = await getUser(database.db, auth.userId);
  if (user.totpEnabled) throw totpAlreadyOn();
  const { secret, otpauthUrl } = newTotpSecret(user.email ?? user.username);
  // The pending seed is stored encrypted at once; it only takes effect when /2fa/enable confirms a code.
  const stored = await database.write((tx) =>
    storePendingTotpSecret(tx, user.id, fieldCipher.encrypt(secret, totpAad(user.id)), new Date()),
  );
  if (!stored) throw totpAlreadyOn();
  return c.json({ otpauthUrl, secret }, 200);
};

export const twoFactorEnable: H<typeof routes.twoFactorEnable> = async (c) => {
  const auth = requireUser(c);
  const { code } = c.req.valid('json');
  const { database, fieldCipher } = c.get('services');
  const user = await getUser(database.db, auth.userId);
  if (user.totpEnabled) throw totpAlreadyOn();
  const pending = user.totpSecretEnc;
  if (!pending)
    throw new AppError(409, 'totp_setup_required', 'Start two-factor set-up first (POST /api/auth/2fa/setup), then enter a code.');
  const step = matchingStep(fieldCipher.decrypt(pending, totpAad(user.id)), code);
  if (step === undefined) {
    throw new AppError(400, 'invalid_input', 'That code is not right.', {
      code: 'Enter the current 6-digit code from your authenticator app; check that the phone clock is right.',
    });
  }
  const recoveryCodes = generateRecoveryCodes();
  const enabled = await database.write(async (tx) => {
    // Only the seed that was confirmed is enabled (a concurrent /2fa/setup would have replaced it).
    if (!(await enableTotp(tx, user.id, pending, step, new Date()))) return false;
    await replaceRecoveryCodes(tx, user.id, recoveryCodes);
    await auditRequest(c, { type: 'totp_enabled', userId: user.id }, tx);
    return true;
  });
  if (!enabled) throw new AppError(409, 'totp_setup_changed', 'Two-factor set-up changed meanwhile. Start set-up again.');
  return c.json({ recoveryCodes }, 200);
};

export const twoFactorDisable: H<typeof routes.twoFactorDisable> = async (c) => {
  const auth = requireUser(c);
  const input = c.req.valid('json');
  const { database } = c.get('services');
  const user = await getUser(database.db, auth.userId);
  if (!user.totpEnabled) throw new AppError(409, 'totp_not_enabled', 'Two-factor sign-in is not on.');
  // A fresh proof is required: a code (TOTP, replay-protected, or a recovery code, used up) or the password.
  const method = input.code !== undefined ? 'code' : 'password';
  const ok =
    input.code !== undefined
      ? await verifySecondFactor(c, user, input.code)
      : user.passwordHash !== null && input.password !== undefined && (await verifyPassword(user.passwordHash, input.password));
  if (!ok) {
    throw new AppError(400, 'invalid_input', 'That did not confirm it is you.', {
      [method]:
        method === 'code' ? 'Enter a current code from your authenticator app, or an unused recovery code.' : 'Your password is not right.',
    });
  }
  await database.write(async (tx) => {
    await disableTotp(tx, user.id, new Date());
    await deleteRecoveryCodes(tx, user.id);
    await auditRequest(c, { type: 'totp_disabled', userId: user.id, detail: { method } }, tx);
  });
  return c.body(null, 204);
};

export const recoveryCodesStatus: H<typeof routes.recoveryCodesStatus> = async (c) => {
  const auth = requireUser(c);
  const { database } = c.get('services');
  return c.json({ left: await unusedRecoveryCodeCount(database.db, auth.userId) }, 200);
};

export const recoveryCodesRegenerate: H<typeof routes.recoveryCodesRegenerate> = async (c) => {
  const auth = requireUser(c);
  const { password } = c.req.valid('json');
  const { database } = c.get('services');
  await limit(c, RULES.twoFactorUser, auth.userId);
  const user = await getUser(database.db, auth.userId);
  if (!user.totpEnabled) throw new AppError(409, 'totp_not_enabled', 'Two-factor sign-in is not on.');
  if (user.passwordHash === null) {
    throw new AppError(409, 'password_required', 'Add a password to your account first: new recovery codes need it.');
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError(400, 'invalid_input', 'That did not confirm it is you.', { password: 'Your password is not right.' });
  }
  const recoveryCodes = generateRecoveryCodes();
  await database.write(async (tx) => {
    await replaceRecoveryCodes(tx, user.id, recoveryCodes);
    await auditRequest(c, { type: 'recovery_codes_regenerated', userId: user.id }, tx);
  });
  return c.json({ recoveryCodes }, 200);
};
