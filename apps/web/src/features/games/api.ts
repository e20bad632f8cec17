/** The game library of a group (docs/api.md "Game library"): query-option factories, mutations and the wording of `playable`. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ApiBody, Game, Platform, Playable } from '@queuecrew/shared';
import { call } from '../../lib/api-client.ts';

export const PLATFORMS: readonly Platform[] = ['pc', 'playstation', 'xbox', 'switch', 'mobile', 'vr', 'tabletop'];
export const PLATFORM_LABEL: Record<Platform, string> = {
  pc: 'PC',
  playstation: 'PlayStation',
  xbox: 'Xbox',
  switch: 'Switch',
  mobile: 'Mobile',
  vr: 'VR',
  tabletop: 'Tabletop',
};

export const gameKeys = {
  /** Every library query of one group: invalidated together on live events. */
  all: (groupId: string) => ['groups', groupId, 'games'] as const,
  list: (groupId: string, q: string, date: string | undefined) => ['groups', groupId, 'games', 'list', q, date ?? ''] as const,
};

export const gameQueries = {
  /** The library by name; `q` by prefix of names and aliases; with `date`, each game carries `playable`. */
  list: (groupId: string, { q = '', date }: { q?: string; date?: string | undefined } = {}) =>
    queryOptions({
      queryKey: gameKeys.list(groupId, q.trim(), date),
      queryFn: ({ signal }) =>
        call('GET /api/groups/{groupId}/games', { params: { groupId }, query: { q: q.trim() || undefined, date }, signal }),
      // Typing a search keeps the previous results on screen until the next answer arrives.
      placeholderData: keepPreviousData,
    }),
};

export interface GameBody {
  name: string;
  aliases: string[];
  minPlayers: number | null;
  maxPlayers: number | null;
  playtimeMinutes: number | null;
  platforms: Platform[];
  steamAppId: number | null;
}

export const gameApi = {
  /** 409 `duplicate_game` with `details.gameId` when the name or an alias is taken. */
  create: (groupId: string, body: ApiBody<'POST /api/groups/{groupId}/games'>) =>
    call('POST /api/groups/{groupId}/games', { params: { groupId }, body }),
  update: (gameId: string, body: ApiBody<'PATCH /api/games/{gameId}'>) => call('PATCH /api/games/{gameId}', { params: { gameId }, body }),
  remove: (gameId: string) => call('DELETE /api/games/{gameId}', { params: { gameId } }),
  own: (gameId: string) => call('PUT /api/games/{gameId}/owners/me', { params: { gameId } }),
  disown: (gameId: string) => call('DELETE /api/games/{gameId}/owners/me', { params: { gameId } }),
};

/** "2–4 players", "1 player", "2+ players", or null without counts. */
export function playersLabel(min: number | null, max: number | null): string | null {
  if (min === null && max === null) return null;
  if (min !== null && max !== null) return min === max ? `${min} ${min === 1 ? 'player' : 'players'}` : `${min}–${max} players`;
  if (min !== null) return `${min}+ players`;
  return `up to ${max} players`;
}

function names(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

export interface PlayableNote {
  text: string;
  tone: 'good' | 'warn';
}

/**
 * What `playable` means for people: "Playable with the 4 who are in", "Needs 1 more", "2 too many",
 * "Sam doesn't own it". Nobody in yet: a note saying so (ownership cannot be judged).
 */
export function playableNotes(
  playable: Playable | null | undefined,
  range: { minPlayers: number | null; maxPlayers: number | null },
  meId?: string,
): PlayableNote[] {
  if (!playable) return [];
  if (playable.in === 0) return [{ text: 'Nobody is in yet', tone: 'warn' }];
  const notes: PlayableNote[] = [];
  if (playable.fits === false) {
    if (range.minPlayers !== null && playable.in < range.minPlayers) {
      notes.push({ text: `Needs ${range.minPlayers - playable.in} more`, tone: 'warn' });
    } else if (range.maxPlayers !== null && playable.in > range.maxPlayers) {
      const extra = playable.in - range.maxPlayers;
      notes.push({ text: `${extra} too many (up to ${range.maxPlayers})`, tone: 'warn' });
    }
  }
  const missing = playable.missingOwners.map((u) => (u.id === meId ? 'You' : u.username));
  if (missing.length > 0) {
    const you = missing.length === 1 && missing[0] === 'You';
    notes.push({ text: `${names(missing)} ${you || missing.length > 1 ? "don't" : "doesn't"} own it`, tone: 'warn' });
  }
  if (notes.length === 0) {
    notes.push({
      text: playable.fits === null ? `Everyone in owns it (${playable.in} in)` : `Playable with the ${playable.in} who are in`,
      tone: 'good',
    });
  }
  return notes;
}

/** A game that fits tonight's headcount (false when nobody is in, or the game has no counts). */
export const fitsTonight = (game: Game) => game.playable?.fits === true;
/** Every member who is in owns it (false when nobody is in). */
export const everyoneInOwns = (game: Game) => (game.playable ? game.playable.in > 0 && game.playable.missingOwners.length === 0 : false);
