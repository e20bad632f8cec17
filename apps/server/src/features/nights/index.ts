/** What other features and the server may use from nights. */
export { tonightOf, type Tonight } from './tonight.ts';
export { NightCloser, closeAndPublish, DEFAULT_CLOSER_OPTIONS, type NightCloserOptions } from './closer.ts';
export {
  NightSchema,
  NightUserSchema,
  nightDto,
  nightDtos,
  findNight,
  nightOrVirtual,
  parseRounds,
  parseTied,
  resultsHidden,
  virtualNight,
  type NightDto,
  type NightRow,
} from './data.ts';
export { nightEvent } from './events.ts';
export { backfillNights, openNightForVotes, rescheduleOpenNights, rsvpTx } from './mutations.ts';
export { MAX_DAYS_AHEAD, methodOf, requireMethod, requirePlannableDay, requireTakesVotes, todayIn, vetoesOf } from './policy.ts';
