/**
 * Who may act on a suggestion, and when. Access always goes through the group's membership
 * (features/groups policy): a suggestion of a group the caller is not in is "not found", exactly like a
 * suggestion that does not exist, so ids from other groups reveal nothing.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { dayInTimezone } from '../../lib/time.ts';
import { findGroup, requireMember, requireRole, type GroupRow, type Membership } from '../groups/index.ts';
import { nightOrVirtual, requirePlannableDay, requireTakesVotes, type NightRow } from '../nights/index.ts';
import { findSuggestion, type SuggestionRow } from './data.ts';

/** How far ahead a day can be planned: the game nights' limit. */
export { MAX_DAYS_AHEAD } from '../nights/index.ts';

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
 * A day takes suggestions and votes while its game night is open and before its deadline (`closesAt`):
 * 409 `voting_closed` after it, 409 `night_cancelled` for a cancelled night, 400 on `date` for a day more
 * than 60 days ahead. This replaces the first rule ("yesterday stays open"), under which the decision
 * came a day late. A fast check before the write; the write checks again inside its transaction
 * (`openNightForVotes`), where the closer cannot slip in between.
 */
export async function requireOpenNight(c: Context<AppEnv>, group: GroupRow, day: string): Promise<NightRow> {
  const { database, clock } = c.get('services');
  const now = clock.now();
  requirePlannableDay(group, day, now);
  const night = await nightOrVirtual(database.db, group, day, now);
  requireTakesVotes(night, now);
  return night;
}
