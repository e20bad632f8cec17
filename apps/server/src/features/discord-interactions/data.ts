/** Reads for the Discord interactions feature: channel bindings, link codes, names for autocomplete. */
import type { z } from '@hono/zod-openapi';
import { DiscordChannelSchema, DiscordLinkCodeSchema } from '@queuecrew/shared';
import { and, desc, eq, like, sql } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../../db/client.ts';
import { sha256 } from '../../lib/crypto.ts';

export { DiscordChannelSchema, DiscordLinkCodeSchema };

export type ChannelRow = typeof schema.discordChannels.$inferSelect;
export type JoinPolicy = 'members' | 'channel';

export type DiscordChannelDto = z.infer<typeof DiscordChannelSchema>;

export async function channelOfGroup(db: Db | Tx, groupId: string): Promise<ChannelRow | undefined> {
  return db.select().from(schema.discordChannels).where(eq(schema.discordChannels.groupId, groupId)).get();
}

export async function groupOfChannel(db: Db | Tx, guildId: string, channelId: string): Promise<ChannelRow | undefined> {
  return db
    .select()
    .from(schema.discordChannels)
    .where(and(eq(schema.discordChannels.guildId, guildId), eq(schema.discordChannels.channelId, channelId)))
    .get();
}

/** The admin view of the binding (the group DTO's `discordChannel`). */
export async function discordChannelDto(
  db: Db | Tx,
  group: { id: string; discordJoinPolicy: JoinPolicy },
): Promise<DiscordChannelDto | null> {
  const row = await channelOfGroup(db, group.id);
  return row ? { guildId: row.guildId, channelId: row.channelId, joinPolicy: group.discordJoinPolicy } : null;
}

export async function findLinkCode(db: Db | Tx, code: string) {
  return db
    .select()
    .from(schema.discordLinkCodes)
    .where(eq(schema.discordLinkCodes.codeHash, sha256(normalizeCode(code))))
    .get();
}

/** Codes are shown as `QC-XXXX-XXXX-XXXX`; typed with or without dashes, in any case. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

export async function isMember(db: Db | Tx, groupId: string, userId: string): Promise<boolean> {
  const row = await db
    .select({ userId: schema.memberships.userId })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.groupId, groupId), eq(schema.memberships.userId, userId)))
    .get();
  return row !== undefined;
}

export async function hasVoted(db: Db | Tx, suggestionId: string, userId: string): Promise<boolean> {
  const row = await db
    .select({ userId: schema.votes.userId })
    .from(schema.votes)
    .where(and(eq(schema.votes.suggestionId, suggestionId), eq(schema.votes.userId, userId)))
    .get();
  return row !== undefined;
}

/** Game names the group suggested before, most often first, matching what is typed so far (≤ 25, Discord's limit). */
export async function pastGameNames(db: Db, groupId: string, typed: string): Promise<string[]> {
  const pattern = `%${typed.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = await db
    .select({ name: sql<string>`max(${schema.suggestions.gameName})`, uses: sql<number>`count(*)` })
    .from(schema.suggestions)
    .where(and(eq(schema.suggestions.groupId, groupId), like(schema.suggestions.gameName, sql`${pattern} ESCAPE '\\'`)))
    .groupBy(schema.suggestions.gameKey)
    .orderBy(desc(sql`count(*)`), sql`max(${schema.suggestions.gameName}) COLLATE NOCASE`)
    .limit(25);
  return rows.map((r) => r.name);
}
