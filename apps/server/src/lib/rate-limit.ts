/**
 * Rate limits and sign-in lockout behind one interface with two stores: in-process memory (one
 * instance) and Redis (several instances share the counters, see ARCHITECTURE.md). Fixed windows: simple,
 * cheap, and the same semantics in both stores.
 *
 * Everything that decides *what* is limited lives here (the rules), so docs/security.md can point at one
 * place; middleware/rate-limits.ts and the auth handlers only apply them.
 */
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from './errors.ts';
import { sha256 } from './crypto.ts';
import type { AppEnv } from './context.ts';
import type { Metrics } from './metrics.ts';

export interface HitResult {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** Where counters live. Keys are opaque strings; the store never interprets them. */
export interface RateLimitStore {
  /** Counts one hit in a fixed window of `windowMs` that starts at the first hit. */
  hit(key: string, windowMs: number): Promise<HitResult>;
  /** Marks `key` as blocked for `ms` (replacing a shorter or longer block). */
  block(key: string, ms: number): Promise<void>;
  /** Milliseconds the key stays blocked, 0 when it is not. */
  blockedFor(key: string): Promise<number>;
  /** Forgets a key (counter or block). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: a Map with expiry times, pruned as it grows so it cannot eat memory without bound. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #entries = new Map<string, { count: number; expiresAt: number }>();
  readonly #maxEntries: number;
  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }
  readonly #now: () => number;

  #live(key: string): { count: number; expiresAt: number } | undefined {
    const e = this.#entries.get(key);
    if (e && e.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e;
  }

  #prune(): void {
    if (this.#entries.size < this.#maxEntries) return;
    const now = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
    // Still full of live keys (an address-spraying attack): drop the oldest insertions first.
    for (const k of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(k);
    }
  }

  hit(key: string, windowMs: number): Promise<HitResult> {
    const now = this.#now();
    let e = this.#live(key);
    if (!e) {
      this.#prune();
      e = { count: 0, expiresAt: now + windowMs };
      this.#entries.set(key, e);
    }
    e.count += 1;
    return Promise.resolve({ count: e.count, resetInMs: e.expiresAt - now });
  }

  block(key: string, ms: number): Promise<void> {
    this.#prune();
    this.#entries.set(key, { count: 1, expiresAt: this.#now() + ms });
    return Promise.resolve();
  }

  blockedFor(key: string): Promise<number> {
    const e = this.#live(key);
    return Promise.resolve(e ? e.expiresAt - this.#now() : 0);
  }

  reset(key: string): Promise<void> {
    this.#entries.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#entries.clear();
    return Promise.resolve();
  }
}

// INCR and set the expiry on the first hit, atomically, and report the remaining time.
const HIT_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;

/** Shared counters for several instances. Keys are prefixed so the database can be shared. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    readonly redis: Redis,
    readonly prefix = 'qc:rl:',
  ) {}

  async hit(key: string, windowMs: number): Promise<HitResult> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, String(windowMs))) as [number, number];
    return { count, resetInMs: ttl };
  }

  async block(key: string, ms: number): Promise<void> {
    await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  async blockedFor(key: string): Promise<number> {
    const ttl = await this.redis.pttl(this.prefix + key);
    return ttl > 0 ? ttl : 0;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface RateLimitRule {
  /** Stable name: metric label and key prefix. */
  name: string;
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/**
 * The limits. Per IP limits stop one address; per account limits stop a distributed attack on one
 * account (each address staying under its own limit). Values leave room for a household behind one NAT.
 */
export const RULES = {
  loginIp: { name: 'login_ip', limit: 20, windowMs: 15 * MINUTE },
  loginAccount: { name: 'login_account', limit: 10, windowMs: 15 * MINUTE },
  registerIp: { name: 'register_ip', limit: 10, windowMs: 60 * MINUTE },
  registerAccount: { name: 'register_account', limit: 5, windowMs: 60 * MINUTE },
  /** One-time reset links (256-bit tokens): a person needs one or two tries, guessing needs billions. */
  passwordResetIp: { name: 'password_reset_ip', limit: 10, windowMs: 15 * MINUTE },
  refreshIp: { name: 'refresh_ip', limit: 120, windowMs: 15 * MINUTE },
  refreshSession: { name: 'refresh_session', limit: 30, windowMs: 15 * MINUTE },
  twoFactorIp: { name: 'two_factor_ip', limit: 20, windowMs: 15 * MINUTE },
  twoFactorUser: { name: 'two_factor_user', limit: 10, windowMs: 15 * MINUTE },
  inviteAcceptIp: { name: 'invite_accept_ip', limit: 30, windowMs: 15 * MINUTE },
  inviteAcceptUser: { name: 'invite_accept_user', limit: 20, windowMs: 15 * MINUTE },
  writesUser: { name: 'writes_user', limit: 120, windowMs: MINUTE },
  /** Live-update socket (re)connections: a reconnecting tab needs a few a minute, a loop needs many. */
  wsConnectUser: { name: 'ws_connect_user', limit: 60, windowMs: MINUTE },
  /**
   * Refusals (403/404 from a permission check) are audited with a write each, GETs included: past this
   * budget the caller gets 429 and no further row, so probing cannot flood the single writer or the log.
   */
  refusalsUser: { name: 'refusals_user', limit: 30, windowMs: MINUTE },
  /**
   * Calendar feed fetches (GET /api/calendar/:token.ics, no session): calendar services fetch many users'
   * feeds from a few addresses, so the per-address budget is wide; one feed polled in a loop hits its own.
   */
  calendarFeedIp: { name: 'calendar_feed_ip', limit: 120, windowMs: MINUTE },
  calendarFeedToken: { name: 'calendar_feed_token', limit: 60, windowMs: 15 * MINUTE },
  /** Steam owned-games imports: each one calls Steam's Web API with our key. */
  steamImportUser: { name: 'steam_import_user', limit: 5, windowMs: 15 * MINUTE },
} as const satisfies Record<string, RateLimitRule>;

/** Progressive lockout: after LOCK_AFTER failures in FAILURE_WINDOW, each further failure locks longer. */
export const LOCKOUT = {
  lockAfter: 5,
  failureWindowMs: 24 * 60 * MINUTE,
  baseLockMs: MINUTE,
  maxLockMs: 60 * MINUTE,
} as const;

/** A burst of failed sign-ins from one address, or across the instance, raises an alert. */
export const BURST = {
  windowMs: 5 * MINUTE,
  perIp: 10,
  global: 50,
} as const;

export function lockDurationMs(failures: number): number {
  if (failures < LOCKOUT.lockAfter) return 0;
  return Math.min(LOCKOUT.baseLockMs * 2 ** (failures - LOCKOUT.lockAfter), LOCKOUT.maxLockMs);
}

export function rateLimited(retryAfterMs: number, message?: string, headers: Record<string, string> = {}): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const when = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return new AppError(429, 'rate_limited', message ?? `Too many requests. Wait ${when} and try again.`, undefined, {
    ...headers,
    'Retry-After': String(seconds),
  });
}

/** Where one request stands against one rule, for the `RateLimit` headers. */
export interface RateLimitState {
  rule: RateLimitRule;
  /** Requests left in the current window (0 once over). */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * The IETF `RateLimit-Policy` and `RateLimit` headers (draft-ietf-httpapi-ratelimit-headers, structured
 * field lists, one item per rule this request counted against): `"writes_user";q=120;w=60` and
 * `"writes_user";r=119;t=60`. A request that counted against no rule gets neither header.
 */
export function rateLimitHeaders(states: readonly RateLimitState[]): Record<string, string> {
  if (states.length === 0) return {};
  return {
    'RateLimit-Policy': states.map((s) => `"${s.rule.name}";q=${s.rule.limit};w=${Math.ceil(s.rule.windowMs / 1000)}`).join(', '),
    RateLimit: states.map((s) => `"${s.rule.name}";r=${s.remaining};t=${s.resetSeconds}`).join(', '),
  };
}

/** Account identifiers (emails) are hashed before they become keys: Redis holds no personal data. */
export const accountKey = (email: string) => sha256(`account:${email.trim().toLowerCase()}`).slice(0, 32);

export type LoginFailureOutcome = { lockedForMs: number; failures: number; burst: 'ip' | 'global' | undefined };

export class RateLimiter {
  constructor(
    readonly store: RateLimitStore,
    readonly enabled: boolean,
    readonly metrics: Metrics,
    readonly logger: Logger,
  ) {}

