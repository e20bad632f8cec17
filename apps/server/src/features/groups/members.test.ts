import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import type { ControlMessage, GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, type TestGroup } from '../../test/group-factories.ts';

let t: TestApp;
let owner: TestUser;
let admin: TestUser;
let admin2: TestUser;
let member: TestUser;
let member2: TestUser;
let outsider: TestUser;
let group: TestGroup;
const events: GroupEvent[] = [];
const controls: ControlMessage[] = [];

beforeAll(async () => {
  t = await createTestApp();
  t.services.hub.onEvent((e) => events.push(e));
  t.services.hub.onControl((m) => controls.push(m));
  outsider = await createUser(t);
});
beforeEach(async () => {
  // A fresh group per test: these tests change roles and memberships.
  [owner, admin, admin2, member, member2] = await Promise.all([createUser(t), createUser(t), createUser(t), createUser(t), createUser(t)]);
  group = await createGroup(t, owner, { name: 'Roles' });
  await addMembers(t, group.id, owner, [admin, admin2], 'admin');
  await addMembers(t, group.id, owner, [member, member2]);
});
afterAll(async () => {
  await t.close();
});

const patchRole = (actor: TestUser, target: string, role: string) =>
  t.request(`/api/groups/${group.id}/members/${target}`, { method: 'PATCH', json: { role }, cookie: actor.cookie });
const remove = (actor: TestUser, target: string) =>
  t.request(`/api/groups/${group.id}/members/${target}`, { method: 'DELETE', cookie: actor.cookie });
const transfer = (actor: TestUser, userId: string) =>
  t.request(`/api/groups/${group.id}/transfer`, { json: { userId }, cookie: actor.cookie });

async function roleOf(userId: string) {
  const row = await t.services.database.db
    .select({ role: schema.memberships.role })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.groupId, group.id), eq(schema.memberships.userId, userId)))
    .get();
  return row?.role;
}
async function eventsOf(type: string) {
  return t.services.database.db
    .select()
    .from(schema.securityEvents)
    .where(and(eq(schema.securityEvents.type, type), eq(schema.securityEvents.groupId, group.id)))
    .all();
}

describe('GET /api/groups/:groupId members', () => {
  it('orders members owner, admins, members', async () => {
    const body = (await (await t.request(`/api/groups/${group.id}`, { cookie: member.cookie })).json()) as {
      role: string;
      members: Array<{ id: string; role: string }>;
    };
    expect(body.role).toBe('member');
    expect(body.members.map((m) => m.role)).toEqual(['owner', 'admin', 'admin', 'member', 'member']);
    expect(body.members[0]!.id).toBe(owner.id);
  });
});

describe('PATCH /api/groups/:groupId/members/:userId', () => {
  it('lets an admin promote a member, records role_changed and publishes member_updated', async () => {
    const res = await patchRole(admin, member.id, 'admin');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: member.id, username: member.username, avatarUrl: null, role: 'admin' });
    expect(await roleOf(member.id)).toBe('admin');
    expect(events.at(-1)).toMatchObject({ type: 'member_updated', groupId: group.id, data: { id: member.id, role: 'admin' } });
    const logged = await eventsOf('role_changed');
    expect(logged.some((e) => e.userId === admin.id && JSON.parse(e.detail!).targetUserId === member.id)).toBe(true);
  });

  it('lets only the owner demote an admin', async () => {
    expect((await patchRole(admin, admin2.id, 'member')).status).toBe(403);
    expect(await roleOf(admin2.id)).toBe('admin');
    expect((await eventsOf('permission_denied')).some((e) => e.userId === admin.id)).toBe(true);
    expect((await patchRole(owner, admin2.id, 'member')).status).toBe(200);
    expect(await roleOf(admin2.id)).toBe('member');
  });

  it('takes effect on the very next request (roles are read from the database, not the token)', async () => {
    const asAdmin = await t.request(`/api/groups/${group.id}`, {
      method: 'PATCH',
      json: { description: 'by admin' },
      cookie: admin.cookie,
    });
    expect(asAdmin.status).toBe(200);
    expect((await patchRole(owner, admin.id, 'member')).status).toBe(200);
    const demoted = await t.request(`/api/groups/${group.id}`, { method: 'PATCH', json: { description: 'again' }, cookie: admin.cookie });
    expect(demoted.status).toBe(403);
    expect((await t.request(`/api/groups/${group.id}/invites`, { json: {}, cookie: admin.cookie })).status).toBe(403);
  });

  it("never changes the owner's role", async () => {
    const byAdmin = await patchRole(admin, owner.id, 'member');
    expect(byAdmin.status).toBe(409);
    expect(await byAdmin.json()).toMatchObject({ code: 'owner_role_locked' });
    const bySelf = await patchRole(owner, owner.id, 'admin');
    expect(bySelf.status).toBe(409);
    expect(await roleOf(owner.id)).toBe('owner');
  });

  it('refuses members (403, logged), outsiders (404), unknown targets (404) and bad roles (400)', async () => {
    expect((await patchRole(member, member2.id, 'admin')).status).toBe(403);
    expect((await eventsOf('permission_denied')).some((e) => e.userId === member.id)).toBe(true);
    expect((await patchRole(outsider, member.id, 'admin')).status).toBe(404);
    expect((await patchRole(admin, outsider.id, 'admin')).status).toBe(404);
    for (const role of ['owner', 'superuser', '']) {
      const res = await patchRole(owner, member.id, role);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_input', details: { role: expect.any(String) } });
    }
    const extra = await t.request(`/api/groups/${group.id}/members/${member.id}`, {
      method: 'PATCH',
      json: { role: 'admin', groupId: 'other' },
      cookie: owner.cookie,
    });
    expect(extra.status).toBe(400);
    expect(await roleOf(member.id)).toBe('member');
  });
});

