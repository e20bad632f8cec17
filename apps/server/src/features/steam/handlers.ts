/** Thin handlers for Steam linking: parse → check → mutations → redirect. */
import type { RouteHandler } from '@hono/zod-openapi';
import { libraryKey } from '@queuecrew/shared';
import type { Context } from 'hono';
import { requireUser } from '../../lib/auth-guard.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { RULES, limit } from '../../lib/rate-limit.ts';
import { newToken } from '../../lib/ids.ts';
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import { safeReturnTo } from '../discord-signin/index.ts';
import { gameEvent, listGames, markOwnedFromSteam } from '../games/index.ts';
import { publishEvents, requireMember } from '../groups/index.ts';
import { getUser, toUserDto } from '../users/index.ts';
import { consumeState, insertState, linkSteam, unlinkSteam as unlinkSteamRows, useNonce } from './mutations.ts';
import { loginUrl, SteamRefused, verifyAssertion, type SteamRefusal } from './openid.ts';
import { fetchOwnedGames } from './owned-games.ts';
import type * as routes from './routes.ts';

function refuse(c: Context<AppEnv>, reason: SteamRefusal) {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.redirect(`/account?error=steam_${reason}`, 302);
}

export const startSteam: RouteHandler<typeof routes.startSteam, AppEnv> = async (c) => {
  const auth = c.get('auth');
  if (!auth) return refuse(c, 'signed_out');
  const { config, database, clock } = c.get('services');
  const raw = c.req.valid('query').returnTo;
  const returnTo = raw ? safeReturnTo(raw, config.appOrigin) : '/account';
  const state = newToken();
  await database.write((tx) => insertState(tx, state, auth.userId, returnTo, clock.now()));
  c.header('Cache-Control', 'no-store');
  return c.redirect(loginUrl(config.steam, state), 302);
};

export const steamCallback: RouteHandler<typeof routes.steamCallback, AppEnv> = async (c) => {
  const auth = c.get('auth');
  if (!auth) return refuse(c, 'signed_out');
  const state = c.req.valid('query').state;
  if (!state) return refuse(c, 'state');
  const { config, database, clock, logger } = c.get('services');
  try {
    // Nothing in the query is trusted before Steam confirmed it (check_authentication).
    const verified = await verifyAssertion(config.steam, c.req.query(), state, clock.now());
    const returnTo = await database.write(async (tx) => {
      const now = clock.now();
      const back = await consumeState(tx, state, auth.userId, now);
      await useNonce(tx, verified.nonce, now);
      await linkSteam(tx, auth.userId, verified.steamId);
      return back;
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(returnTo, 302);
  } catch (e) {
    if (!(e instanceof SteamRefused)) throw e;
    logger.info({ reason: e.reason, userId: auth.userId }, 'steam link refused');
    return refuse(c, e.reason);
  }
};

export const unlinkSteam: RouteHandler<typeof routes.unlinkSteam, AppEnv> = async (c) => {
  const { userId } = requireUser(c);
  const { database } = c.get('services');
  await database.write((tx) => unlinkSteamRows(tx, userId));
  return c.json(toUserDto(await getUser(database.db, userId)), 200);
};

export const importSteam: RouteHandler<typeof routes.importSteam, AppEnv> = async (c) => {
  const { userId } = requireUser(c);
  const { groupId } = c.req.valid('json');
  const { database, config, clock } = c.get('services');
  if (groupId) await requireMember(c, groupId);
  const user = await getUser(database.db, userId);
  if (!user.steamId) throw new AppError(409, 'steam_not_linked', 'Link your Steam account first (Account → Steam).');
  await limit(c, RULES.steamImportUser, userId);
  // Everything from Steam first; then one transaction marks ownership, so an import is whole or nothing.
  const owned = await fetchOwnedGames(config.steam, user.steamId);
  const groupIds = groupId
    ? [groupId]
    : (
        await database.db
          .select({ groupId: schema.memberships.groupId })
          .from(schema.memberships)
          .where(eq(schema.memberships.userId, userId))
      ).map((m) => m.groupId);
  const matched = await database.write((tx) =>
    markOwnedFromSteam(
      tx,
      groupIds,
      userId,
      owned.map((g) => ({ appId: g.steamAppId, key: libraryKey(g.name) })),
      clock.now(),
    ),
  );
  for (const gid of new Set(matched.map((m) => m.groupId))) {
    const ids = matched.filter((m) => m.groupId === gid).map((m) => m.id);
    const games = await listGames(database.db, { groupId: gid, ids }, userId);
    await publishEvents(
      c,
      games.map((g) => gameEvent(gid, g)),
    );
  }
  return c.json({ owned: owned.length, matched: matched.length, games: owned }, 200);
};
