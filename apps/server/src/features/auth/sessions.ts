/**
 * Sessions as the Copenhagen Book describes them: a short-lived access JWT plus an opaque refresh token
 * stored hashed, rotated on every use; presenting a rotated token again revokes the whole session.
 * Sessions end after 7 days idle or 30 days whatever happens.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { preparedFor, schema, type Db, type Tx } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { requestHeader } from '../../lib/request-headers.ts';
import type { AppEnv, AuthInfo } from '../../lib/context.ts';
import type { Services } from '../../services.ts';

export const ACCESS_COOKIE = 'qc_access';
export const REFRESH_COOKIE = 'qc_refresh';
const REFRESH_PATH = '/api/auth';

export function accessCookieName(config: Config): string {
  return config.isHttps ? `__Host-${ACCESS_COOKIE}` : ACCESS_COOKIE;
}
export function refreshCookieName(config: Config): string {
  return config.isHttps ? `__Secure-${REFRESH_COOKIE}` : REFRESH_COOKIE;
}

export interface SessionMeta {
  ip: string;
  userAgent: string | undefined;
}

/** Creates a session and its first refresh token inside the caller's transaction. */
export async function createSession(tx: Tx, config: Config, userId: string, meta: SessionMeta) {
  const now = Date.now();
  const sessionId = newId();
  const refreshToken = newToken();
  await tx.insert(schema.sessions).values({
    id: sessionId,
    userId,
    createdAt: new Date(now),
    lastUsedAt: new Date(now),
    expiresAt: new Date(now + config.session.absoluteTtlSeconds * 1000),
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip,
  });
  await tx.insert(schema.refreshTokens).values({ tokenHash: sha256(refreshToken), sessionId, createdAt: new Date(now) });
  return { sessionId, refreshToken };
}

export function isSessionLive(
  session: { revokedAt: Date | null; expiresAt: Date; lastUsedAt: Date },
  config: Config,
  now = Date.now(),
): boolean {
  return (
    session.revokedAt === null &&
    session.expiresAt.getTime() > now &&
    session.lastUsedAt.getTime() + config.session.idleTtlSeconds * 1000 > now
  );
}

export type RotateResult =
  | { ok: true; userId: string; sessionId: string; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused'; userId?: string; sessionId?: string };

/** Rotates a refresh token. A token that was already rotated revokes its whole session. */
export async function rotateRefreshToken(tx: Tx, config: Config, presented: string): Promise<RotateResult> {
  const now = Date.now();
  const row = await tx
    .select({ token: schema.refreshTokens, session: schema.sessions, disabledAt: schema.users.disabledAt })
    .from(schema.refreshTokens)
    .innerJoin(schema.sessions, eq(schema.sessions.id, schema.refreshTokens.sessionId))
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(eq(schema.refreshTokens.tokenHash, sha256(presented)))
    .get();
  if (!row) return { ok: false, reason: 'unknown' };
  const { session, token } = row;
  if (token.rotatedAt !== null) {
    await tx
      .update(schema.sessions)
      .set({ revokedAt: new Date(now), revokedReason: 'refresh_token_reuse' })
      .where(and(eq(schema.sessions.id, session.id), isNull(schema.sessions.revokedAt)));
    return { ok: false, reason: 'reused', userId: session.userId, sessionId: session.id };
  }
  if (!isSessionLive(session, config, now) || row.disabledAt !== null) return { ok: false, reason: 'expired', userId: session.userId };
  const refreshToken = newToken();
  await tx
    .update(schema.refreshTokens)
    .set({ rotatedAt: new Date(now) })
    .where(eq(schema.refreshTokens.tokenHash, token.tokenHash));
  await tx.insert(schema.refreshTokens).values({ tokenHash: sha256(refreshToken), sessionId: session.id, createdAt: new Date(now) });
  await tx
    .update(schema.sessions)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(schema.sessions.id, session.id));
  return { ok: true, userId: session.userId, sessionId: session.id, refreshToken };
}

export async function revokeSession(tx: Tx | Db, sessionId: string, reason: string): Promise<void> {
  await tx
    .update(schema.sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(schema.sessions.id, sessionId), isNull(schema.sessions.revokedAt)));
}

/** Sets the access and refresh cookies (with __Host-/__Secure- prefixes over https). */
export async function issueSessionCookies(c: Context<AppEnv>, userId: string, sessionId: string, refreshToken: string) {
  const { config, tokens } = c.get('services');
  const access = await tokens.sign({ userId, sessionId });
  setCookie(c, accessCookieName(config), access, {
    httpOnly: true,
    secure: config.isHttps,
    sameSite: 'Lax',
    path: '/',
    maxAge: config.session.accessTtlSeconds,
  });
  setCookie(c, refreshCookieName(config), refreshToken, {
    httpOnly: true,
    secure: config.isHttps,
    sameSite: 'Strict',
    path: REFRESH_PATH,
    maxAge: config.session.absoluteTtlSeconds,
  });
  return access;
}

export function clearSessionCookies(c: Context<AppEnv>) {
  const { config } = c.get('services');
  deleteCookie(c, accessCookieName(config), { path: '/', secure: config.isHttps, httpOnly: true, sameSite: 'Lax' });
  deleteCookie(c, refreshCookieName(config), { path: REFRESH_PATH, secure: config.isHttps, httpOnly: true, sameSite: 'Strict' });
}

export function readRefreshCookie(c: Context<AppEnv>): string | undefined {
  const v = getCookie(c, refreshCookieName(c.get('services').config));
  return v && v.length <= 200 ? v : undefined;
}

/** The access token of a request: `Authorization: Bearer`, else the access cookie. */
export function readAccessToken(c: Context<AppEnv>): string | undefined {
  const header = requestHeader(c, 'authorization');
  if (header) {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
    return m?.[1];
  }
  const v = getCookie(c, accessCookieName(c.get('services').config));
  return v && v.length <= 4096 ? v : undefined;
}

/** The per-request session lookup, prepared once (docs/operations.md, Performance). */
const sessionLookup = preparedFor((db) =>
  db
    .select({ session: schema.sessions, disabledAt: schema.users.disabledAt })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(and(eq(schema.sessions.id, sql.placeholder('sessionId')), eq(schema.sessions.userId, sql.placeholder('userId'))))
    .prepare(),
);

/**
 * Resolves an access token to a live session of an enabled user. The session row and the user's
 * disabled flag come from the read caches (lib/read-caches.ts), which drop a user's entries when that
 * user or any of their sessions changes in the database — checked before every answer — so logout,
 * revocation, disabling and deletion take effect at once, whoever wrote them. `request` (the Hono
 * context) lets the caches check the database once per request.
 */
export async function authenticate(services: Services, token: string | undefined, request?: object): Promise<AuthInfo | undefined> {
  if (!token) return undefined;
  const claims = services.tokens.verifiedClaims(token) ?? (await services.tokens.verify(token));
  if (!claims) return undefined;
  const { caches } = services;
  await caches.feed.sync(request);
  let session = caches.session(claims.userId, claims.sessionId);
  if (!session) {
    const tick = caches.feed.tick;
    const row = await sessionLookup(services.database.db).get({ sessionId: claims.sessionId, userId: claims.userId });
    if (!row) return undefined;
    const { revokedAt, expiresAt, lastUsedAt } = row.session;
    session = { userId: claims.userId, revokedAt, expiresAt, lastUsedAt, disabledAt: row.disabledAt };
    caches.storeSession(claims.sessionId, session, tick);
  }
  if (session.disabledAt !== null || !isSessionLive(session, services.config)) return undefined;
  return { userId: claims.userId, sessionId: claims.sessionId };
}
