/** Thin handlers: parse → policy → data/mutations → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import { gameKey } from '@queuecrew/shared';
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { addDays } from '../../lib/time.ts';
import { enqueueSuggestionAnnouncement } from '../announcements/index.ts';
import { publishEvents, requireMemberWithGroup, type GroupRow } from '../groups/index.ts';
import { methodOf, nightOrVirtual, openNightForVotes, requireMethod, resultsHidden, vetoesOf, type NightRow } from '../nights/index.ts';
import {
  findSuggestionByKey,
  hideList,
  hideTally,
  historyFor,
  listSuggestions as listSuggestionRows,
  suggestionDto,
  vetoersOf,
  type Voter,
} from './data.ts';
import { gameDto, gameEvent } from '../games/index.ts';
import {
  DuplicateSuggestion,
  deleteSuggestionRow,
  deleteVeto,
  deleteVote,
  deleteVoteIfOpen,
  insertSuggestion,
  insertVeto,
  insertVote,
  insertVoteIfOpen,
  isDuplicate,
  isMissingParent,
  vetoOf,
} from './mutations.ts';
import { requireCanDeleteSuggestion, requireOpenNight, requireSuggestionAccess, suggestionNotFound, todayOf } from './policy.ts';
import { cachedResults, type ResultsJsonResponse } from './results-cache.ts';
import { requireVoteAccess, votersInTx } from './vote-access.ts';
import type * as routes from './routes.ts';

const HISTORY_DEFAULT_DAYS = 30;
const HISTORY_MAX_DAYS = 366;

/** The caller's membership and the group, in one statement (404 for non-members and unknown groups). */
function memberAndGroup(c: Context<AppEnv>, groupId: string) {
  return requireMemberWithGroup(c, groupId);
}

export const createSuggestion: RouteHandler<typeof routes.createSuggestion, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const { membership, group } = await memberAndGroup(c, groupId);
  const day = input.date ?? todayOf(c, group);
  await requireOpenNight(c, group, day);
  const target = input.gameId !== undefined ? { gameId: input.gameId } : { gameName: input.gameName ?? '' };
  const { database, clock } = c.get('services');
  let row;
  let night;
  let createdGame;
  try {
    ({ row, night, createdGame } = await database.write(async (tx) => {
      const now = clock.now();
      // The night gets its row now (the first change), and must still take votes inside this transaction.
      const open = await openNightForVotes(tx, group, day, now);
      const { row: inserted, createdGame: added } = await insertSuggestion(tx, { groupId, day, userId: membership.userId, now, ...target });
      // A suggestion is its suggester's approval (on approval nights; a ranked night counts ballots only).
      if (methodOf(group, open) === 'approval') await insertVote(tx, inserted.id, membership.userId, now);
      // Queued in the same transaction, posted later by the webhook worker: never blocks this request.
      await enqueueSuggestionAnnouncement(tx, inserted, now);
      return { row: inserted, night: open, createdGame: added };
    }));
  } catch (e) {
    // The unique index (group, day, game key) is the judge, so two people racing with the same game
    // cannot both win; the loser is pointed at the suggestion that exists.
    // The group was deleted between the membership check and the insert.
    if (isMissingParent(e)) throw notFound('This group');
    if (!isDuplicate(e)) throw e;
    const existingId =
      e instanceof DuplicateSuggestion
        ? e.suggestionId
        : ((await findSuggestionByKey(database.db, groupId, day, gameKey(input.gameName ?? ''))) ?? undefined)?.id;
    throw new AppError(
      409,
      'duplicate_suggestion',
      `${input.gameName ? `“${input.gameName}”` : 'This game'} is already suggested for ${day}. Approve that suggestion instead.`,
      { suggestionId: existingId ?? null },
    );
  }
  if (createdGame) {
    const game = await gameDto(database.db, groupId, createdGame.id, membership.userId);
    if (game) await publishEvents(c, [gameEvent(groupId, game)]);
  }
  c.get('services').metrics.votes.inc();
  const hidden = resultsHidden(group, night);
  const full = await suggestionDto(database.db, row, membership.userId);
  const dto = hidden ? hideTally(full) : full;
  await publishEvents(c, [{ type: 'suggestion_created', groupId, data: { ...dto, votedByMe: false } }]);
  return c.json(dto, 201);
};

