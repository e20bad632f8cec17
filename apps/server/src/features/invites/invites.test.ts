import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import { ManualClock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, createInviteCode, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let group: TestGroup;
const events: GroupEvent[] = [];
beforeAll(async () => {
  t = await createTestApp();
  t.services.hub.onEvent((e) => events.push(e));
  [owner, member, outsider] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Invite test' });
  await addMembers(t, group.id, owner, [member]);
});
afterAll(async () => {
  await t.close();
});

interface InviteBody {
  id: string;
  code: string;
  url: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
}

describe('POST /api/groups/:groupId/invites', () => {
  it('creates an unguessable code, stored only hashed and encrypted', async () => {
    const res = await t.request(`/api/groups/${group.id}/invites`, { json: { expiresInHours: 2, maxUses: 3 }, cookie: owner.cookie });
    expect(res.status).toBe(201);
    const body = (await res.json()) as InviteBody;
    expect(body).toMatchObject({ maxUses: 3, uses: 0 });
    expect(body.url).toBe(`http://localhost:3000/invite/${body.code}`);
    // ≥ 128 bits of base64url randomness.
    expect(body.code).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const hours = (new Date(body.expiresAt!).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    const row = await t.services.database.db.select().from(schema.invites).where(eq(schema.invites.id, body.id)).get();
    expect(row!.codeHash).toBe(sha256(body.code));
    expect(row!.codeEnc).not.toContain(body.code);
  });

  it('defaults to a 7-day expiry and unlimited uses', async () => {
    const res = await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: owner.cookie });
    const body = (await res.json()) as InviteBody;
    expect(body.maxUses).toBeNull();
    const days = (new Date(body.expiresAt!).getTime() - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(6.99);
  });

  it.each([
    [{ expiresInHours: 0 }],
    [{ expiresInHours: 721 }],
    [{ maxUses: 0 }],
    [{ maxUses: 1.5 }],
    [{ groupId: 'x' }],
    [{ maxUses: '3' }],
  ])('refuses %j', async (json) => {
    const res = await t.request(`/api/groups/${group.id}/invites`, { json, cookie: owner.cookie });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_input' });
  });

  it('is for admins: a member gets 403 (and it is logged), an outsider 404', async () => {
    expect((await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: member.cookie })).status).toBe(403);
    const denied = await t.services.database.db
      .select()
      .from(schema.securityEvents)
      .where(eq(schema.securityEvents.type, 'permission_denied'))
      .all();
    expect(denied.some((e) => e.userId === member.id && e.groupId === group.id)).toBe(true);
    expect((await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: outsider.cookie })).status).toBe(404);
  });
});

