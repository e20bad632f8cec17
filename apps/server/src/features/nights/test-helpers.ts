/** Small helpers shared by the nights tests (real app, real endpoints). */
import type { TestApp } from '../../test/create-test-app.ts';
import type { TestUser } from '../../test/factories.ts';
import type { NightDto } from './data.ts';

type Requester = Pick<TestApp, 'request'>;

export async function body<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const nightPath = (groupId: string, day: string, action = '') => `/api/groups/${groupId}/nights/${day}${action ? `/${action}` : ''}`;

export async function getNight(t: Requester, user: TestUser, groupId: string, day: string): Promise<NightDto> {
  return body<NightDto>(await t.request(nightPath(groupId, day), { cookie: user.cookie }), 200);
}

export async function suggestOn(t: Requester, user: TestUser, groupId: string, day: string, gameName: string): Promise<{ id: string }> {
  return body<{ id: string }>(
    await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: day }, cookie: user.cookie }),
    201,
  );
}

export async function approve(t: Requester, user: TestUser, suggestionId: string): Promise<void> {
  await body(await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'POST', cookie: user.cookie }), 201);
}

export async function unapprove(t: Requester, user: TestUser, suggestionId: string): Promise<void> {
  await body(await t.request(`/api/suggestions/${suggestionId}/votes`, { method: 'DELETE', cookie: user.cookie }), 204);
}

export async function rsvp(t: Requester, user: TestUser, groupId: string, day: string, status: 'in' | 'maybe' | 'out'): Promise<NightDto> {
  return body<NightDto>(await t.request(nightPath(groupId, day, 'rsvp'), { method: 'PUT', json: { status }, cookie: user.cookie }), 200);
}

export async function closeNow(t: Requester, user: TestUser, groupId: string, day: string): Promise<NightDto> {
  return body<NightDto>(await t.request(nightPath(groupId, day, 'close'), { method: 'POST', cookie: user.cookie }), 200);
}

export async function patchDefaults(
  t: Requester,
  user: TestUser,
  groupId: string,
  nightDefaults: Record<string, unknown>,
): Promise<Response> {
  return t.request(`/api/groups/${groupId}`, { method: 'PATCH', json: { nightDefaults }, cookie: user.cookie });
}
