/**
 * IPlayerService/GetOwnedGames at the configured STEAM_API_URL. The Web API key goes only into this
 * request: it is never logged (errors are reported without the URL) and never sent to a browser.
 */
import { sanitizeExternalName } from '@queuecrew/shared';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';

const TIMEOUT_MS = 10_000;

const OwnedGamesResponse = z.object({
  response: z.object({
    game_count: z.number().int().optional(),
    games: z
      .array(
        z.object({
          appid: z.number().int().positive(),
          name: z.string().max(1000).optional(),
          playtime_forever: z.number().int().nonnegative().optional(),
        }),
      )
      .max(100_000)
      .optional(),
  }),
});

export interface OwnedGame {
  steamAppId: number;
  /** Plain text: control and bidi characters removed, whitespace collapsed, at most 100 characters. */
  name: string;
  playtimeMinutes: number;
}

const unavailable = () =>
  new AppError(502, 'steam_unavailable', 'Steam did not answer as expected. Nothing was imported; try again in a few minutes.');

export async function fetchOwnedGames(
  settings: { apiUrl: string; apiKey: string | undefined },
  steamId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<OwnedGame[]> {
  if (!settings.apiKey) throw new AppError(503, 'steam_not_configured', 'Steam import is not set up on this server. Ask its operator.');
  const url = new URL(`${settings.apiUrl}/IPlayerService/GetOwnedGames/v1/`);
  url.searchParams.set('key', settings.apiKey);
  url.searchParams.set('steamid', steamId);
  url.searchParams.set('include_appinfo', '1');
  url.searchParams.set('include_played_free_games', '1');
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      throw new AppError(504, 'steam_timeout', 'Steam took too long to answer. Nothing was imported; try again in a few minutes.');
    }
    throw unavailable();
  }
  if (!res.ok) throw unavailable();
  let parsed;
  try {
    parsed = OwnedGamesResponse.safeParse(await res.json());
  } catch {
    throw unavailable();
  }
  if (!parsed.success) throw unavailable();
  const games = parsed.data.response.games;
  if (games === undefined) {
    throw new AppError(
      409,
      'steam_profile_private',
      'Your Steam game details are private, so Steam does not tell us which games you own. In Steam, open your profile → ' +
        'Edit Profile → Privacy Settings and set "Game details" to Public (and untick "Always keep my total playtime private" ' +
        'if you like), then import again.',
    );
  }
  return games.map((g) => ({
    steamAppId: g.appid,
    name: sanitizeExternalName(g.name ?? '', `Steam app ${g.appid}`, 100),
    playtimeMinutes: g.playtime_forever ?? 0,
  }));
}
