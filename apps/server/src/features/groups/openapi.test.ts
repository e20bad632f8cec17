import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/create-test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('OpenAPI document', () => {
  it('describes every group, invite and suggestion route', async () => {
    const res = await t.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: Array<[string, string]> = [
      ['/api/groups', 'post'],
      ['/api/groups', 'get'],
      ['/api/groups/{groupId}', 'get'],
      ['/api/groups/{groupId}', 'patch'],
      ['/api/groups/{groupId}', 'delete'],
      ['/api/groups/{groupId}/invites', 'post'],
      ['/api/groups/{groupId}/invites', 'get'],
      ['/api/groups/{groupId}/invites/{inviteId}', 'delete'],
      ['/api/invites/{code}', 'get'],
      ['/api/invites/{code}/accept', 'post'],
      ['/api/groups/{groupId}/members/{userId}', 'patch'],
      ['/api/groups/{groupId}/members/{userId}', 'delete'],
      ['/api/groups/{groupId}/transfer', 'post'],
      ['/api/groups/{groupId}/suggestions', 'post'],
      ['/api/groups/{groupId}/suggestions', 'get'],
      ['/api/suggestions/{suggestionId}', 'delete'],
      ['/api/suggestions/{suggestionId}/votes', 'post'],
      ['/api/suggestions/{suggestionId}/votes', 'delete'],
      ['/api/groups/{groupId}/results', 'get'],
      ['/api/groups/{groupId}/history', 'get'],
      ['/api/groups/{groupId}/nights', 'get'],
      ['/api/groups/{groupId}/nights/{date}', 'get'],
      ['/api/groups/{groupId}/nights/{date}', 'patch'],
      ['/api/groups/{groupId}/nights/{date}/close', 'post'],
      ['/api/groups/{groupId}/nights/{date}/reopen', 'post'],
      ['/api/groups/{groupId}/nights/{date}/pick', 'post'],
      ['/api/groups/{groupId}/nights/{date}/rsvp', 'put'],
      ['/api/groups/{groupId}/nights/{date}/nudge', 'post'],
      ['/api/groups/{groupId}/nights/{date}/ballot', 'put'],
      ['/api/groups/{groupId}/nights/{date}/ballot', 'get'],
      ['/api/suggestions/{suggestionId}/veto', 'post'],
      ['/api/suggestions/{suggestionId}/veto', 'delete'],
      ['/api/groups/{groupId}/stats', 'get'],
      ['/api/notifications', 'get'],
      ['/api/notifications/read', 'post'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
  });

  it('documents the night and the group’s night defaults with the contract’s field names', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.components.schemas.Night?.properties ?? {}).sort()).toEqual(
      [
        'groupId',
        'date',
        'startsAt',
        'closesAt',
        'status',
        'method',
        'tieBreak',
        'resultsVisibility',
        'winner',
        'tied',
        'tieBreakSeed',
        'vetoes',
        'noWinnerReason',
        'rsvps',
        'myRsvp',
        'voters',
        'notVoted',
        'closedAt',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas.NightDefaults?.properties ?? {}).sort()).toEqual(
      ['startTime', 'closeBeforeMinutes', 'tieBreak', 'resultsVisibility', 'reminderBeforeMinutes', 'method', 'vetoes'].sort(),
    );
    expect(Object.keys(doc.components.schemas.Results?.properties ?? {}).sort()).toEqual(
      ['date', 'method', 'voters', 'suggestions', 'winners', 'rounds'].sort(),
    );
    expect(Object.keys(doc.components.schemas.Stats?.properties ?? {}).sort()).toEqual(['from', 'to', 'nights', 'games', 'members'].sort());
    expect(doc.components.schemas.Suggestion?.properties).toHaveProperty('vetoedBy');
    expect(Object.keys(doc.components.schemas.Ballot?.properties ?? {}).sort()).toEqual(['date', 'ranking']);
    expect(Object.keys(doc.components.schemas.Notification?.properties ?? {}).sort()).toEqual(
      ['id', 'kind', 'groupId', 'date', 'title', 'body', 'url', 'createdAt', 'readAt'].sort(),
    );
  });
});
