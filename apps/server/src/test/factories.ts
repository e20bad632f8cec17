/**
 * Factories and a login helper. Users are created through the real register endpoint, so sessions and
 * cookies are exactly what a browser gets.
 */
import { randomBytes } from 'node:crypto';
import type { TestApp } from './create-test-app.ts';

export const STRONG_PASSWORD = 'correct horse battery staple 42';

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  /** Cookie header value carrying the session cookies. */
  cookie: string;
  /** The access JWT (usable as a Bearer token). */
  accessToken: string;
  refreshToken: string;
}

/** Turns Set-Cookie headers into a Cookie header value, and the values by name. */
export function cookiesFrom(res: Response): { header: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const idx = pair!.indexOf('=');
    values[pair!.slice(0, idx)] = pair!.slice(idx + 1);
  }
  return {
    header: Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    values,
  };
}

function sessionFrom(res: Response) {
  const { header, values } = cookiesFrom(res);
  const accessToken = values['qc_access'] ?? values['__Host-qc_access'] ?? '';
  const refreshToken = values['qc_refresh'] ?? values['__Secure-qc_refresh'] ?? '';
  return { cookie: header, accessToken, refreshToken };
}

let counter = 0;
export async function createUser(
  t: Pick<TestApp, 'request'>,
  overrides: Partial<{ email: string; username: string; password: string }> = {},
): Promise<TestUser> {
  counter += 1;
  const suffix = `${counter}${randomBytes(3).toString('hex')}`;
  const email = overrides.email ?? `user${suffix}@example.test`;
  const username = overrides.username ?? `user_${suffix}`.slice(0, 32);
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await t.request('/api/auth/register', { json: { email, username, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  return { id: body.user.id, email, username, password, ...sessionFrom(res) };
}

export async function login(t: Pick<TestApp, 'request'>, email: string, password: string, totp?: string) {
  const res = await t.request('/api/auth/login', { json: { email, password, ...(totp ? { totp } : {}) } });
  return { res, ...sessionFrom(res) };
}
