/**
 * The pieces of the Discord OAuth 2.0 flow that need care: the sealed state cookie, `returnTo`
 * validation, the code exchange (oauth4webapi) and the `/users/@me` call. See
 * docs/decisions/070-discord-oauth-flow.md.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { Config } from '../../env.ts';
import { deriveKey, sha256 } from '../../lib/crypto.ts';

export type DiscordConfig = NonNullable<Config['discord']>;

export const OAUTH_COOKIE = 'qc_discord_oauth';
export const OAUTH_COOKIE_PATH = '/api/auth/discord';
/** How long a person has to finish the Discord consent screen. */
export const OAUTH_TTL_SECONDS = 10 * 60;
const HTTP_TIMEOUT_MS = 10_000;

export function oauthCookieName(config: Config): string {
  return config.isHttps ? `__Secure-${OAUTH_COOKIE}` : OAUTH_COOKIE;
}

/** What the browser carries between /api/auth/discord and the callback (encrypted and authenticated). */
export interface OAuthFlowState {
  state: string;
  verifier: string;
  returnTo: string;
  /** Set when a signed-in user started a link: the account to link to, and the session that asked. */
  linkUserId?: string;
  linkSessionId?: string;
  /** An invite code, so that an invite-only instance can admit a Discord sign-up from an invite link. */
  invite?: string;
  expiresAt: number;
}

/**
 * AES-256-GCM with a key derived from SESSION_SECRET for one purpose only (the purpose is also the
 * associated data, so a value sealed for one cookie cannot be replayed as another). Encrypting, not
 * only signing, keeps the PKCE verifier and user ids out of sight of anything that reads cookies.
 */