  /**
   * Counts one request against `rule` for `subject`; throws 429 with Retry-After (and the `RateLimit`
   * headers of `earlier` states plus this one) when over the limit, else returns where the request stands.
   * A store failure (Redis down) lets the request through and logs: an outage of the limiter must not
   * become an outage of sign-in (docs/decisions/031).
   */
  async consume(rule: RateLimitRule, subject: string, earlier: readonly RateLimitState[] = []): Promise<RateLimitState | undefined> {
    if (!this.enabled) return undefined;
    let result: HitResult;
    try {
      result = await this.store.hit(`${rule.name}:${subject}`, rule.windowMs);
    } catch (err) {
      this.logger.error({ err, limiter: rule.name, alert: 'rate_limit_store_unavailable' }, 'rate-limit store failed; request allowed');
      return undefined;
    }
    const state: RateLimitState = {
      rule,
      remaining: Math.max(0, rule.limit - result.count),
      resetSeconds: Math.max(0, Math.ceil(result.resetInMs / 1000)),
    };
    if (result.count > rule.limit) {
      this.metrics.rateLimitHits.inc({ limiter: rule.name });
      throw rateLimited(result.resetInMs, undefined, rateLimitHeaders([...earlier, state]));
    }
    return state;
  }

  /** Milliseconds an account stays locked after repeated failed sign-ins (0 when it is not). */
  async loginLockedFor(email: string): Promise<number> {
    if (!this.enabled) return 0;
    try {
      return await this.store.blockedFor(`login_lock:${accountKey(email)}`);
    } catch (err) {
      this.logger.error({ err, alert: 'rate_limit_store_unavailable' }, 'rate-limit store failed; lock not checked');
      return 0;
    }
  }

