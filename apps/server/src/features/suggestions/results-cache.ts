/**
 * The results read model: per group and day, the stored night and the results answer, kept in the
 * read caches (lib/read-caches.ts). Every change to a suggestion, vote, ballot, veto, night, the group
 * or its memberships drops the group's entries before the next answer (triggers of migration 0007),
 * so a cached answer is the one the database would give now. What depends on the clock is computed
 * per request: the virtual night of a day without a stored night (closed once its deadline passed),
 * and from it whether results are hidden. The answer is kept per night status and hidden flag, so a
 * night that closes, or results that become visible, never reuse an answer of the other state.
 *
 * The cached answer is the response body itself, `JSON.stringify` of the results made once when it is
 * stored: a hit sends that text without serialising the 50-suggestion object again (≈ 9 % of a results
 * read's CPU, issue 15). It is exactly the text `c.json(results)` sent (same serialiser, same object). A
 * string, not bytes: the caches freeze what they hold (a typed array cannot be frozen), and sending a
 * UTF-8 Uint8Array measured no cheaper than the string (bench `results GET`, same run).
 */
import type { TypedResponse } from 'hono';
import type { Services } from '../../lib/context.ts';
import { findNight, resultsHidden, virtualNight, type NightRow } from '../nights/index.ts';
import type { GroupRow } from '../groups/index.ts';
import { resultsFor, type ResultsDto } from './data.ts';

/** What the route declares (its OpenAPI schema is unchanged): the cached text is that JSON. */
export type ResultsJsonResponse = TypedResponse<ResultsDto, 200, 'json'>;

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
 * The results of `day` for a member of `group` (the caller checked the membership), as their JSON text.
 * `tick` is the caches' stamp taken before the group was read: nothing read after a change the caches
 * have not yet dropped is stored.
 */
export async function cachedResults(services: Services, group: GroupRow, day: string, tick: number): Promise<string> {
  const { caches, database } = services;
  const night = await nightOf(services, group, day, tick);
  const hidden = resultsHidden(group, night);
  // `json|`: the answer is the serialised body, not a ResultsDto object.
  const key = `json|${day}|${night.status}|${hidden ? 'hidden' : 'shown'}`;
  const hit = caches.answer<string>(group.id, key);
  if (hit !== undefined) return hit;
  const results = JSON.stringify(await resultsFor(database.db, group, night, hidden));
  caches.storeAnswer(group.id, key, results, tick);
  return results;
}
