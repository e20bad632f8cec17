/**
 * Who may act on a library game. Access goes through the membership of the game's group (features/groups
 * policy): a game of a group the caller is not in is "not found", exactly like an unknown id. Members
 * lacking the right get 403 and a `permission_denied` security event (requireRole / denied).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { hasRole, requireMember, requireRole, denied, type Membership } from '../groups/index.ts';
import { findGame, type GameRow } from './data.ts';

export const gameNotFound = () => notFound('This game');

export interface GameAccess {
  game: GameRow;
  membership: Membership;
}

/** The game and the caller's membership of its group; 404 for unknown ids and non-members alike. */
export async function requireGameAccess(c: Context<AppEnv>, gameId: string): Promise<GameAccess> {
  const game = await findGame(c.get('services').database.db, gameId);
  if (!game) throw gameNotFound();
  try {
    return { game, membership: await requireMember(c, game.groupId) };
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw gameNotFound();
    throw e;
  }
}

/** Editing: the member who added the game, or an admin. */
export async function requireCanEditGame(c: Context<AppEnv>, access: GameAccess): Promise<void> {
  if (access.game.addedBy === access.membership.userId || hasRole(access.membership, 'admin')) return;
  throw await denied(
    c,
    access.membership,
    'edit game: requires adder or admin',
    'Only the member who added this game or a group admin can edit it.',
  );
}

/** Deleting: admins only. */
export async function requireCanDeleteGame(c: Context<AppEnv>, access: GameAccess): Promise<void> {
  await requireRole(c, access.membership, 'admin');
}
