/**
 * Who may act on a suggestion, and when. Access always goes through the group's membership
 * (features/groups policy): a suggestion of a group the caller is not in is "not found", exactly like a
 * suggestion that does not exist, so ids from other groups reveal nothing.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { addDays, dayInTimezone } from '../../lib/time.ts';
import { findGroup, requireMember, requireRole, type GroupRow, type Membership } from '../groups/index.ts';
import { findSuggestion, type SuggestionRow } from './data.ts';

/** How far ahead a day can be planned. */
export const MAX_DAYS_AHEAD = 14;

export const suggestionNotFound = () => notFound('This suggestion');

export interface SuggestionAccess {
  suggestion: SuggestionRow;
  membership: Membership;
  group: GroupRow;
}

/** The suggestion and the caller's membership of its group; 404 for unknown ids and non-members alike. */
export async function requireSuggestionAccess(c: Context<AppEnv>, suggestionId: string): Promise<SuggestionAccess> {
  const { db } = c.get('services').database;
  const suggestion = await findSuggestion(db, suggestionId);
  if (!suggestion) throw suggestionNotFound();
  let membership: Membership;
  try {
    membership = await requireMember(c, suggestion.groupId);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw suggestionNotFound();
    throw e;
  }
  const group = await findGroup(db, suggestion.groupId);
  if (!group) throw suggestionNotFound();
  return { suggestion, membership, group };
}

/** The suggester may delete their own suggestion; anyone else needs to be an admin. */
export async function requireCanDeleteSuggestion(c: Context<AppEnv>, access: SuggestionAccess): Promise<void> {
  if (access.suggestion.suggestedBy === access.membership.userId) return;
  await requireRole(c, access.membership, 'admin');
}

/** Today in the group's timezone, by the app's clock. */
export function todayOf(c: Context<AppEnv>, group: GroupRow): string {
  return dayInTimezone(group.timezone, c.get('services').clock.now());
}

/**
 * A day takes suggestions and votes until the end of the next day (group time), so a late session
 * past midnight still counts; anything older is closed.
 */
export function requireOpenDay(c: Context<AppEnv>, group: GroupRow, day: string): void {
  const today = todayOf(c, group);
  if (day < addDays(today, -1)) {
    throw new AppError(409, 'voting_closed', `Voting for ${day} has closed. Suggest and vote for today (${today}) instead.`, {
      date: day,
      today,
    });
  }
  if (day > addDays(today, MAX_DAYS_AHEAD)) {
    throw new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', {
      date: `Choose a date at most ${MAX_DAYS_AHEAD} days ahead (today is ${today} in the group's timezone).`,
    });
  }
}
