import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser } from '../../test/factories.ts';
import { runRetention } from './retention.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ RETENTION_DAYS: '365' });
});
afterEach(async () => {
  await t.close();
});

const DAY = 24 * 3600 * 1000;

describe('retention job', () => {
  it('removes exactly what has outlived its purpose, truncates old IPs, and is idempotent', async () => {
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY);
    const user = await createUser(t);
    const { database } = t.services;
    await database.write(async (tx) => {
      const session = (id: string, v: Partial<typeof schema.sessions.$inferInsert>) =>
        tx.insert(schema.sessions).values({ id, userId: user.id, lastUsedAt: ago(0), expiresAt: new Date(now + 10 * DAY), ...v });
      await session('s_revoked_old', { revokedAt: ago(8), revokedReason: 'logout', createdAt: ago(9) });
      await session('s_revoked_recent', { revokedAt: ago(2), revokedReason: 'logout', createdAt: ago(3) });
      await session('s_expired', { expiresAt: ago(10), lastUsedAt: ago(11), createdAt: ago(20) });
      await session('s_idle', { lastUsedAt: ago(15), createdAt: ago(16) });
      await session('s_idle_recent', { lastUsedAt: ago(10), createdAt: ago(11) });
      await session('s_old_ip', { createdAt: ago(40), ip: '198.51.100.23' });
      await session('s_new_ip', { createdAt: ago(5), ip: '198.51.100.24' });
      await tx.insert(schema.refreshTokens).values([
        { tokenHash: 'h_revoked_old', sessionId: 's_revoked_old' },
        { tokenHash: 'h_expired', sessionId: 's_expired' },
        { tokenHash: 'h_revoked_recent', sessionId: 's_revoked_recent' },
      ]);

      await tx.insert(schema.groups).values({ id: 'g1', name: 'G', timezone: 'UTC' });
      const invite = (id: string, v: Partial<typeof schema.invites.$inferInsert>) =>
        tx.insert(schema.invites).values({ id, groupId: 'g1', codeHash: `hash_${id}`, codeEnc: 'x', createdBy: user.id, ...v });
      await invite('i_expired_old', { expiresAt: ago(31), createdAt: ago(40) });
      await invite('i_expired_recent', { expiresAt: ago(10), createdAt: ago(20) });
      await invite('i_revoked_old', { revokedAt: ago(40), createdAt: ago(50) });
      await invite('i_revoked_recent', { revokedAt: ago(5), createdAt: ago(50) });
      await invite('i_used_up_old', { maxUses: 2, uses: 2, createdAt: ago(40) });
      await invite('i_used_up_recent', { maxUses: 2, uses: 2, createdAt: ago(5) });
      await invite('i_open_old', { maxUses: 5, uses: 1, createdAt: ago(100) });

      const event = (type: 'login_succeeded' | 'login_failed', createdAt: Date, ip: string | null) =>
        tx.insert(schema.securityEvents).values({ type, userId: user.id, createdAt, ip }).returning({ id: schema.securityEvents.id });
      await event('login_failed', ago(400), '192.0.2.1');
      await event('login_succeeded', ago(366), '192.0.2.2');
      await event('login_succeeded', ago(300), '192.0.2.3');
      await event('login_succeeded', ago(40), '2001:db8:abcd:12::1');
      await event('login_succeeded', ago(31), 'unknown');
      await event('login_succeeded', ago(10), '192.0.2.4');
    });
    const eventsBefore = await database.db.select().from(schema.securityEvents);

    const report = await runRetention(database, t.services.config, now);
    expect(report).toEqual({
      sessionsDeleted: 3,
      refreshTokensDeleted: 2,
      invitesDeleted: 3,
      securityEventsDeleted: 2,
      securityEventIpsTruncated: 3,
      sessionIpsTruncated: 1,
    });

    const sessions = Object.fromEntries((await database.db.select().from(schema.sessions)).map((s) => [s.id, s.ip]));
    expect(
      Object.keys(sessions)
        .filter((id) => id.startsWith('s_'))
        .sort(),
    ).toEqual(['s_idle_recent', 's_new_ip', 's_old_ip', 's_revoked_recent'].sort());
    expect(sessions['s_old_ip']).toBe('198.51.100.0');
    expect(sessions['s_new_ip']).toBe('198.51.100.24');
    // The user's own live session (from registration) is untouched.
    expect(Object.keys(sessions)).toHaveLength(5);
    expect((await database.db.select().from(schema.refreshTokens)).map((r) => r.tokenHash)).toContain('h_revoked_recent');

    const invites = (await database.db.select().from(schema.invites)).map((i) => i.id).sort();
    expect(invites).toEqual(['i_expired_recent', 'i_open_old', 'i_revoked_recent', 'i_used_up_recent']);

    const events = await database.db.select().from(schema.securityEvents);
    const byIp = events.map((e) => e.ip);
    expect(byIp).not.toContain('192.0.2.1');
    expect(byIp).not.toContain('192.0.2.2');
    expect(byIp).toContain('192.0.2.0');
    expect(byIp).toContain('2001:db8:abcd::');
    expect(byIp).toContain('192.0.2.4');
    expect(events).toHaveLength(eventsBefore.length - 2);
    // Truncation leaves everything else in the row as it was.
    const truncated = events.find((e) => e.ip === '2001:db8:abcd::')!;
    const original = eventsBefore.find((e) => e.id === truncated.id)!;
    expect({ ...truncated, ip: original.ip }).toEqual(original);

    expect(await runRetention(database, t.services.config, now)).toEqual({
      sessionsDeleted: 0,
      refreshTokensDeleted: 0,
      invitesDeleted: 0,
      securityEventsDeleted: 0,
      securityEventIpsTruncated: 0,
      sessionIpsTruncated: 0,
    });
    // Sign-in still works for the live session after the pass.
    expect((await t.request('/api/users/me', { cookie: user.cookie })).status).toBe(200);
  });

  it('honours a shorter RETENTION_DAYS through the audit trigger', async () => {
    const short = await createTestApp({ RETENTION_DAYS: '30' });
    try {
      await short.services.database.write(async (tx) => {
        await tx.insert(schema.securityEvents).values({ type: 'login_failed', createdAt: new Date(Date.now() - 31 * DAY) });
        await tx.insert(schema.securityEvents).values({ type: 'login_failed', createdAt: new Date(Date.now() - 29 * DAY) });
      });
      const report = await runRetention(short.services.database, short.services.config);
      expect(report.securityEventsDeleted).toBe(1);
      expect(await short.services.database.db.select().from(schema.securityEvents)).toHaveLength(1);
    } finally {
      await short.close();
    }
  });
});
