/** Thin handlers for Discord sign-in and linking: parse → check → data/mutations → redirect. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { constraintCode, schema } from '../../db/client.ts';
import { auditRequest } from '../../lib/audit.ts';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { safeEqual } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { limit, RULES } from '../../lib/rate-limit.ts';
import { getRegistrationPolicy } from '../../lib/settings.ts';
import type { Services } from '../../services.ts';
import { checkSecondFactor, createSession, decideRegistration, isSessionLive, issueSessionCookies } from '../auth/index.ts';
import { getUser, toUserDto } from '../users/index.ts';
import { findSession, findUserByDiscordId, findUserById } from './data.ts';
import { inviteCodeIsUsable } from '../invites/index.ts';
import { createDiscordUser, linkDiscord, refreshDiscordAvatar, unlinkDiscord } from './mutations.ts';
import {
  authorizeUrl,
  DiscordExchangeError,
  exchangeAndFetchUser,
  newFlowSecrets,
  OAUTH_COOKIE_PATH,
  OAUTH_TTL_SECONDS,
  oauthCookieName,
  PENDING_2FA_TTL_SECONDS,
  pending2faCookieName,
  safeReturnTo,
  sealFlowState,
  sealPendingSecondFactor,
  stateHandle,
  unsealFlowState,
  unsealPendingSecondFactor,
  UsedStates,
  type DiscordConfig,
} from './oauth.ts';
import type * as routes from './routes.ts';

type H<R extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<R, AppEnv>;

/** The error codes the web app's /sign-in page explains (each with a "try again" button). */
export type DiscordErrorCode =
  | 'discord_denied'
  | 'discord_state'
  | 'discord_failed'
  | 'discord_taken'
  | 'registration_closed'
  | 'invite_required'
  | 'account_disabled'
  | 'discord_link_signed_out';

const usedStatesByServices = new WeakMap<Services, UsedStates>();
function usedStates(services: Services): UsedStates {
  let s = usedStatesByServices.get(services);
  if (!s) {
    s = new UsedStates();
    usedStatesByServices.set(services, s);
  }
  return s;
}

function requireDiscord(services: Services): DiscordConfig {
  const cfg = services.config.discord;
  if (!cfg) {
    throw new AppError(
      404,
      'discord_not_configured',
      'Discord sign-in is not set up on this instance. Sign in with email and password, or ask the administrator to set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET.',
    );
  }
  return cfg;
}

function clearFlowCookie(c: Context<AppEnv>) {
  const { config } = c.get('services');
  deleteCookie(c, oauthCookieName(config), { path: OAUTH_COOKIE_PATH, secure: config.isHttps, httpOnly: true, sameSite: 'Lax' });
}

/** Redirects to the sign-in page with an error code (and the returnTo, so "try again" lands in the same place). */
function failTo(c: Context<AppEnv>, code: DiscordErrorCode, returnTo = '/', linking = false) {
  const target = new URLSearchParams({ error: code });
  if (returnTo !== '/') target.set('returnTo', returnTo);
  if (linking) target.set('link', '1');
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.redirect(`/sign-in?${target.toString()}`, 302);
}

export const authConfig: H<typeof routes.authConfig> = async (c) => {
  const services = c.get('services');
  return c.json(
    {
      discord: services.config.discord !== undefined,
      registration: await getRegistrationPolicy(services),
      discordInstallUrl: services.config.discordInteractions?.installUrl ?? null,
    },
    200,
  );
};

export const startDiscord: H<typeof routes.startDiscord> = async (c) => {
  const services = c.get('services');
  const cfg = requireDiscord(services);
  const query = c.req.valid('query');
  const returnTo = safeReturnTo(query.returnTo, services.config.appOrigin);
  const linking = query.link !== undefined;
  const auth = c.get('auth');
  if (linking && !auth) return failTo(c, 'discord_link_signed_out', returnTo, true);
  const { state, verifier } = newFlowSecrets();
  const sealed = sealFlowState(services.config.session.secret, {
    state,
    verifier,
    returnTo,
    ...(linking && auth ? { linkUserId: auth.userId, linkSessionId: auth.sessionId } : {}),
    ...(query.invite ? { invite: query.invite } : {}),
    expiresAt: Date.now() + OAUTH_TTL_SECONDS * 1000,
  });
  // Lax (not Strict): the callback is a top-level navigation coming from discord.com.
  setCookie(c, oauthCookieName(services.config), sealed, {
    httpOnly: true,
    secure: services.config.isHttps,
    sameSite: 'Lax',
    path: OAUTH_COOKIE_PATH,
    maxAge: OAUTH_TTL_SECONDS,
  });
  c.header('Cache-Control', 'no-store');
  return c.redirect(await authorizeUrl(cfg, state, verifier), 302);
};

