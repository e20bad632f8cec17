/** Reads for push: subscriptions and per-kind preferences. */
import { eq } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './routes.ts';

export const MAX_SUBSCRIPTIONS_PER_USER = 10;

export type PushPreferences = Record<NotificationKind, boolean>;

/** The lookup key of an endpoint: SHA-256 of its normalised URL (the URL itself is stored encrypted). */
export function endpointHash(url: URL): string {
  return sha256(`push-endpoint:${url.href}`);
}

/** Associated data binding each ciphertext to its row and column (a value copied to another row fails to decrypt). */
export const endpointAad = (subscriptionId: string) => `push_subscriptions.endpoint:${subscriptionId}`;
export const keysAad = (subscriptionId: string) => `push_subscriptions.keys:${subscriptionId}`;

/** Stored JSON → all kinds, missing or malformed ones on. */
export function parsePreferences(stored: string | undefined | null): PushPreferences {
  let raw: unknown = {};
  try {
    raw = JSON.parse(stored ?? '{}');
  } catch {
    raw = {};
  }
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, obj[k] !== false])) as PushPreferences;
}

export async function getPreferences(db: Db | Tx, userId: string): Promise<PushPreferences> {
  const row = await db
    .select({ push: schema.notificationSettings.push })
    .from(schema.notificationSettings)
    .where(eq(schema.notificationSettings.userId, userId))
    .get();
  return parsePreferences(row?.push);
}
