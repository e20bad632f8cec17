/**
 * What other features may use from the game library: reads and writes only, which import no other
 * feature (app.ts mounts the router from router.ts).
 */
export {
  GameUserSchema,
  PlayableSchema,
  findGame,
  findGameIdByKey,
  gameDto,
  listGames,
  playableFor,
  type GameDto,
  type GameRow,
  type PlayableDto,
} from './data.ts';
export { insertGame, markOwnedFromSteam, type GameFields } from './mutations.ts';
export { gameEvent } from './data.ts';
