/** Thin handlers: parse → policy → data/mutations → respond; live events after the commit. */
import type { RouteHandler } from '@hono/zod-openapi';
import { gameKey } from '@queuecrew/shared';
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { addDays } from '../../lib/time.ts';
import { enqueueSuggestionAnnouncement } from '../discord/index.ts';
import { findGroup, publishEvents, requireMember } from '../groups/index.ts';
import {
  findSuggestionByKey,
  historyFor,
  listSuggestions as listSuggestionRows,
  resultsFor,
  suggestionDto,
  voteCount,
  votersOf,
} from './data.ts';
import { deleteSuggestionRow, deleteVote, insertSuggestion, insertVote, isDuplicate, isMissingParent } from './mutations.ts';
import { requireCanDeleteSuggestion, requireOpenDay, requireSuggestionAccess, suggestionNotFound, todayOf } from './policy.ts';
import type * as routes from './routes.ts';

const HISTORY_DEFAULT_DAYS = 30;
const HISTORY_MAX_DAYS = 366;

async function memberAndGroup(c: Context<AppEnv>, groupId: string) {
  const membership = await requireMember(c, groupId);
  const group = await findGroup(c.get('services').database.db, groupId);
  if (!group) throw notFound('This group');
  return { membership, group };
}

export const createSuggestion: RouteHandler<typeof routes.createSuggestion, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const { membership, group } = await memberAndGroup(c, groupId);
  const day = input.date ?? todayOf(c, group);
  requireOpenDay(c, group, day);
  const key = gameKey(input.gameName);
  const { database, clock } = c.get('services');
  let row;
  try {
    row = await database.write(async (tx) => {
      const inserted = await insertSuggestion(tx, {
        groupId,
        day,
        gameName: input.gameName,
        gameKey: key,
        userId: membership.userId,
        now: clock.now(),
      });
      // Queued in the same transaction, posted later by the webhook worker: never blocks this request.
      await enqueueSuggestionAnnouncement(tx, inserted, clock.now());
      return inserted;
    });
  } catch (e) {
    // The unique index (group, day, game key) is the judge, so two people racing with the same game
    // cannot both win; the loser is pointed at the suggestion that exists.
    // The group was deleted between the membership check and the insert.
    if (isMissingParent(e)) throw notFound('This group');
    if (!isDuplicate(e)) throw e;
    const existing = await findSuggestionByKey(database.db, groupId, day, key);
    throw new AppError(
      409,
      'duplicate_suggestion',
      `“${input.gameName}” is already suggested for ${day}. Approve that suggestion instead.`,
      {
        suggestionId: existing?.id ?? null,
      },
    );
  }
  const dto = await suggestionDto(database.db, row, membership.userId);
  await publishEvents(c, [{ type: 'suggestion_created', groupId, data: { ...dto, votedByMe: false } }]);
  return c.json(dto, 201);
};

export const listSuggestions: RouteHandler<typeof routes.listSuggestions, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { date } = c.req.valid('query');
  const { membership, group } = await memberAndGroup(c, groupId);
  const day = date ?? todayOf(c, group);
  return c.json(await listSuggestionRows(c.get('services').database.db, groupId, day, membership.userId), 200);
};

export const deleteSuggestion: RouteHandler<typeof routes.deleteSuggestion, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const access = await requireSuggestionAccess(c, suggestionId);
  await requireCanDeleteSuggestion(c, access);
  await c.get('services').database.write((tx) => deleteSuggestionRow(tx, suggestionId));
  await publishEvents(c, [{ type: 'suggestion_deleted', groupId: access.group.id, data: { suggestionId } }]);
  return c.body(null, 204);
};

async function publishTally(c: Context<AppEnv>, groupId: string, suggestionId: string): Promise<number> {
  const voters = await votersOf(c.get('services').database.db, suggestionId);
  await publishEvents(c, [{ type: 'vote_updated', groupId, data: { suggestionId, votes: voters.length, voters } }]);
  return voters.length;
}

export const addVote: RouteHandler<typeof routes.addVote, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireSuggestionAccess(c, suggestionId);
  requireOpenDay(c, group, suggestion.day);
  const { database, clock, metrics } = c.get('services');
  let votes: number;
  try {
    votes = await database.write(async (tx) => {
      await insertVote(tx, suggestionId, membership.userId, clock.now());
      return voteCount(tx, suggestionId);
    });
  } catch (e) {
    // The primary key (suggestion, user) is the judge: a double click or a race cannot count twice.
    if (isDuplicate(e)) throw new AppError(409, 'already_voted', 'You have already approved this suggestion.');
    if (isMissingParent(e)) throw suggestionNotFound();
    throw e;
  }
  metrics.votes.inc();
  await publishTally(c, group.id, suggestionId);
  return c.json({ suggestionId, votes }, 201);
};

export const removeVote: RouteHandler<typeof routes.removeVote, AppEnv> = async (c) => {
  const { suggestionId } = c.req.valid('param');
  const { suggestion, membership, group } = await requireSuggestionAccess(c, suggestionId);
  requireOpenDay(c, group, suggestion.day);
  const removed = await c.get('services').database.write((tx) => deleteVote(tx, suggestionId, membership.userId));
  if (!removed) throw new AppError(404, 'vote_not_found', 'You have not approved this suggestion, so there is nothing to take back.');
  await publishTally(c, group.id, suggestionId);
  return c.body(null, 204);
};

export const getResults: RouteHandler<typeof routes.getResults, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const { date } = c.req.valid('query');
  const { group } = await memberAndGroup(c, groupId);
  return c.json(await resultsFor(c.get('services').database.db, groupId, date ?? todayOf(c, group)), 200);
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const getHistory: RouteHandler<typeof routes.getHistory, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const query = c.req.valid('query');
  const { group } = await memberAndGroup(c, groupId);
  const to = query.to ?? (query.from ? addDays(query.from, HISTORY_DEFAULT_DAYS - 1) : addDays(todayOf(c, group), -1));
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