describe('DELETE /api/groups/:groupId/members/:userId', () => {
  it('lets an admin remove a member: access ends at once, events are recorded and published', async () => {
    const res = await remove(admin, member.id);
    expect(res.status).toBe(204);
    expect(await roleOf(member.id)).toBeUndefined();
    expect((await t.request(`/api/groups/${group.id}`, { cookie: member.cookie })).status).toBe(404);
    expect(events.at(-1)).toMatchObject({ type: 'member_left', groupId: group.id, data: { id: member.id } });
    expect(controls.at(-1)).toEqual({ type: 'access_revoked', groupId: group.id, userId: member.id });
    expect((await eventsOf('member_removed')).some((e) => e.userId === admin.id)).toBe(true);
  });

  it('lets only the owner remove an admin, and nobody remove the owner', async () => {
    expect((await remove(admin, admin2.id)).status).toBe(403);
    expect((await remove(admin, owner.id)).status).toBe(403);
    expect((await remove(member, member2.id)).status).toBe(403);
    expect((await remove(owner, admin2.id)).status).toBe(204);
    expect(await roleOf(owner.id)).toBe('owner');
  });

  it('lets anyone but the owner leave', async () => {
    expect((await remove(member, member.id)).status).toBe(204);
    expect((await remove(admin, admin.id)).status).toBe(204);
    expect(controls.at(-1)).toEqual({ type: 'access_revoked', groupId: group.id, userId: admin.id });
    expect((await eventsOf('member_left')).map((e) => e.userId)).toEqual(expect.arrayContaining([member.id, admin.id]));
    const res = await remove(owner, owner.id);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { code: string; error: string };
    expect(body.code).toBe('owner_cannot_leave');
    expect(body.error).toMatch(/transfer/i);
  });

  it('answers 404 to outsiders and for non-members', async () => {
    expect((await remove(outsider, member.id)).status).toBe(404);
    expect((await remove(owner, outsider.id)).status).toBe(404);
  });
});

describe('POST /api/groups/:groupId/transfer', () => {
  it('hands the group over; the old owner becomes an admin', async () => {
    const res = await transfer(owner, member.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { role: string; members: Array<{ id: string; role: string }> };
    expect(body.role).toBe('admin');
    expect(body.members[0]).toMatchObject({ id: member.id, role: 'owner' });
    expect(await roleOf(owner.id)).toBe('admin');
    expect(await roleOf(member.id)).toBe('owner');
    expect((await eventsOf('ownership_transferred')).length).toBe(1);
    // The new owner can now delete; the old one cannot.
    expect((await t.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(403);
    expect((await remove(owner, owner.id)).status).toBe(204);
  });

  it('is for the owner only, to a member of this group', async () => {
    expect((await transfer(admin, member.id)).status).toBe(403);
    expect((await transfer(member, member.id)).status).toBe(403);
    expect((await transfer(outsider, member.id)).status).toBe(404);
    expect((await transfer(owner, outsider.id)).status).toBe(404);
    const self = await transfer(owner, owner.id);
    expect(self.status).toBe(409);
    expect(await self.json()).toMatchObject({ code: 'already_owner' });
    const extra = await t.request(`/api/groups/${group.id}/transfer`, { json: { userId: member.id, role: 'owner' }, cookie: owner.cookie });
    expect(extra.status).toBe(400);
    expect(await roleOf(owner.id)).toBe('owner');
  });
});

describe('DELETE /api/groups/:groupId', () => {
  it('is for the owner only; records group_deleted and tells the group and the sockets', async () => {
    expect((await t.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(403);
    expect((await t.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: outsider.cookie })).status).toBe(404);
    expect((await t.request(`/api/groups/${group.id}`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect(events.at(-1)).toEqual({ type: 'group_deleted', groupId: group.id, data: {} });
    expect(controls.at(-1)).toEqual({ type: 'group_deleted', groupId: group.id });
    expect((await eventsOf('group_deleted')).length).toBe(1);
    expect((await t.request('/api/groups', { cookie: member.cookie }).then((r) => r.json())) as unknown[]).toEqual([]);
  });
});

describe('PATCH /api/groups/:groupId', () => {
  it('is for admins; publishes group_updated without a role; a member gets 403', async () => {
    const res = await t.request(`/api/groups/${group.id}`, { method: 'PATCH', json: { name: 'New name' }, cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'New name', role: 'admin' });
    const ev = events.at(-1)!;
    expect(ev).toMatchObject({ type: 'group_updated', groupId: group.id, data: { id: group.id, name: 'New name' } });
    expect(ev.data).not.toHaveProperty('role');
    expect((await t.request(`/api/groups/${group.id}`, { method: 'PATCH', json: { name: 'x' }, cookie: member.cookie })).status).toBe(403);
  });

  it('stores SQL metacharacters and markup in names literally', async () => {
    for (const name of [`'; DROP TABLE groups; --`, `<script>alert("x")</script>`, `a%_b\\c`]) {
      const res = await t.request(`/api/groups/${group.id}`, { method: 'PATCH', json: { name, description: name }, cookie: owner.cookie });
      expect(await res.json()).toMatchObject({ name, description: name });
      const list = (await (await t.request('/api/groups', { cookie: owner.cookie })).json()) as Array<{ id: string; name: string }>;
      expect(list.find((g) => g.id === group.id)!.name).toBe(name);
    }
  });
});
