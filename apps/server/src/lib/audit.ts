/**
 * Security events: the append-only audit log (triggers refuse UPDATE/DELETE, see migration 0001).
 * Never put a secret in `detail`: no passwords, tokens, codes or cookies.
 */
import type { Context } from 'hono';
import { schema, type Db, type Tx } from '../db/client.ts';
import { hmacSha256 } from './crypto.ts';
import type { AppEnv } from './context.ts';
import { limit, RULES } from './rate-limit.ts';

export type SecurityEventType =
  | 'register'
  | 'login_succeeded'
  | 'login_failed'
  | 'login_locked'
  | 'login_failure_burst'
  | 'logout'
  | 'refresh_reuse_detected'
  | 'session_revoked'
  | 'sessions_revoked_all'
  | 'password_changed'
  | 'password_reset_link_created'
  | 'password_reset_used'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'recovery_code_used'
  | 'recovery_codes_regenerated'
  | 'discord_linked'
  | 'discord_unlinked'
  | 'permission_denied'
  | 'role_changed'
  | 'member_removed'
  | 'member_left'
  | 'ownership_transferred'
  | 'group_deleted'
  | 'invite_created'
  | 'invite_revoked'
  | 'invite_accepted'
  | 'account_exported'
  | 'account_deleted'
  | 'account_disabled'
  | 'account_enabled'
  | 'registration_policy_changed'
  | 'webhook_changed'
  | 'calendar_feed_created'
  | 'calendar_feed_rotated'
  | 'calendar_feed_revoked'
  | 'night_nudged'
  | 'discord_link_code_created'
  | 'discord_channel_linked'
  | 'discord_channel_unlinked'
  | 'discord_channel_joined'
  | 'discord_join_policy_changed'
  | 'discord_interaction_refused';

export interface SecurityEventInput {
  type: SecurityEventType;
  userId?: string | null;
  groupId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

/** A stable pseudonym for a user id, so events stay linkable after the account is deleted. */
export function subjectOf(secret: string, userId: string): string {
  return hmacSha256(secret, `subject:${userId}`).slice(0, 32);
}

export async function recordSecurityEvent(db: Db | Tx, secret: string, event: SecurityEventInput): Promise<void> {
  await db.insert(schema.securityEvents).values({
    type: event.type,
    userId: event.userId ?? null,
    subject: event.userId ? subjectOf(secret, event.userId) : null,
    groupId: event.groupId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent?.slice(0, 300) ?? null,
    detail: event.detail ? JSON.stringify(event.detail) : null,
  });
}

/**
 * Records an event for the current request (ip and user agent from the request) in `tx`: the caller's
 * write transaction, or `database.write((tx) => auditRequest(c, e, tx))` for an event on its own. There
 * is no default: a default of the reader connection would write past the single writer.
 */
export async function auditRequest(c: Context<AppEnv>, event: Omit<SecurityEventInput, 'ip' | 'userAgent'>, tx: Tx): Promise<void> {
  const services = c.get('services');
  await recordSecurityEvent(tx, services.config.session.secret, {
    ...event,
    ip: c.get('ip'),
    userAgent: c.req.header('user-agent') ?? null,
  });
}

/**
 * Audits a refused request (`permission_denied`) in its own write, after counting it against the
 * caller's refusal budget: past the budget the request gets 429 and nothing is written, so a loop of
 * refused requests (reads are not otherwise rate-limited) cannot become unbounded writes to the
 * append-only log through the single writer.
 */
export async function auditRefusal(
  c: Context<AppEnv>,
  event: Omit<SecurityEventInput, 'type' | 'ip' | 'userAgent' | 'userId'> & { userId: string },
): Promise<void> {
  await limit(c, RULES.refusalsUser, event.userId);
  await c.get('services').database.write((tx) => auditRequest(c, { ...event, type: 'permission_denied' }, tx));
}
