/**
 * When a night takes what. Access to a night goes through the group's membership (features/groups): a
 * night of a group the caller is not in is "not found"; admin actions by a member are 403 and audited.
 */
import { AppError } from '../../lib/errors.ts';
import { addDays, dayInTimezone } from '../../lib/time.ts';
import type { GroupRow, NightRow } from './data.ts';

/** How far ahead a night can be planned (and suggested for). */
export const MAX_DAYS_AHEAD = 60;

export const invalid = (details: Record<string, string>) =>
  new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', details);

/** Today in the group's timezone at `now`. */
export function todayIn(group: Pick<GroupRow, 'timezone'>, now: Date): string {
  return dayInTimezone(group.timezone, now);
}

/** 400 on `date` for a day more than MAX_DAYS_AHEAD days after today (group time). */
export function requirePlannableDay(group: Pick<GroupRow, 'timezone'>, day: string, now: Date): void {
  const today = todayIn(group, now);
  if (day > addDays(today, MAX_DAYS_AHEAD)) {
    throw invalid({
      date: `Choose a date at most ${MAX_DAYS_AHEAD} days ahead: today is ${today} in the group's timezone, so ${addDays(today, MAX_DAYS_AHEAD)} is the last one.`,
    });
  }
}

export type NightMethod = GroupRow['nightMethod'];

/** How the night decides: its own method once fixed (decision 106), else the group's default. */
export function methodOf(group: Pick<GroupRow, 'nightMethod'>, night: Pick<NightRow, 'method'>): NightMethod {
  return night.method ?? group.nightMethod;
}

/** Vetoes per member on the night (0 or 1). */
export function vetoesOf(group: Pick<GroupRow, 'nightVetoes'>, night: Pick<NightRow, 'vetoes'>): number {
  return night.vetoes ?? group.nightVetoes;
}

/** 409 `wrong_method` unless the night decides by `method` (approvals on ranked nights, ballots on approval nights). */
export function requireMethod(group: Pick<GroupRow, 'nightMethod'>, night: NightRow, method: NightMethod): void {
  const actual = methodOf(group, night);
  if (actual === method) return;
  const hint =
    actual === 'ranked'
      ? 'rank the suggestions with PUT …/ballot instead of approving them'
      : 'approve suggestions instead of sending a ballot';
  throw new AppError(
    409,
    'wrong_method',
    `The night of ${night.day} is decided by ${actual === 'ranked' ? 'ranked ballots' : 'approvals'}: ${hint}.`,
    {
      date: night.day,
      method: actual,
    },
  );
}

export const nightCancelled = (day: string) =>
  new AppError(409, 'night_cancelled', `The night of ${day} is cancelled. An admin can set it open again.`, { date: day });

/** 409 unless the night takes suggestions and votes now: open, and its deadline not reached. */
export function requireTakesVotes(night: NightRow, now: Date): void {
  if (night.status === 'cancelled') throw nightCancelled(night.day);
  if (night.status === 'closed' || night.closesAt.getTime() <= now.getTime()) {
    throw new AppError(
      409,
      'voting_closed',
      `Voting for ${night.day} closed at ${night.closesAt.toISOString()}. Suggest and vote for a night that is still open.`,
      { date: night.day, closesAt: night.closesAt.toISOString() },
    );
  }
}
