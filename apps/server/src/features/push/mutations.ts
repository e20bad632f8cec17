/** Writes for push: subscribe (idempotent, re-binding, capped), unsubscribe, preferences. Run inside database.write(). */
import { and, asc, eq, ne } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { MAX_SUBSCRIPTIONS_PER_USER, endpointAad, endpointHash, getPreferences, keysAad, type PushPreferences } from './data.ts';
import type { NotificationKind } from './routes.ts';

export interface NewSubscription {
  userId: string;
  url: URL;
  keys: { p256dh: string; auth: string };
  userAgent: string | null;
}

export async function saveSubscription(
  tx: Tx,
  cipher: FieldCipher,
  input: NewSubscription,
  now: Date,
): Promise<{ id: string; createdAt: Date }> {
  const hash = endpointHash(input.url);
  const existing = await tx.select().from(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.endpointHash, hash)).get();
  // The same device again (a re-subscribe after key rotation, or a page reload): update in place.
  if (existing && existing.userId === input.userId) {
    await tx
      .update(schema.pushSubscriptions)
      .set({ keysEnc: cipher.encrypt(JSON.stringify(input.keys), keysAad(existing.id)), userAgent: input.userAgent })
      .where(eq(schema.pushSubscriptions.id, existing.id));
    return { id: existing.id, createdAt: existing.createdAt };
  }
  // The endpoint belongs to this browser profile, now signed in as someone else: the previous account
  // must stop receiving pushes on it (its queued deliveries go with it, by cascade).
  if (existing) await tx.delete(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, existing.id));
  const id = newId();
  await tx.insert(schema.pushSubscriptions).values({
    id,
    userId: input.userId,
    endpointHash: hash,
    endpointEnc: cipher.encrypt(input.url.href, endpointAad(id)),
    keysEnc: cipher.encrypt(JSON.stringify(input.keys), keysAad(id)),
    userAgent: input.userAgent,
    createdAt: now,
  });
  // A cap per account: the oldest devices beyond it are dropped (they are the likeliest to be stale).
  const others = await tx
    .select({ id: schema.pushSubscriptions.id })
    .from(schema.pushSubscriptions)
    .where(and(eq(schema.pushSubscriptions.userId, input.userId), ne(schema.pushSubscriptions.id, id)))
    .orderBy(asc(schema.pushSubscriptions.createdAt), asc(schema.pushSubscriptions.id));
  const excess = others.length + 1 - MAX_SUBSCRIPTIONS_PER_USER;
  for (const old of others.slice(0, Math.max(0, excess))) {
    await tx.delete(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, old.id));
  }
  return { id, createdAt: now };
}

/** Removes the caller's subscription for this endpoint (someone else's stays: the hash names it, not the caller). */
export async function deleteSubscription(tx: Tx, userId: string, url: URL): Promise<void> {
  await tx
    .delete(schema.pushSubscriptions)
    .where(and(eq(schema.pushSubscriptions.endpointHash, endpointHash(url)), eq(schema.pushSubscriptions.userId, userId)));
}

export async function updatePreferences(
  tx: Tx,
  userId: string,
  changes: Partial<Record<NotificationKind, boolean | undefined>>,
  now: Date,
): Promise<PushPreferences> {
  const current = await getPreferences(tx, userId);
  const next = { ...current };
  for (const [k, v] of Object.entries(changes) as Array<[NotificationKind, boolean | undefined]>) if (v !== undefined) next[k] = v;
  const push = JSON.stringify(next);
  await tx
    .insert(schema.notificationSettings)
    .values({ userId, push, updatedAt: now })
    .onConflictDoUpdate({ target: schema.notificationSettings.userId, set: { push, updatedAt: now } });
  return next;
}