export const discordCallback: H<typeof routes.discordCallback> = async (c) => {
  const services = c.get('services');
  const { config, database, logger } = services;
  const cfg = requireDiscord(services);
  const query = c.req.valid('query');
  const flow = unsealFlowState([config.session.secret, ...config.session.previousSecrets], getCookie(c, oauthCookieName(config)));
  // The state cookie is single-use whatever the outcome.
  clearFlowCookie(c);
  const returnTo = flow?.returnTo ?? '/';
  const linking = flow?.linkUserId !== undefined;

  if (query.error) {
    logger.info({ discordError: query.error.slice(0, 64) }, 'discord authorization not granted');
    return failTo(c, query.error === 'access_denied' ? 'discord_denied' : 'discord_failed', returnTo, linking);
  }
  if (!flow || !query.state || !safeEqual(query.state, flow.state)) {
    logger.warn(
      { hasCookie: flow !== undefined, hasState: query.state !== undefined, alert: 'oauth_state_mismatch' },
      'discord callback with a bad state',
    );
    return failTo(c, 'discord_state', returnTo, linking);
  }
  if (!usedStates(services).use(stateHandle(flow.state), flow.expiresAt)) {
    logger.warn({ alert: 'oauth_state_replay' }, 'discord callback replayed');
    return failTo(c, 'discord_state', returnTo, linking);
  }
  if (!query.code) return failTo(c, 'discord_failed', returnTo, linking);

  let discordUser;
  try {
    discordUser = await exchangeAndFetchUser(config, cfg, new URL(c.req.url), flow.state, flow.verifier);
  } catch (e) {
    if (!(e instanceof DiscordExchangeError)) throw e;
    logger.warn({ reason: e.reason, error: e.message }, 'discord code exchange failed');
    return failTo(c, 'discord_failed', returnTo, linking);
  }

  const meta = { ip: c.get('ip'), userAgent: c.req.header('user-agent') };

  if (flow.linkUserId !== undefined) {
    // Link only for the very account that started it, and only while the session that asked is still
    // signed in. The access cookie may have expired during the consent screen (it lives 10 minutes and the
    // refresh cookie is SameSite=Strict, so it is not sent on the way back from discord.com): then the
    // session named in the sealed cookie must still be live.
    const auth = c.get('auth');
    const linkUserId = flow.linkUserId;
    const stillSignedIn = auth
      ? auth.userId === linkUserId
      : await findSession(database.db, flow.linkSessionId ?? '').then(
          (s) => s !== undefined && s.userId === linkUserId && isSessionLive(s, config),
        );
    if (!stillSignedIn) return failTo(c, 'discord_link_signed_out', returnTo, true);
    let result;
    try {
      result = await database.write(async (tx) => {
        const r = await linkDiscord(tx, linkUserId, discordUser);
        if (r.ok && r.changed)
          await auditRequest(c, { type: 'discord_linked', userId: linkUserId, detail: { discordId: discordUser.id } }, tx);
        return r;
      });
    } catch (e) {
      if (constraintCode(e) !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      result = { ok: false as const, reason: 'taken' as const };
    }
    if (!result.ok) return failTo(c, result.reason === 'taken' ? 'discord_taken' : 'discord_link_signed_out', returnTo, true);
    c.header('Cache-Control', 'no-store');
    return c.redirect(returnTo, 302);
  }

  const policy = await getRegistrationPolicy(services);
  const inviteOk = flow.invite ? await inviteCodeIsUsable(database.db, flow.invite, new Date()) : false;
  const outcome = await database.write(async (tx) => {
    let user = await findUserByDiscordId(tx, discordUser.id);
    if (user) {
      if (user.disabledAt !== null) return { ok: false as const, error: 'account_disabled' as const, userId: user.id };
      await refreshDiscordAvatar(tx, user, discordUser);
      // Discord proves who you are on Discord; an account with 2FA still asks for its second factor.
      if (user.totpEnabled) return { ok: 'pending' as const, userId: user.id };
    } else {
      const firstAccount = !(await tx.select({ id: schema.users.id }).from(schema.users).limit(1).get());
      const decision = decideRegistration({ email: null, adminEmails: config.adminEmails, firstAccount, policy, invited: inviteOk });
      if (decision.refusal) return { ok: false as const, error: decision.refusal, userId: null };
      user = await createDiscordUser(tx, discordUser, decision.isInstanceAdmin);
      await auditRequest(c, { type: 'register', userId: user.id, detail: { method: 'discord' } }, tx);
      await auditRequest(c, { type: 'discord_linked', userId: user.id, detail: { discordId: discordUser.id } }, tx);
    }
    const session = await createSession(tx, config, user.id, meta);
    await auditRequest(c, { type: 'login_succeeded', userId: user.id, detail: { method: 'discord' } }, tx);
    return { ok: true as const, userId: user.id, session };
  });
  if (!outcome.ok) {
    if (outcome.error === 'account_disabled') {
      await c
        .get('services')
        .database.write((tx) =>
          auditRequest(c, { type: 'login_failed', userId: outcome.userId, detail: { reason: 'disabled', method: 'discord' } }, tx),
        );
    }
    return failTo(c, outcome.error, returnTo);
  }
  if (outcome.ok === 'pending') {
    setCookie(
      c,
      pending2faCookieName(config),
      sealPendingSecondFactor(config.session.secret, {
        userId: outcome.userId,
        returnTo,
        expiresAt: Date.now() + PENDING_2FA_TTL_SECONDS * 1000,
      }),
      { httpOnly: true, secure: config.isHttps, sameSite: 'Strict', path: OAUTH_COOKIE_PATH, maxAge: PENDING_2FA_TTL_SECONDS },
    );
    const target = new URLSearchParams({ step: 'discord-2fa' });
    if (returnTo !== '/') target.set('returnTo', returnTo);
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/sign-in?${target.toString()}`, 302);
  }
  services.metrics.logins.inc({ result: 'ok' });
  await issueSessionCookies(c, outcome.userId, outcome.session.sessionId, outcome.session.refreshToken);
  c.header('Cache-Control', 'no-store');
  return c.redirect(returnTo, 302);
};

export const discordSecondFactor: H<typeof routes.discordSecondFactor> = async (c) => {
  const services = c.get('services');
  const { config, database } = services;
  const { totp } = c.req.valid('json');
  await limit(c, RULES.twoFactorIp, c.get('ip'));
  const cookieName = pending2faCookieName(config);
  const pending = unsealPendingSecondFactor([config.session.secret, ...config.session.previousSecrets], getCookie(c, cookieName));
  const expired = () => new AppError(401, 'discord_2fa_expired', 'This sign-in has expired. Choose "Continue with Discord" again.');
  if (!pending) throw expired();
  await limit(c, RULES.twoFactorUser, pending.userId);
  const user = await findUserById(database.db, pending.userId);
  if (!user || user.disabledAt !== null) {
    deleteCookie(c, cookieName, { path: OAUTH_COOKIE_PATH, secure: config.isHttps, httpOnly: true, sameSite: 'Strict' });
    throw expired();
  }
  if (user.totpEnabled && !(await checkSecondFactor(c, user, totp))) {
    services.metrics.logins.inc({ result: 'failed' });
    await services.database.write((tx) =>
      auditRequest(c, { type: 'login_failed', userId: user.id, detail: { reason: 'totp', method: 'discord' } }, tx),
    );
    throw new AppError(
      401,
      'totp_required',
      'That code is not right. Enter the current 6-digit code from your authenticator app, or a recovery code.',
    );
  }
  const meta = { ip: c.get('ip'), userAgent: c.req.header('user-agent') };
  const session = await database.write(async (tx) => {
    const s = await createSession(tx, config, user.id, meta);
    await auditRequest(c, { type: 'login_succeeded', userId: user.id, detail: { method: 'discord', secondFactor: true } }, tx);
    return s;
  });
  services.metrics.logins.inc({ result: 'ok' });
  deleteCookie(c, cookieName, { path: OAUTH_COOKIE_PATH, secure: config.isHttps, httpOnly: true, sameSite: 'Strict' });
  await issueSessionCookies(c, user.id, session.sessionId, session.refreshToken);
  return c.json({ user: toUserDto(user), returnTo: pending.returnTo }, 200);
};

export const unlinkDiscordHandler: H<typeof routes.unlinkDiscord> = async (c) => {
  const auth = requireUser(c);
  const { database } = c.get('services');
  const user = await database.write(async (tx) => {
    const me = await getUser(tx, auth.userId);
    if (me.discordId === null) return me;
    if (me.passwordHash === null) {
      throw new AppError(
        409,
        'password_required',
        'Set a password first (Settings → Password), so you can still sign in after unlinking Discord.',
      );
    }
    if (me.email === null) {
      // Password sign-in needs an email; a Discord-only account has none, so unlinking would lock it out.
      throw new AppError(
        409,
        'email_required',
        'This account has no email address to sign in with, so Discord is its only way in and cannot be unlinked.',
      );
    }
    await unlinkDiscord(tx, me);
    await auditRequest(c, { type: 'discord_unlinked', userId: me.id, detail: { discordId: me.discordId } }, tx);
    return getUser(tx, me.id);
  });
  return c.json({ user: toUserDto(user) }, 200);
};