/** Whether the tallies of `day` are hidden from the members right now. */
async function hiddenFor(c: Context<AppEnv>, group: GroupRow, day: string): Promise<boolean> {
  if (group.nightResultsVisibility !== 'after_close') return false;
  const { database, clock } = c.get('services');
  return resultsHidden(group, await nightOrVirtual(database.db, group, day, clock.now()));
}

export const listSuggestions: RouteHandler<typeof routes.listSuggestions, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { date } = c.req.valid('query');
  const { membership, group } = await memberAndGroup(c, groupId);
  const day = date ?? todayOf(c, group);
  const list = await listSuggestionRows(c.get('services').database.db, groupId, day, membership.userId);
  return c.json((await hiddenFor(c, group, day)) ? hideList(list) : list, 200);
};

export const deleteSuggestion: RouteHandler<typeof routes.deleteSuggestion, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const access = await requireSuggestionAccess(c, suggestionId);
  await requireCanDeleteSuggestion(c, access);
  await c.get('services').database.write((tx) => deleteSuggestionRow(tx, suggestionId));
  await publishEvents(c, [{ type: 'suggestion_deleted', groupId: access.group.id, data: { suggestionId } }]);
  return c.body(null, 204);
};

/**
 * The new tally to the group; while results are hidden (`voters` null), only which suggestion changed.
 * The voters were read inside the vote's transaction, so this is what was committed.
 */
async function publishTally(c: Context<AppEnv>, group: GroupRow, suggestionId: string, voters: Voter[] | null): Promise<void> {
  if (!voters) {
    await publishEvents(c, [{ type: 'vote_updated', groupId: group.id, data: { suggestionId } }]);
    return;
  }
  await publishEvents(c, [{ type: 'vote_updated', groupId: group.id, data: { suggestionId, votes: voters.length, voters } }]);
}

export const addVote: RouteHandler<typeof routes.addVote, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireVoteAccess(c, suggestionId);
  const { database, clock, metrics } = c.get('services');
  let voters: Voter[] | null;
  try {
    voters = await database.write(async (tx) => {
      const now = clock.now();
      // The common case in one statement; anything else (closed, cancelled, ranked, not yet fixed) the full path answers.
      let open: Pick<NightRow, 'status'> = { status: 'open' };
      if (!(await insertVoteIfOpen(tx, suggestion, membership.userId, now))) {
        const night = await openNightForVotes(tx, group, suggestion.day, now);
        requireMethod(group, night, 'approval');
        await insertVote(tx, suggestionId, membership.userId, now);
        open = night;
      }
      return resultsHidden(group, open) ? null : votersInTx(tx, suggestionId);
    });
  } catch (e) {
    // The primary key (suggestion, user) is the judge: a double click or a race cannot count twice.
    if (isDuplicate(e)) throw new AppError(409, 'already_voted', 'You have already approved this suggestion.');
    if (isMissingParent(e)) throw suggestionNotFound();
    throw e;
  }
  metrics.votes.inc();
  await publishTally(c, group, suggestionId, voters);
  return c.json({ suggestionId, votes: voters ? voters.length : null }, 201);
};

export const removeVote: RouteHandler<typeof routes.removeVote, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireVoteAccess(c, suggestionId);
  const { database, clock } = c.get('services');
  const { removed, voters } = await database.write(async (tx) => {
    const now = clock.now();
    let open: Pick<NightRow, 'status'> = { status: 'open' };
    let removed = await deleteVoteIfOpen(tx, suggestion, membership.userId, now);
    if (!removed) {
      // No vote, or a night that does not take approvals now: the full path tells which.
      const night = await openNightForVotes(tx, group, suggestion.day, now);
      requireMethod(group, night, 'approval');
      removed = await deleteVote(tx, suggestionId, membership.userId);
      open = night;
    }
    return { removed, voters: removed && !resultsHidden(group, open) ? await votersInTx(tx, suggestionId) : null };
  });
  if (!removed) throw new AppError(404, 'vote_not_found', 'You have not approved this suggestion, so there is nothing to take back.');
  await publishTally(c, group, suggestionId, voters);
  return c.body(null, 204);
};

