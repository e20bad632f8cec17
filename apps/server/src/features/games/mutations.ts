/**
 * Writes for the game library; each runs inside the caller's `database.write()` transaction. Names and
 * aliases share one key space per group: the primary key (group_id, key) of `game_keys` is the judge of
 * duplicates. Each write first looks the keys up inside its (serialised, BEGIN IMMEDIATE) transaction to
 * answer with the game that holds them; the primary key still refuses anything that slips past.
 */
import { libraryKey } from '@queuecrew/shared';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { STEAM_COVER_HOST } from '../../lib/steam-cdn.ts';
import type { GameRow } from './data.ts';

export interface GameFields {
  name: string;
  aliases: string[];
  minPlayers: number | null;
  maxPlayers: number | null;
  playtimeMinutes: number | null;
  platforms: string[];
  steamAppId: number | null;
}

/** Cover art for a Steam game: Steam's CDN (the one image host the CSP allows for covers). */
export { STEAM_COVER_HOST };
export const coverFor = (steamAppId: number | null) =>
  steamAppId === null ? null : `${STEAM_COVER_HOST}/steam/apps/${steamAppId}/header.jpg`;

/** 409 `duplicate_game`: the name or an alias has the key of another game's name or alias. */
export function duplicateGame(gameId: string | null, name: string): AppError {
  return new AppError(409, 'duplicate_game', `“${name}” (or one of its aliases) is already in the library.`, { gameId });
}

/**
 * The keys of a game: its name's key first, then each alias's key not already taken by the name or an
 * earlier alias (such aliases are dropped: they add nothing). Returns the aliases to store.
 */
function keysOf(name: string, aliases: string[]): { keys: Array<{ key: string; isName: boolean }>; aliases: string[] } {
  const nameKey = libraryKey(name);
  const keys = [{ key: nameKey, isName: true }];
  const kept: string[] = [];
  const seen = new Set([nameKey]);
  for (const alias of aliases) {
    const key = libraryKey(alias);
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push({ key, isName: false });
    kept.push(alias);
  }
  return { keys, aliases: kept };
}

async function holderOf(tx: Tx, groupId: string, keys: string[], exceptGameId?: string): Promise<string | undefined> {
  const conditions = [eq(schema.gameKeys.groupId, groupId), inArray(schema.gameKeys.key, keys)];
  if (exceptGameId) conditions.push(ne(schema.gameKeys.gameId, exceptGameId));
  const row = await tx
    .select({ gameId: schema.gameKeys.gameId })
    .from(schema.gameKeys)
    .where(and(...conditions))
    .get();
  return row?.gameId;
}

export async function insertGame(tx: Tx, groupId: string, fields: GameFields, userId: string | null, now: Date): Promise<GameRow> {
  const { keys, aliases } = keysOf(fields.name, fields.aliases);
  const holder = await holderOf(
    tx,
    groupId,
    keys.map((k) => k.key),
  );
  if (holder) throw duplicateGame(holder, fields.name);
  const [row] = await tx
    .insert(schema.games)
    .values({
      id: newId(),
      groupId,
      name: fields.name,
      aliases: JSON.stringify(aliases),
      minPlayers: fields.minPlayers,
      maxPlayers: fields.maxPlayers,
      playtimeMinutes: fields.playtimeMinutes,
      platforms: JSON.stringify([...new Set(fields.platforms)]),
      steamAppId: fields.steamAppId,
      coverUrl: coverFor(fields.steamAppId),
      addedBy: userId,
      createdAt: now,
    })
    .returning();
  await tx.insert(schema.gameKeys).values(keys.map((k) => ({ groupId, key: k.key, gameId: row!.id, isName: k.isName })));
  return row!;
}

