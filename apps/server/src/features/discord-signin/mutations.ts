/** Writes for Discord sign-up, sign-in and linking. Each runs inside the caller's write transaction. */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { usernameKey } from '@queuecrew/shared';
import { newId } from '../../lib/ids.ts';
import { freeUsername } from '../users/index.ts';
import { findUserByDiscordId } from './data.ts';
import { avatarUrlFromDiscord, usernameFromDiscord, type DiscordUser } from './oauth.ts';

export type LinkResult = { ok: true; changed: boolean } | { ok: false; reason: 'taken' | 'gone' };

/** Links `discordUser` to `userId`; refuses when that Discord account belongs to someone else. */
export async function linkDiscord(tx: Tx, userId: string, discordUser: DiscordUser): Promise<LinkResult> {
  const owner = await findUserByDiscordId(tx, discordUser.id);
  if (owner && owner.id !== userId) return { ok: false, reason: 'taken' };
  const me = await tx.select().from(schema.users).where(eq(schema.users.id, userId)).get();
  if (!me || me.disabledAt !== null) return { ok: false, reason: 'gone' };
  if (owner) return { ok: true, changed: false };
  await tx
    .update(schema.users)
    .set({ discordId: discordUser.id, avatarUrl: me.avatarUrl ?? avatarUrlFromDiscord(discordUser), updatedAt: new Date() })
    .where(eq(schema.users.id, userId));
  return { ok: true, changed: true };
}

/** Creates a Discord-only account (no email, no password); `decideRegistration` says whether it is an admin. */
export async function createDiscordUser(tx: Tx, discordUser: DiscordUser, isInstanceAdmin: boolean) {
  // Usernames are unique case-insensitively: "alice" taken means this one becomes "alice_2".
  const username = await freeUsername(tx, usernameFromDiscord(discordUser));
  const [user] = await tx
    .insert(schema.users)
    .values({
      id: newId(),
      email: null,
      username,
      usernameKey: usernameKey(username),
      passwordHash: null,
      avatarUrl: avatarUrlFromDiscord(discordUser),
      discordId: discordUser.id,
      isInstanceAdmin,
    })
    .returning();
  return user!;
}

/** Keeps the Discord avatar fresh on each sign-in, unless the person set another picture. */
export async function refreshDiscordAvatar(tx: Tx, user: typeof schema.users.$inferSelect, discordUser: DiscordUser): Promise<void> {
  const fresh = avatarUrlFromDiscord(discordUser);
  const isDiscordAvatar = user.avatarUrl === null || user.avatarUrl.startsWith('https://cdn.discordapp.com/');
  if (isDiscordAvatar && fresh !== user.avatarUrl) {
    await tx.update(schema.users).set({ avatarUrl: fresh, updatedAt: new Date() }).where(eq(schema.users.id, user.id));
  }
}

/** Unlinks Discord; the Discord avatar goes with it. */
export async function unlinkDiscord(tx: Tx, user: typeof schema.users.$inferSelect): Promise<void> {
  const avatarUrl = user.avatarUrl?.startsWith('https://cdn.discordapp.com/') ? null : user.avatarUrl;
  await tx.update(schema.users).set({ discordId: null, avatarUrl, updatedAt: new Date() }).where(eq(schema.users.id, user.id));
}
