/**
 * The retention job: personal data is kept only as long as it serves its purpose (docs/privacy.md).
 *  - sessions that ended (revoked, absolutely expired, or idle past their lifetime) are deleted after a
 *    7-day grace period (so "signed out on …" and refresh-reuse detection still work for a while),
 *    with their refresh tokens;
 *  - invites that are revoked, expired, or used up, 30 days after that (used-up invites carry no
 *    "used up at" time, so their creation time is used);
 *  - security events older than RETENTION_DAYS (the audit-log trigger refuses any younger row);
 *  - IP addresses in security events and sessions older than 30 days are truncated to /24 or /48.
 * Work is done in batches of short write transactions so requests keep flowing while it runs.
 */
import { and, inArray, isNotNull, lt, lte, notLike, or, sql } from 'drizzle-orm';
import { schema, type Database } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { truncateIp } from '../../lib/ip.ts';

const DAY = 24 * 3600 * 1000;
export const SESSION_GRACE_MS = 7 * DAY;
export const INVITE_GRACE_MS = 30 * DAY;
export const IP_TRUNCATE_AFTER_MS = 30 * DAY;
const BATCH = 500;

export interface RetentionReport {
  sessionsDeleted: number;
  refreshTokensDeleted: number;
  invitesDeleted: number;
  securityEventsDeleted: number;
  securityEventIpsTruncated: number;
  sessionIpsTruncated: number;
}

/** Runs the whole retention pass once. `now` is injectable for tests (only the audit cutoff uses the real clock too). */
export async function runRetention(database: Database, config: Config, now = Date.now()): Promise<RetentionReport> {
  const report: RetentionReport = {
    sessionsDeleted: 0,
    refreshTokensDeleted: 0,
    invitesDeleted: 0,
    securityEventsDeleted: 0,
    securityEventIpsTruncated: 0,
    sessionIpsTruncated: 0,
  };
  const { db } = database;
  const s = schema.sessions;
  const sessionCutoff = new Date(now - SESSION_GRACE_MS);
  const idleCutoff = new Date(now - config.session.idleTtlSeconds * 1000 - SESSION_GRACE_MS);
  const endedSessions = or(lt(s.revokedAt, sessionCutoff), lt(s.expiresAt, sessionCutoff), lt(s.lastUsedAt, idleCutoff));
  for (;;) {
    const ids = (await db.select({ id: s.id }).from(s).where(endedSessions).limit(BATCH)).map((r) => r.id);
    if (ids.length === 0) break;
    await database.write(async (tx) => {
      // Explicit, not left to ON DELETE CASCADE, so the count is known and nothing depends on the pragma.
      const tokens = await tx.delete(schema.refreshTokens).where(inArray(schema.refreshTokens.sessionId, ids));
      const deleted = await tx.delete(s).where(inArray(s.id, ids));
      report.refreshTokensDeleted += tokens.rowsAffected;
      report.sessionsDeleted += deleted.rowsAffected;
    });
  }

  const i = schema.invites;
  const inviteCutoff = new Date(now - INVITE_GRACE_MS);
  const deadInvites = or(
    lt(i.revokedAt, inviteCutoff),
    lt(i.expiresAt, inviteCutoff),
    and(isNotNull(i.maxUses), sql`${i.uses} >= ${i.maxUses}`, lt(i.createdAt, inviteCutoff)),
  );
  for (;;) {
    const ids = (await db.select({ id: i.id }).from(i).where(deadInvites).limit(BATCH)).map((r) => r.id);
    if (ids.length === 0) break;
    await database.write(async (tx) => {
      report.invitesDeleted += (await tx.delete(i).where(inArray(i.id, ids))).rowsAffected;
    });
  }

  const e = schema.securityEvents;
  // The trigger compares with the real clock; never ask it to delete anything younger than that allows.
  const auditCutoff = new Date(Math.min(now, Date.now()) - config.retentionDays * DAY);
  for (;;) {
    const ids = (await db.select({ id: e.id }).from(e).where(lt(e.createdAt, auditCutoff)).limit(BATCH)).map((r) => r.id);
    if (ids.length === 0) break;
    await database.write(async (tx) => {
      report.securityEventsDeleted += (await tx.delete(e).where(inArray(e.id, ids))).rowsAffected;
    });
  }

  const ipCutoff = new Date(now - IP_TRUNCATE_AFTER_MS);
  const untruncated = (col: typeof e.ip | typeof s.ip) => and(isNotNull(col), notLike(col, '%.0'), notLike(col, '%::'));
  for (;;) {
    const rows = await db
      .select({ id: e.id, ip: e.ip })
      .from(e)
      .where(and(lte(e.createdAt, ipCutoff), untruncated(e.ip)))
      .limit(BATCH);
    if (rows.length === 0) break;
    await database.write(async (tx) => {
      for (const r of rows) {
        await tx
          .update(e)
          .set({ ip: truncateIp(r.ip) })
          .where(sql`${e.id} = ${r.id}`);
      }
    });
    report.securityEventIpsTruncated += rows.length;
  }
  for (;;) {
    const rows = await db
      .select({ id: s.id, ip: s.ip })
      .from(s)
      .where(and(lte(s.createdAt, ipCutoff), untruncated(s.ip)))
      .limit(BATCH);
    if (rows.length === 0) break;
    await database.write(async (tx) => {
      for (const r of rows) {
        await tx
          .update(s)
          .set({ ip: truncateIp(r.ip) })
          .where(sql`${s.id} = ${r.id}`);
      }
    });
    report.sessionIpsTruncated += rows.length;
  }
  return report;
}
