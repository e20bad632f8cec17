/** Thin handlers: parse → policy → data/mutations → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import { libraryKey } from '@queuecrew/shared';
import type { Context } from 'hono';
import { constraintCode } from '../../db/client.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { publishEvents, requireMember } from '../groups/index.ts';
import { findGame, findGameIdByKey, gameDto, gameEvent, listGames as listGameRows, type GameDto, type GameRow } from './data.ts';
import {
  addOwner,
  deleteGame as deleteGameRow,
  duplicateGame,
  insertGame,
  removeOwner,
  updateGame as updateGameRow,
  type GameFields,
} from './mutations.ts';
import { gameNotFound, requireCanDeleteGame, requireCanEditGame, requireGameAccess } from './policy.ts';
import type * as routes from './routes.ts';

const isKeyTaken = (e: unknown) => constraintCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY';

async function publishGame(c: Context<AppEnv>, groupId: string, game: GameDto): Promise<void> {
  await publishEvents(c, [gameEvent(groupId, game)]);
}

/** After a key race lost to the primary key: point at the game that now holds one of the keys. */
async function duplicateAfterRace(c: Context<AppEnv>, groupId: string, fields: GameFields): Promise<AppError> {
  const { db } = c.get('services').database;
  for (const name of [fields.name, ...fields.aliases]) {
    const holder = await findGameIdByKey(db, groupId, libraryKey(name));
    if (holder) return duplicateGame(holder, fields.name);
  }
  return duplicateGame(null, fields.name);
}

async function dtoOrGone(c: Context<AppEnv>, game: Pick<GameRow, 'id' | 'groupId'>, viewerId: string): Promise<GameDto> {
  const dto = await gameDto(c.get('services').database.db, game.groupId, game.id, viewerId);
  if (!dto) throw gameNotFound();
  return dto;
}

export const listGames: RouteHandler<typeof routes.listGames, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { q, date } = c.req.valid('query');
  const membership = await requireMember(c, groupId);
  return c.json(await listGameRows(c.get('services').database.db, { groupId, q }, membership.userId, date), 200);
};

export const createGame: RouteHandler<typeof routes.createGame, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const membership = await requireMember(c, groupId);
  const fields: GameFields = {
    name: input.name,
    aliases: input.aliases ?? [],
    minPlayers: input.minPlayers ?? null,
    maxPlayers: input.maxPlayers ?? null,
    playtimeMinutes: input.playtimeMinutes ?? null,
    platforms: input.platforms ?? [],
    steamAppId: input.steamAppId ?? null,
  };
  const { database, clock } = c.get('services');
  let row: GameRow;
  try {
    row = await database.write((tx) => insertGame(tx, groupId, fields, membership.userId, clock.now()));
  } catch (e) {
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound('This group');
    if (isKeyTaken(e)) throw await duplicateAfterRace(c, groupId, fields);
    throw e;
  }
  const dto = await dtoOrGone(c, row, membership.userId);
  await publishGame(c, groupId, dto);
  return c.json(dto, 201);
};

export const updateGame: RouteHandler<typeof routes.updateGame, AppEnv> = async (c) => {
  const { gameId } = c.req.valid('param');
  const input = c.req.valid('json');
  const access = await requireGameAccess(c, gameId);
  await requireCanEditGame(c, access);
  const { game } = access;
  const fields: GameFields = {
    name: input.name ?? game.name,
    aliases: input.aliases ?? (JSON.parse(game.aliases) as string[]),
    minPlayers: input.minPlayers === undefined ? game.minPlayers : input.minPlayers,
    maxPlayers: input.maxPlayers === undefined ? game.maxPlayers : input.maxPlayers,
    playtimeMinutes: input.playtimeMinutes === undefined ? game.playtimeMinutes : input.playtimeMinutes,
    platforms: input.platforms ?? (JSON.parse(game.platforms) as string[]),
    steamAppId: input.steamAppId === undefined ? game.steamAppId : input.steamAppId,
  };
  if (fields.minPlayers !== null && fields.maxPlayers !== null && fields.minPlayers > fields.maxPlayers) {
    throw new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', {
      minPlayers: 'minPlayers must not be more than maxPlayers.',
    });
  }
  const { database, clock } = c.get('services');
  try {
    await database.write(async (tx) => {
      // Re-read inside the transaction: a concurrent delete answers 404, not a write to nothing.
      const current = await findGame(tx, gameId);
      if (!current) throw gameNotFound();
      await updateGameRow(tx, current, fields, clock.now());
    });
  } catch (e) {
    if (isKeyTaken(e)) throw await duplicateAfterRace(c, game.groupId, fields);
    throw e;
  }
  const dto = await dtoOrGone(c, game, access.membership.userId);
  await publishGame(c, game.groupId, dto);
  return c.json(dto, 200);
};

export const deleteGame: RouteHandler<typeof routes.deleteGame, AppEnv> = async (c) => {
  const { gameId } = c.req.valid('param');
  const access = await requireGameAccess(c, gameId);
  await requireCanDeleteGame(c, access);
  await c.get('services').database.write((tx) => deleteGameRow(tx, gameId));
  await publishEvents(c, [{ type: 'game_deleted', groupId: access.game.groupId, data: { gameId } }]);
  return c.body(null, 204);
};

async function setOwnership(c: Context<AppEnv>, gameId: string, own: boolean) {
  const access = await requireGameAccess(c, gameId);
  const { database, clock } = c.get('services');
  const { userId } = access.membership;
  try {
    await database.write((tx) => (own ? addOwner(tx, gameId, userId, 'manual', clock.now()) : removeOwner(tx, gameId, userId)));
  } catch (e) {
    // The game was deleted between the check and the write.
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw gameNotFound();
    throw e;
  }
  const dto = await dtoOrGone(c, access.game, userId);
  await publishGame(c, access.game.groupId, dto);
  return dto;
}

export const ownGame: RouteHandler<typeof routes.ownGame, AppEnv> = async (c) => {
  return c.json(await setOwnership(c, c.req.valid('param').gameId, true), 200);
};

export const disownGame: RouteHandler<typeof routes.disownGame, AppEnv> = async (c) => {
  return c.json(await setOwnership(c, c.req.valid('param').gameId, false), 200);
};
