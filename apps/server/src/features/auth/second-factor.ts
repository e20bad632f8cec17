/**
 * The second factor at sign-in, for accounts with two-factor sign-in on: a TOTP code (replay-protected)
 * or an unused recovery code, checked by ./totp.ts. No code at all is refused.
 */
import type { Context } from 'hono';
import type { schema } from '../../db/client.ts';
import type { AppEnv } from '../../lib/context.ts';
import { verifySecondFactor } from './totp.ts';

export async function checkSecondFactor(
  c: Context<AppEnv>,
  user: typeof schema.users.$inferSelect,
  code: string | undefined,
): Promise<boolean> {
  if (!code) return false;
  return verifySecondFactor(c, user, code);
}