export async function updateGame(tx: Tx, game: GameRow, fields: GameFields, now: Date): Promise<void> {
  const { keys, aliases } = keysOf(fields.name, fields.aliases);
  const holder = await holderOf(
    tx,
    game.groupId,
    keys.map((k) => k.key),
    game.id,
  );
  if (holder) throw duplicateGame(holder, fields.name);
  await tx
    .update(schema.games)
    .set({
      name: fields.name,
      aliases: JSON.stringify(aliases),
      minPlayers: fields.minPlayers,
      maxPlayers: fields.maxPlayers,
      playtimeMinutes: fields.playtimeMinutes,
      platforms: JSON.stringify([...new Set(fields.platforms)]),
      steamAppId: fields.steamAppId,
      coverUrl: fields.steamAppId === game.steamAppId ? game.coverUrl : coverFor(fields.steamAppId),
      updatedAt: now,
    })
    .where(eq(schema.games.id, game.id));
  await tx.delete(schema.gameKeys).where(eq(schema.gameKeys.gameId, game.id));
  await tx.insert(schema.gameKeys).values(keys.map((k) => ({ groupId: game.groupId, key: k.key, gameId: game.id, isName: k.isName })));
}

/** Deletes the game, its keys and ownership marks; suggestions keep their names and lose the link. */
export async function deleteGame(tx: Tx, gameId: string): Promise<void> {
  // suggestions.game_id was added by ALTER TABLE without ON DELETE SET NULL: unlink explicitly first.
  await tx.update(schema.suggestions).set({ gameId: null }).where(eq(schema.suggestions.gameId, gameId));
  await tx.delete(schema.games).where(eq(schema.games.id, gameId));
}

export async function addOwner(tx: Tx, gameId: string, userId: string, source: 'manual' | 'steam', now: Date): Promise<void> {
  await tx.insert(schema.gameOwners).values({ gameId, userId, source, createdAt: now }).onConflictDoNothing();
}

export async function removeOwner(tx: Tx, gameId: string, userId: string): Promise<void> {
  await tx.delete(schema.gameOwners).where(and(eq(schema.gameOwners.gameId, gameId), eq(schema.gameOwners.userId, userId)));
}

const CHUNK = 400;
function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * Imported ownership: for each owned Steam game, marks `userId` as owner (source `steam`) of the library
 * games of `groupIds` with its app id or, in a group with no game of that app id, of the game whose name
 * or alias has its name key. A manual mark stays manual. Returns the matched games (id and group).
 */
export async function markOwnedFromSteam(
  tx: Tx,
  groupIds: string[],
  userId: string,
  owned: Array<{ appId: number; key: string }>,
  now: Date,
): Promise<Array<{ id: string; groupId: string }>> {
  if (groupIds.length === 0 || owned.length === 0) return [];
  const byApp = new Map<string, Array<{ id: string; groupId: string }>>(); // `${groupId}:${appId}`
  for (const ids of chunks(owned.map((o) => o.appId))) {
    const rows = await tx
      .select({ id: schema.games.id, groupId: schema.games.groupId, appId: schema.games.steamAppId })
      .from(schema.games)
      .where(and(inArray(schema.games.groupId, groupIds), inArray(schema.games.steamAppId, ids)));
    for (const r of rows) byApp.set(`${r.groupId}:${r.appId}`, [...(byApp.get(`${r.groupId}:${r.appId}`) ?? []), r]);
  }
  const byKey = new Map<string, { id: string; groupId: string }>(); // `${groupId}:${key}`
  for (const keys of chunks(owned.map((o) => o.key))) {
    const rows = await tx
      .select({ id: schema.gameKeys.gameId, groupId: schema.gameKeys.groupId, key: schema.gameKeys.key })
      .from(schema.gameKeys)
      .where(and(inArray(schema.gameKeys.groupId, groupIds), inArray(schema.gameKeys.key, keys)));
    for (const r of rows) byKey.set(`${r.groupId}:${r.key}`, { id: r.id, groupId: r.groupId });
  }
  const matched = new Map<string, string>();
  for (const groupId of groupIds) {
    for (const o of owned) {
      const viaApp = byApp.get(`${groupId}:${o.appId}`);
      const games = viaApp ?? (byKey.has(`${groupId}:${o.key}`) ? [byKey.get(`${groupId}:${o.key}`)!] : []);
      for (const g of games) matched.set(g.id, g.groupId);
    }
  }
  const games = [...matched].map(([id, groupId]) => ({ id, groupId }));
  for (const part of chunks(games)) {
    await tx
      .insert(schema.gameOwners)
      .values(part.map((g) => ({ gameId: g.id, userId, source: 'steam' as const, createdAt: now })))
      .onConflictDoNothing();
  }
  return games;
}
