/**
 * The second factor at sign-in. Two-factor set-up, TOTP verification with replay protection and
 * recovery codes are implemented in ./totp.ts (issue #8); until a user enables 2FA this is never called.
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