export const getResults: RouteHandler<typeof routes.getResults, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { date } = c.req.valid('query');
  const services = c.get('services');
  const tick = services.caches.feed.tick;
  const { group } = await memberAndGroup(c, groupId);
  const day = date ?? todayOf(c, group);
  const json = await cachedResults(services, group, day, tick);
  // The cached answer is already the JSON body (results-cache.ts): sent as `c.json()` would send it —
  // status 200, `Content-Type: application/json`, the same text — without serialising it again. A fresh
  // headers object per response, as c.json() makes: @hono/node-server may add Content-Length to it.
  return c.body(json, 200, { 'Content-Type': 'application/json' }) as unknown as ResultsJsonResponse;
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const getHistory: RouteHandler<typeof routes.getHistory, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const query = c.req.valid('query');
  const { group } = await memberAndGroup(c, groupId);
  // Closed nights only, so today is included once tonight's vote has closed.
  const to = query.to ?? (query.from ? addDays(query.from, HISTORY_DEFAULT_DAYS - 1) : todayOf(c, group));
  const from = query.from ?? addDays(to, -(HISTORY_DEFAULT_DAYS - 1));
  if (from > to) {
    throw new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', {
      from: '"from" must be on or before "to".',
    });
  }
  if (daysBetween(from, to) + 1 > HISTORY_MAX_DAYS) {
    throw new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', {
      to: `Ask for at most ${HISTORY_MAX_DAYS} days at a time.`,
    });
  }
  return c.json(await historyFor(c.get('services').database.db, groupId, from, to), 200);
};

/** 409 `vetoes_off` unless the night allows vetoes. */
function requireVetoes(group: GroupRow, night: NightRow): void {
  if (vetoesOf(group, night) > 0) return;
  throw new AppError(409, 'vetoes_off', `The night of ${night.day} has no vetoes (an admin can allow one per member with "vetoes": 1).`, {
    date: night.day,
  });
}

/** Vetoes are public (also while results are hidden): who vetoed the suggestion now. */
async function publishVetoes(c: Context<AppEnv>, group: GroupRow, suggestionId: string) {
  const vetoedBy = await vetoersOf(c.get('services').database.db, suggestionId);
  await publishEvents(c, [{ type: 'veto_updated', groupId: group.id, data: { suggestionId, vetoedBy } }]);
  return vetoedBy;
}

export const addVeto: RouteHandler<typeof routes.addVeto, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireSuggestionAccess(c, suggestionId);
  await requireOpenNight(c, group, suggestion.day);
  const { database, clock } = c.get('services');
  try {
    await database.write(async (tx) => {
      const now = clock.now();
      const night = await openNightForVotes(tx, group, suggestion.day, now);
      requireVetoes(group, night);
      const existing = await vetoOf(tx, group.id, suggestion.day, membership.userId);
      if (existing !== undefined) {
        throw new AppError(
          409,
          'already_vetoed',
          existing === suggestionId
            ? 'You have already vetoed this suggestion.'
            : `You have already used your veto for ${suggestion.day}. Take it back first to veto another game.`,
          { suggestionId: existing },
        );
      }
      await insertVeto(tx, suggestion, membership.userId, now);
    });
  } catch (e) {
    // The primary key (group, day, user) is the judge when two vetoes race.
    if (isDuplicate(e)) throw new AppError(409, 'already_vetoed', `You have already used your veto for ${suggestion.day}.`);
    if (isMissingParent(e)) throw suggestionNotFound();
    throw e;
  }
  const vetoedBy = await publishVetoes(c, group, suggestionId);
  return c.json({ suggestionId, vetoedBy }, 201);
};

export const removeVeto: RouteHandler<typeof routes.removeVeto, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireSuggestionAccess(c, suggestionId);
  await requireOpenNight(c, group, suggestion.day);
  const { database, clock } = c.get('services');
  const removed = await database.write(async (tx) => {
    const night = await openNightForVotes(tx, group, suggestion.day, clock.now());
    requireVetoes(group, night);
    return deleteVeto(tx, suggestionId, membership.userId);
  });
  if (!removed) throw new AppError(404, 'veto_not_found', 'You have not vetoed this suggestion, so there is nothing to take back.');
  await publishVetoes(c, group, suggestionId);
  return c.body(null, 204);
};
