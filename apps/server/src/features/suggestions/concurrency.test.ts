/** Many members approving the same suggestion at once: every vote counts once, nothing is lost, no 5xx. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.ts';
import type { GroupEvent } from '../../lib/hub.ts';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, createSignedInUsers, openDay } from '../../test/group-factories.ts';

const MEMBERS = 100;
let t: TestApp;
let owner: TestUser;
const members: TestUser[] = [];
let groupId: string;

/** Tomorrow (UTC): its night takes votes whatever the time of day. */
const day = openDay('UTC');

beforeAll(async () => {
  t = await createTestApp();
  owner = await createUser(t);
  members.push(...(await createSignedInUsers(t, MEMBERS)));
  groupId = (await createGroup(t, owner, { name: 'Crowd' })).id;
  await addMembers(t, groupId, owner, members);
});
afterAll(async () => {
  await t.close();
});

describe('100 members voting at once', () => {
  it('ends with exactly 100 votes, each request answered 201 with a distinct running tally', async () => {
    const res = await t.request(`/api/groups/${groupId}/suggestions`, {
      json: { gameName: 'Everyone wants this', date: day },
      cookie: owner.cookie,
    });
    const { id } = (await res.json()) as { id: string };
    const events: GroupEvent[] = [];
    t.services.hub.onEvent((e) => events.push(e));

    const responses = await Promise.all(
      members.map((m) => t.request(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: m.cookie })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(MEMBERS).fill(201));
    const tallies = await Promise.all(responses.map(async (r) => ((await r.json()) as { votes: number }).votes));
    expect(new Set(tallies).size).toBe(MEMBERS);
    // The suggestion is the owner's approval, so the members' approvals come on top of it.
    expect(Math.max(...tallies)).toBe(MEMBERS + 1);

    const rows = await t.services.database.db.select().from(schema.votes).where(eq(schema.votes.suggestionId, id)).all();
    expect(rows.length).toBe(MEMBERS + 1);
    const list = (await (await t.request(`/api/groups/${groupId}/suggestions?date=${day}`, { cookie: owner.cookie })).json()) as Array<{
      votes: number;
      voters: unknown[];
    }>;
    expect(list[0]!.votes).toBe(MEMBERS + 1);
    expect(list[0]!.voters.length).toBe(MEMBERS + 1);
    const results = (await (await t.request(`/api/groups/${groupId}/results?date=${day}`, { cookie: owner.cookie })).json()) as {
      voters: number;
      winners: string[];
    };
    expect(results).toMatchObject({ voters: MEMBERS + 1, winners: [id] });
    expect(events.filter((e) => e.type === 'vote_updated').length).toBe(MEMBERS);
  });

  it('counts a double-click once: one 201, the rest 409 already_voted', async () => {
    const res = await t.request(`/api/groups/${groupId}/suggestions`, {
      json: { gameName: 'Double click', date: day },
      cookie: owner.cookie,
    });
    const { id } = (await res.json()) as { id: string };
    const voter = members[0]!;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => t.request(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: voter.cookie })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await t.services.database.db.select().from(schema.votes).where(eq(schema.votes.suggestionId, id)).all();
    // The voter's one approval, next to the suggester's.
    expect(rows.map((r) => r.userId).sort()).toEqual([owner.id, voter.id].sort());
  });

  it('never answers 5xx when the group is deleted while members are writing to it', async () => {
    const crew = members.slice(0, 20);
    const doomed = (await createGroup(t, owner, { name: 'Doomed' })).id;
    await addMembers(t, doomed, owner, crew);
    const res = await t.request(`/api/groups/${doomed}/suggestions`, { json: { gameName: 'Last game', date: day }, cookie: owner.cookie });
    const { id } = (await res.json()) as { id: string };
    const requests = [
      ...crew.map((m, i) =>
        i % 2 === 0
          ? t.request(`/api/groups/${doomed}/suggestions`, { json: { gameName: `Game ${i}`, date: day }, cookie: m.cookie })
          : t.request(`/api/suggestions/${id}/votes`, { method: 'POST', cookie: m.cookie }),
      ),
      t.request(`/api/groups/${doomed}/invites`, { json: {}, cookie: owner.cookie }),
      t.request(`/api/groups/${doomed}`, { method: 'DELETE', cookie: owner.cookie }),
      t.request(`/api/groups/${doomed}/invites`, { json: {}, cookie: owner.cookie }),
    ];
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses).toContain(204);
    expect((await t.request(`/api/groups/${doomed}`, { cookie: owner.cookie })).status).toBe(404);
  });
});