  /**
   * Records a failed sign-in: counts it for the account (progressive lock) and for burst detection.
   * Burst detection runs even with RATE_LIMITS=off, because alerting is monitoring, not throttling.
   */
  async loginFailed(email: string, ip: string): Promise<LoginFailureOutcome> {
    const outcome: LoginFailureOutcome = { lockedForMs: 0, failures: 0, burst: undefined };
    try {
      if (this.enabled) {
        const account = accountKey(email);
        const { count } = await this.store.hit(`login_fail:${account}`, LOCKOUT.failureWindowMs);
        outcome.failures = count;
        const lockMs = lockDurationMs(count);
        if (lockMs > 0) {
          await this.store.block(`login_lock:${account}`, lockMs);
          outcome.lockedForMs = lockMs;
        }
      }
      const perIp = await this.store.hit(`login_burst_ip:${ip}`, BURST.windowMs);
      const global = await this.store.hit('login_burst_global', BURST.windowMs);
      // Exactly at the threshold: one alert per window, not one per further failure.
      if (perIp.count === BURST.perIp) outcome.burst = 'ip';
      else if (global.count === BURST.global) outcome.burst = 'global';
    } catch (err) {
      this.logger.error({ err, alert: 'rate_limit_store_unavailable' }, 'rate-limit store failed; failure not counted');
    }
    return outcome;
  }

  /** A successful sign-in clears the account's failure count (but not the per-IP limits). */
  async loginSucceeded(email: string): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.store.reset(`login_fail:${accountKey(email)}`);
    } catch (err) {
      this.logger.error({ err, alert: 'rate_limit_store_unavailable' }, 'rate-limit store failed; failures not cleared');
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * Applies a rule to the current request (used by middleware and handlers alike) and remembers where the
 * request stands, so the response carries the `RateLimit` headers (set by middleware/rate-limits.ts).
 */
export async function limit(c: Context<AppEnv>, rule: RateLimitRule, subject: string): Promise<void> {
  const states = c.get('rateLimits') ?? [];
  const state = await c.get('services').rateLimiter.consume(rule, subject, states);
  if (state) c.set('rateLimits', [...states, state]);
}