function seal(secret: string, purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  cipher.setAAD(Buffer.from(`queuecrew:${purpose}:v1`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, ct, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

/** The sealed value, or undefined when missing, forged or tampered with. */
function unseal(secrets: readonly string[], purpose: string, sealed: string | undefined): unknown {
  if (!sealed || sealed.length > 4096) return undefined;
  const [iv, ct, tag] = sealed.split('.');
  if (!iv || !ct || !tag) return undefined;
  // Accept the current or a previous SESSION_SECRET, so a rotation does not break a sign-in half-way.
  for (const secret of secrets) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`queuecrew:${purpose}:v1`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')) as unknown;
    } catch {
      // Wrong key or tampered: try the next key.
    }
  }
  return undefined;
}

export function sealFlowState(secret: string, flow: OAuthFlowState): string {
  return seal(secret, 'discord-oauth-cookie', flow);
}

const flowSchema = z.object({
  state: z.string().min(32).max(128),
  verifier: z.string().min(43).max(128),
  returnTo: z.string().max(1024),
  linkUserId: z.string().max(64).optional(),
  linkSessionId: z.string().max(64).optional(),
  invite: z.string().max(200).optional(),
  expiresAt: z.number(),
});

/** The flow state, or undefined when the cookie is missing, forged, tampered with or expired. */
export function unsealFlowState(secrets: readonly string[], sealed: string | undefined, now = Date.now()): OAuthFlowState | undefined {
  const parsed = flowSchema.safeParse(unseal(secrets, 'discord-oauth-cookie', sealed));
  return parsed.success && parsed.data.expiresAt > now ? parsed.data : undefined;
}

/** A Discord sign-in that still needs the account's second factor (TOTP or a recovery code). */
export interface PendingSecondFactor {
  userId: string;
  returnTo: string;
  expiresAt: number;
}
export const PENDING_2FA_COOKIE = 'qc_discord_2fa';
export const PENDING_2FA_TTL_SECONDS = 5 * 60;

export function pending2faCookieName(config: Config): string {
  return config.isHttps ? `__Secure-${PENDING_2FA_COOKIE}` : PENDING_2FA_COOKIE;
}

export function sealPendingSecondFactor(secret: string, pending: PendingSecondFactor): string {
  return seal(secret, 'discord-pending-2fa', pending);
}

const pendingSchema = z.object({ userId: z.string().max(64), returnTo: z.string().max(1024), expiresAt: z.number() });

export function unsealPendingSecondFactor(
  secrets: readonly string[],
  sealed: string | undefined,
  now = Date.now(),
): PendingSecondFactor | undefined {
  const parsed = pendingSchema.safeParse(unseal(secrets, 'discord-pending-2fa', sealed));
  return parsed.success && parsed.data.expiresAt > now ? parsed.data : undefined;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/;

/**
 * `returnTo` as a same-origin path, or '/'. A redirect target is only accepted when it starts with one
 * '/', is not protocol-relative (`//host`, `/\host`), has no scheme, no control characters and no
 * backslash — in its raw form and after each round of URL-decoding (so `%2F%2Fevil.com` and
 * `/%5Cevil.com` are refused too) — and still resolves to our own origin.
 */
/** True when `path` and each of up to three rounds of its URL-decoding is a plain single-slash path. */
function isPlainPath(path: string): boolean {
  let current = path;
  for (let i = 0; i < 4; i += 1) {
    if (!current.startsWith('/') || current.startsWith('//') || UNSAFE_CHARS.test(current)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    current = decoded;
  }
  // Still changing after three rounds of decoding: nobody links like that on purpose.
  return false;
}

export function safeReturnTo(raw: string | undefined | null, appOrigin: string): string {
  if (!raw || raw.length > 1024 || !isPlainPath(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, appOrigin);
  } catch {
    return '/';
  }
  if (url.origin !== appOrigin) return '/';
  // Resolving removes dot segments: `/.//evil.com` and `/a/../..//evil.com` become `//evil.com`, a
  // protocol-relative Location. So the path we would actually send is checked again, not only the input.
  const target = `${url.pathname}${url.search}${url.hash}`;
  return isPlainPath(target) ? target : '/';
}

/** A one-way handle of a state value, for the replay memory (the state itself is not kept). */
export function stateHandle(state: string): string {
  return sha256(`discord-state:${state}`);
}

/**
 * States that have been used, kept until their cookie could no longer be valid. The cookie is cleared
 * on the callback too; this memory makes a replay of a captured callback (cookie and URL) fail even
 * when the browser did not drop the cookie. It is per process: across instances the authorization code
 * itself is single-use at Discord, so a replay there fails at the exchange.
 */
export class UsedStates {
  readonly #seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}
  /** Records `handle`; false when it had been recorded already (a replay). */
  use(handle: string, expiresAt: number, now = Date.now()): boolean {
    for (const [k, exp] of this.#seen) {
      if (exp > now && this.#seen.size < this.max) break;
      this.#seen.delete(k);
    }
    if (this.#seen.has(handle)) return false;
    this.#seen.set(handle, expiresAt);
    return true;
  }
}

export function newFlowSecrets() {
  return { state: oauth.generateRandomState(), verifier: oauth.generateRandomCodeVerifier() };
}

export async function authorizeUrl(cfg: DiscordConfig, state: string, verifier: string): Promise<string> {
  const url = new URL(cfg.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', cfg.clientId);
  url.searchParams.set('redirect_uri', cfg.redirectUri);
  // Only `identify`: the username and avatar, never email or guilds (data minimisation).
  url.searchParams.set('scope', 'identify');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export class DiscordExchangeError extends Error {
  override name = 'DiscordExchangeError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

const discordUserSchema = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  username: z.string().min(1).max(64),
  global_name: z.string().max(64).nullish(),
  avatar: z.string().max(64).nullish(),
});
export type DiscordUser = z.infer<typeof discordUserSchema>;

/**
 * Exchanges the code (client secret + PKCE verifier) and reads the Discord user. The access token is
 * used once for `/users/@me` and then dropped: nothing of it is stored (data minimisation).
 */
export async function exchangeAndFetchUser(
  config: Config,
  cfg: DiscordConfig,
  callbackUrl: URL,
  expectedState: string,
  verifier: string,
): Promise<DiscordUser> {
  const as: oauth.AuthorizationServer = {
    issuer: new URL(cfg.authorizeUrl).origin,
    authorization_endpoint: cfg.authorizeUrl,
    token_endpoint: cfg.tokenUrl,
  };
  const client: oauth.Client = { client_id: cfg.clientId };
  // Plain http is only for the local fake provider; production endpoints must be https.
  const insecure = !config.isProduction && cfg.tokenUrl.startsWith('http:');
  let accessToken: string;
  try {
    const params = oauth.validateAuthResponse(as, client, callbackUrl.searchParams, expectedState);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(cfg.clientSecret),
      params,
      cfg.redirectUri,
      verifier,
      {
        [oauth.allowInsecureRequests]: insecure,
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    accessToken = result.access_token;
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) throw new DiscordExchangeError(`token endpoint refused: ${e.error}`, e.error);
    if (e instanceof oauth.AuthorizationResponseError) throw new DiscordExchangeError(`authorization error: ${e.error}`, e.error);
    const reason = e instanceof Error ? e.name : 'unknown';
    throw new DiscordExchangeError(`token exchange failed: ${e instanceof Error ? e.message : String(e)}`, reason);
  }
  let res: Response;
  try {
    res = await fetch(`${cfg.apiUrl}/users/@me`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (e) {
    throw new DiscordExchangeError(`users/@me unreachable: ${e instanceof Error ? e.message : String(e)}`, 'network');
  }
  if (!res.ok) throw new DiscordExchangeError(`users/@me answered ${res.status}`, `http_${res.status}`);
  const parsed = discordUserSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new DiscordExchangeError('users/@me answered an unexpected body', 'bad_user');
  return parsed.data;
}

/** A username that satisfies our rules ([A-Za-z0-9_.-], 2–32) from the Discord one. */
export function usernameFromDiscord(user: DiscordUser): string {
  const base = user.username
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return base.length >= 2 ? base : `discord_${user.id.slice(-8)}`;
}

/** Discord's CDN URL of the avatar, only for a well-formed avatar hash. */
export function avatarUrlFromDiscord(user: DiscordUser): string | null {
  if (!user.avatar || !/^(a_)?[0-9a-f]{32}$/.test(user.avatar)) return null;
  return `https://cdn.discordapp.com/avatars/${user.id}/${user.avatar}.png`;
}
