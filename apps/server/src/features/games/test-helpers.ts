/** Small helpers shared by the games tests (real app, real endpoints). */
import type { TestApp } from '../../test/create-test-app.ts';
import type { TestUser } from '../../test/factories.ts';

type Requester = Pick<TestApp, 'request'>;

export async function body<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const nightPath = (groupId: string, day: string, action: string) => `/api/groups/${groupId}/nights/${day}/${action}`;

export async function rsvp(t: Requester, user: TestUser, groupId: string, day: string, status: 'in' | 'maybe' | 'out'): Promise<void> {
  await body(await t.request(nightPath(groupId, day, 'rsvp'), { method: 'PUT', json: { status }, cookie: user.cookie }), 200);
}

export async function closeNow(t: Requester, user: TestUser, groupId: string, day: string): Promise<void> {
  await body(await t.request(nightPath(groupId, day, 'close'), { method: 'POST', cookie: user.cookie }), 200);
}

export async function suggestOn(t: Requester, user: TestUser, groupId: string, day: string, gameName: string): Promise<{ id: string }> {
  return body<{ id: string }>(
    await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: day }, cookie: user.cookie }),
    201,
  );
}
