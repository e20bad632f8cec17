/**
 * The results read model: per group and day, the stored night and the results answer, kept in the
 * read caches (lib/read-caches.ts). Every change to a suggestion, vote, ballot, veto, night, the group
 * or its memberships drops the group's entries before the next answer (triggers of migration 0007),
 * so a cached answer is the one the database would give now. What depends on the clock is computed
 * per request: the virtual night of a day without a stored night (closed once its deadline passed),
 * and from it whether results are hidden. The answer is kept per night status and hidden flag, so a
 * night that closes, or results that become visible, never reuse an answer of the other state.
 */
import type { Services } from '../../lib/context.ts';
import { findNight, resultsHidden, virtualNight, type NightRow } from '../nights/index.ts';
import type { GroupRow } from '../groups/index.ts';
import { resultsFor, type ResultsDto } from './data.ts';

/** The stored night of `day`, or the virtual one; the stored one (or its absence) is cached. */
async function nightOf(services: Services, group: GroupRow, day: string, tick: number): Promise<NightRow> {
  const { caches, database, clock } = services;
  let stored = caches.night(group.id, day);
  if (stored === undefined) {
    stored = (await findNight(database.db, group.id, day)) ?? null;
    caches.storeNight(group.id, day, stored, tick);
  }
  return stored ?? virtualNight(group, day, clock.now());
}

/**
 * The results of `day` for a member of `group` (the caller checked the membership). `tick` is the
 * caches' stamp taken before the group was read: nothing read after a change the caches have not yet
 * dropped is stored.
 */
export async function cachedResults(services: Services, group: GroupRow, day: string, tick: number): Promise<ResultsDto> {
  const { caches, database } = services;
  const night = await nightOf(services, group, day, tick);
  const hidden = resultsHidden(group, night);
  const key = `${day}|${night.status}|${hidden ? 'hidden' : 'shown'}`;
  const hit = caches.answer<ResultsDto>(group.id, key);
  if (hit) return hit;
  const results = await resultsFor(database.db, group, night, hidden);
  caches.storeAnswer(group.id, key, results, tick);
  return results;
}