describe('GET/DELETE /api/groups/:groupId/invites', () => {
  it('lists live invites with their code for admins, and revokes them', async () => {
    const code = await createInviteCode(t, group.id, owner);
    const list = (await (await t.request(`/api/groups/${group.id}/invites`, { cookie: owner.cookie })).json()) as InviteBody[];
    const inv = list.find((i) => i.code === code)!;
    expect(inv).toBeTruthy();
    expect((await t.request(`/api/groups/${group.id}/invites/${inv.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await t.request(`/api/invites/${code}`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: outsider.cookie })).status).toBe(404);
    const after = (await (await t.request(`/api/groups/${group.id}/invites`, { cookie: owner.cookie })).json()) as InviteBody[];
    expect(after.map((i) => i.id)).not.toContain(inv.id);
    // Revoking again is harmless; an unknown id is 404.
    expect((await t.request(`/api/groups/${group.id}/invites/${inv.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect((await t.request(`/api/groups/${group.id}/invites/nope`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(404);
  });

  it('does not reveal invites of another group through this one', async () => {
    const other = await createGroup(t, outsider, { name: 'Other' });
    const res = await t.request(`/api/groups/${other.id}/invites`, { json: {}, cookie: outsider.cookie });
    const otherInvite = (await res.json()) as InviteBody;
    expect((await t.request(`/api/groups/${group.id}/invites/${otherInvite.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(
      404,
    );
    expect((await t.request(`/api/invites/${otherInvite.code}`, { cookie: owner.cookie })).status).toBe(200);
  });
});

describe('GET /api/invites/:code and POST /accept', () => {
  it('previews name and member count only, also to visitors', async () => {
    const code = await createInviteCode(t, group.id, owner);
    const res = await t.request(`/api/invites/${code}`, { cookie: outsider.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ groupName: 'Invite test', memberCount: 2 });
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'groupName', 'memberCount']);
    expect((await t.request(`/api/invites/${code}`)).status).toBe(200);
  });

  it('accepts as member, idempotently, and publishes member_joined', async () => {
    const joiner = await createUser(t);
    const code = await createInviteCode(t, group.id, owner, { maxUses: 5 });
    const first = await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: joiner.cookie });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ groupId: group.id, role: 'member' });
    expect(events.some((e) => e.type === 'member_joined' && (e.data as { id: string }).id === joiner.id)).toBe(true);
    const again = await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: joiner.cookie });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ groupId: group.id, role: 'member' });
    // The owner accepting keeps their role; no use is counted for existing members.
    expect(await (await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: owner.cookie })).json()).toEqual({
      groupId: group.id,
      role: 'owner',
    });
    const list = (await (await t.request(`/api/groups/${group.id}/invites`, { cookie: owner.cookie })).json()) as Array<
      InviteBody & { code: string }
    >;
    expect(list.find((i) => i.code === code)!.uses).toBe(1);
  });

  it('stops at maxUses, also when people race for the last use', async () => {
    const code = await createInviteCode(t, group.id, owner, { maxUses: 2 });
    const racers = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(t)));
    const results = await Promise.all(racers.map((u) => t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: u.cookie })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 404, 404, 404]);
    expect((await t.request(`/api/invites/${code}`, { cookie: outsider.cookie })).status).toBe(404);
  });

  it('answers 404 for expired, unknown and malformed codes', async () => {
    const code = await createInviteCode(t, group.id, owner, { expiresInHours: 1 });
    const later = new ManualClock(Date.now() + 2 * 3600_000);
    const realClock = t.services.clock;
    t.services.clock = later;
    try {
      expect((await t.request(`/api/invites/${code}`, { cookie: outsider.cookie })).status).toBe(404);
      expect((await t.request(`/api/invites/${code}/accept`, { method: 'POST', cookie: outsider.cookie })).status).toBe(404);
    } finally {
      t.services.clock = realClock;
    }
    for (const bad of ['x'.repeat(32), 'short', '%2e%2e', "'%20OR%201=1--", 'a'.repeat(200)]) {
      const res = await t.request(`/api/invites/${bad}`, { cookie: outsider.cookie });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it('needs a signed-in user to accept', async () => {
    const code = await createInviteCode(t, group.id, owner);
    expect((await t.request(`/api/invites/${code}/accept`, { method: 'POST' })).status).toBe(401);
  });
});

describe('invite status in the admin list (issue 14, bug 9)', () => {
  it('says active, used_up or expired, so used-up and expired links are not offered as active', async () => {
    const g = await createGroup(t, owner, { name: 'Status test' });
    const once = await createInviteCode(t, g.id, owner, { maxUses: 1 });
    const short = await createInviteCode(t, g.id, owner, { expiresInHours: 1 });
    const open = await createInviteCode(t, g.id, owner, { expiresInHours: 720 });
    const joiner = await createUser(t);
    expect((await t.request(`/api/invites/${once}/accept`, { method: 'POST', cookie: joiner.cookie })).status).toBe(200);
    const realClock = t.services.clock;
    t.services.clock = new ManualClock(Date.now() + 2 * 3600_000);
    try {
      const res = await t.request(`/api/groups/${g.id}/invites`, { cookie: owner.cookie });
      expect(res.status).toBe(200);
      const list = (await res.json()) as Array<InviteBody & { status: string; active: boolean }>;
      const byCode = Object.fromEntries(list.map((i) => [i.code, i]));
      expect(byCode[once]).toMatchObject({ status: 'used_up', active: false });
      expect(byCode[short]).toMatchObject({ status: 'expired', active: false });
      expect(byCode[open]).toMatchObject({ status: 'active', active: true });
    } finally {
      t.services.clock = realClock;
    }
  });
});
