/**
 * Sign-in brute-force defence around the login handler: per-account rate limit, progressive lockout
 * (keyed by the email as typed, so an unknown email locks exactly like a real one and reveals nothing),
 * and the failed-login burst alert (security event + warn log with a stable `alert` field + metric).
 */
import type { Context } from 'hono';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { accountKey, BURST, limit, rateLimited, RULES } from '../../lib/rate-limit.ts';

/** Throws 429 when this account is over its rate or locked after repeated failures. */
export async function assertLoginAllowed(c: Context<AppEnv>, email: string): Promise<void> {
  const { rateLimiter, metrics } = c.get('services');
  await limit(c, RULES.loginAccount, accountKey(email));
  const lockedMs = await rateLimiter.loginLockedFor(email);
  if (lockedMs > 0) {
    metrics.logins.inc({ result: 'locked' });
    const minutes = Math.ceil(lockedMs / 60_000);
    throw rateLimited(
      lockedMs,
      `Too many failed sign-ins for this account. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again, or reset your password.`,
    );
  }
}

export async function recordLoginFailure(
  c: Context<AppEnv>,
  email: string,
  userId: string | null,
  reason: 'credentials' | 'totp',
): Promise<void> {
  const { rateLimiter, metrics, database } = c.get('services');
  metrics.logins.inc({ result: 'failed' });
  const outcome = await rateLimiter.loginFailed(email, c.get('ip'));
  const burst = outcome.burst
    ? { scope: outcome.burst, threshold: outcome.burst === 'ip' ? BURST.perIp : BURST.global, windowSeconds: BURST.windowMs / 1000 }
    : undefined;
  if (burst) {
    metrics.failedLoginBursts.inc();
    // `alert` is a stable field: log-based alerting and SIEM rules match on it (docs/operations.md).
    c.get('logger').warn({ alert: 'failed_login_burst', ip: c.get('ip'), ...burst }, 'burst of failed sign-ins');
  }
  await database.write(async (tx) => {
    await auditRequest(c, { type: 'login_failed', userId, detail: { reason } }, tx);
    if (outcome.lockedForMs > 0) {
      const lockSeconds = Math.ceil(outcome.lockedForMs / 1000);
      await auditRequest(c, { type: 'login_locked', userId, detail: { failures: outcome.failures, lockSeconds } }, tx);
    }
    if (burst) await auditRequest(c, { type: 'login_failure_burst', userId: null, detail: burst }, tx);
  });
}

export async function recordLoginSuccess(c: Context<AppEnv>, email: string): Promise<void> {
  const { rateLimiter, metrics } = c.get('services');
  metrics.logins.inc({ result: 'ok' });
  await rateLimiter.loginSucceeded(email);
}
