/**
 * Writes for nights. Each runs inside the caller's `database.write()` transaction (BEGIN IMMEDIATE:
 * one writer across every process on the file), reads the night again inside it and decides on that
 * read, so two instances (or a request and the closer) racing on one night cannot both act.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { schema, type Database, type Tx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueNightMessage } from '../announcements/index.ts';
import { insertNotifications, type CreatedNotification, type NewNotification } from '../notifications/index.ts';
import { closeMessage, nightUrl, nudgeMessage, pickMessage, reminderMessage, wallTime } from './announce.ts';
import {
  ballotsOf,
  findNight,
  hasVetoes,
  hasVotes,
  hasSuggestions,
  lastWinsOf,
  nightPeople,
  parseRounds,
  parseTied,
  remindAtFor,
  scheduleFor,
  tallyOf,
  virtualNight,
  type GroupRow,
  type MemberInfo,
  type NightPeople,
  type NightRow,
  type RsvpStatus,
} from './data.ts';
import { decide, newSeed, type Decision } from './decide.ts';
import { instantRunoff, type Round } from './irv.ts';
import { invalid, methodOf, nightCancelled, requireMethod, requireTakesVotes, vetoesOf } from './policy.ts';

/** A nudge per night at most this often. */
export const NUDGE_EVERY_MS = 30 * 60_000;

/** The night's row, created from the defaults the first time the night changes. */
export async function ensureNight(tx: Tx, group: GroupRow, day: string, now: Date): Promise<NightRow> {
  const existing = await findNight(tx, group.id, day);
  if (existing) return existing;
  const [row] = await tx
    .insert(schema.nights)
    .values(virtualNight(group, day, now))
    .onConflictDoNothing()
    .returning();
  return row ?? (await findNight(tx, group.id, day))!;
}

/** For a suggestion or a vote, inside its transaction: the night's row, 409 unless it takes votes now. */
export async function openNightForVotes(tx: Tx, group: GroupRow, day: string, now: Date): Promise<NightRow> {
  const night = await ensureNight(tx, group, day, now);
  requireTakesVotes(night, now);
  if (night.method !== null && night.vetoes !== null) return night;
  // The first suggestion, vote, ballot or veto fixes how the night decides (decision 106): a later
  // change of the group's defaults leaves this night alone.
  const [locked] = await tx
    .update(schema.nights)
    .set({ method: methodOf(group, night), vetoes: vetoesOf(group, night) })
    .where(whereNight(group.id, day))
    .returning();
  return locked!;
}

const whereNight = (groupId: string, day: string) => and(eq(schema.nights.groupId, groupId), eq(schema.nights.day, day));

function notificationsFor(members: MemberInfo[], base: Omit<NewNotification, 'userId'>): NewNotification[] {
  return members.map((m) => ({ ...base, userId: m.id }));
}

export interface CloseResult {
  night: NightRow;
  notifications: CreatedNotification[];
}

/**
 * Closes the night: decides the winner (and the tie), freezes the rules it was decided by, counts the
 * close, and queues the Discord message and the notifications, all in the caller's transaction.
 * `due`: the closer — only an open night whose deadline has passed, else nothing (null). `now`: an
 * admin's /close — any open night (409 for a closed or cancelled one).
 */
export async function closeNightTx(tx: Tx, group: GroupRow, day: string, now: Date, mode: 'due' | 'now'): Promise<CloseResult | null> {
  const row = mode === 'now' ? await ensureNight(tx, group, day, now) : await findNight(tx, group.id, day);
  if (!row) return null;
  if (row.status !== 'open') {
    if (mode === 'due') return null;
    if (row.status === 'cancelled') throw nightCancelled(day);
    throw new AppError(409, 'night_closed', `The night of ${day} is closed already. Reopen it first to decide again.`, { date: day });
  }
  if (mode === 'due' && row.closesAt.getTime() > now.getTime()) return null;

  const tally = await tallyOf(tx, group.id, day);
  const method = methodOf(group, row);
  // A vetoed suggestion cannot win (approval and ranked alike).
  const candidates = vetoesOf(group, row) > 0 ? tally.filter((t) => t.vetoes === 0) : tally;
  const lastWins = group.nightTieBreak === 'least_recent' ? await lastWinsOf(tx, group.id, day) : [];
  let decision: Decision;
  let rounds: Round[] | null = null;
  if (method === 'ranked') {
    const runoff = instantRunoff(candidates, await ballotsOf(tx, group.id, day), group.nightTieBreak, lastWins, newSeed());
    const winner = runoff.winner ? { ...runoff.winner, votes: runoff.votes } : null;
    decision = { winner, decidedBy: runoff.decidedBy, tied: runoff.tied, seed: runoff.seed };
    rounds = runoff.rounds;
  } else {
    decision = decide(candidates, group.nightTieBreak, lastWins);
  }
  const noWinnerReason: NightRow['noWinnerReason'] =
    decision.winner || decision.tied.length > 0
      ? null
      : tally.length === 0
        ? 'no_suggestions'
        : candidates.length === 0
          ? 'all_vetoed'
          : 'no_votes';
  const closeCount = row.closeCount + 1;
  const [night] = await tx
    .update(schema.nights)
    .set({
      status: 'closed',
      method,
      vetoes: vetoesOf(group, row),
      tieBreak: group.nightTieBreak,
      resultsVisibility: group.nightResultsVisibility,
      winnerSuggestionId: decision.winner?.id ?? null,
      winnerGameName: decision.winner?.gameName ?? null,
      winnerVotes: decision.winner?.votes ?? null,
      decidedBy: decision.decidedBy,
      tied: JSON.stringify(decision.tied),
      tieBreakSeed: decision.seed,
      rounds: rounds ? JSON.stringify(rounds) : null,
      noWinnerReason,
      closedAt: now,
      closeCount,
      updatedAt: now,
    })
    // The same condition once more, in the statement itself.
    .where(and(whereNight(group.id, day), eq(schema.nights.status, 'open'), eq(schema.nights.closeCount, row.closeCount)))
    .returning();
  if (!night) return null;

  let notifications: CreatedNotification[] = [];
  if (tally.length > 0) {
    const people = await nightPeople(tx, group.id, day);
    const names = new Map(tally.map((t) => [t.id, t.gameName]));
    const message = closeMessage({
      groupName: group.name,
      day,
      startsAt: night.startsAt,
      decision,
      names,
      inMembers: people.rsvps.in,
      closeCount,
      method,
      rounds: rounds?.length ?? 0,
      vetoes: tally.reduce((n, t) => n + t.vetoes, 0),
      noWinnerReason,
    });
    // One message per close: `night:<day>:<n>` is unique per group, whichever instance closes.
    await enqueueNightMessage(
      tx,
      {
        groupId: group.id,
        kind: 'winner',
        dedupeKey: `night:${day}:${closeCount}`,
        content: message.content,
        mentionDiscordIds: message.mentions,
      },
      now,
    );
    const start = wallTime(group.timezone, night.startsAt);
    const text = decision.winner
      ? { title: `${decision.winner.gameName} wins ${day}`, body: `${group.name} plays ${decision.winner.gameName}, starting at ${start}.` }
      : decision.tied.length > 0
        ? { title: `Tie for ${day}`, body: `Voting in ${group.name} ended in a tie: an admin picks the game.` }
        : noWinnerReason === 'all_vetoed'
          ? { title: `Voting closed for ${day}`, body: `Voting in ${group.name} closed without a pick: every suggestion was vetoed.` }
          : { title: `Voting closed for ${day}`, body: `Voting in ${group.name} closed without a pick.` };
    // Everyone but those who said "out".
    notifications = await insertNotifications(
      tx,
      notificationsFor(membersNotOut(people), { kind: 'night_closed', groupId: group.id, day, url: nightUrl(group.id, day), ...text }),
      now,
    );
  }
  return { night, notifications };
}

function membersNotOut(people: NightPeople): MemberInfo[] {
  return people.members.filter((m) => people.byUser.get(m.id) !== 'out');
}

/** Reopens a closed night with a new deadline (before its start only); the decision is cleared. */
export async function reopenNightTx(tx: Tx, group: GroupRow, day: string, closesAt: Date, now: Date): Promise<NightRow> {
  const row = await ensureNight(tx, group, day, now);
  if (row.status === 'cancelled') throw nightCancelled(day);
  if (row.status === 'open') throw new AppError(409, 'night_open', `The night of ${day} is open already.`, { date: day });
  if (now.getTime() >= row.startsAt.getTime()) {
    throw new AppError(409, 'night_started', `The night of ${day} has started (${row.startsAt.toISOString()}): it cannot be reopened.`, {
      date: day,
      startsAt: row.startsAt.toISOString(),
    });
  }
  if (closesAt.getTime() <= now.getTime()) throw invalid({ closesAt: 'Choose a new deadline in the future.' });
  if (closesAt.getTime() > row.startsAt.getTime()) {
    throw invalid({ closesAt: `Voting must close at or before the start (${row.startsAt.toISOString()}).` });
  }
  const [night] = await tx
    .update(schema.nights)
    .set({
      status: 'open',
      closesAt,
      remindAt: remindAtFor(closesAt, group.nightReminderBeforeMinutes),
      timesEdited: true,
      // The method and vetoes stay: ballots or approvals were cast under them (decision 106).
      tieBreak: null,
      resultsVisibility: null,
      winnerSuggestionId: null,
      winnerGameName: null,
      winnerVotes: null,
      decidedBy: null,
      tied: '[]',
      tieBreakSeed: null,
      rounds: null,
      noWinnerReason: null,
      closedAt: null,
      updatedAt: now,
    })
    .where(and(whereNight(group.id, day), eq(schema.nights.status, 'closed')))
    .returning();
  return night!;
}

export interface PickResult {
  night: NightRow;
  notifications: CreatedNotification[];
}

/** An admin breaks a pending tie (tie-break `admin`) by picking one of the tied suggestions. */
export async function pickTx(tx: Tx, group: GroupRow, day: string, suggestionId: string, now: Date): Promise<PickResult> {
  const row = await findNight(tx, group.id, day);
  const tied = row ? parseTied(row) : [];
  if (!row || row.status !== 'closed' || row.tieBreak !== 'admin' || row.winnerGameName !== null || tied.length === 0) {
    throw new AppError(409, 'no_pending_tie', `The night of ${day} has no tie waiting for an admin's pick.`, { date: day });
  }
  if (!tied.includes(suggestionId)) throw invalid({ suggestionId: 'Pick one of the tied suggestions (see "tied").' });
  const picked = (await tallyOf(tx, group.id, day)).find((t) => t.id === suggestionId);
  if (!picked) throw invalid({ suggestionId: 'That suggestion was deleted. Pick another of the tied ones.' });
  // A ranked night's votes are those of the last instant-runoff round.
  const pickedVotes = row.method === 'ranked' ? (parseRounds(row).at(-1)?.counts[picked.id] ?? 0) : picked.votes;
  const [night] = await tx
    .update(schema.nights)
    .set({ winnerSuggestionId: picked.id, winnerGameName: picked.gameName, winnerVotes: pickedVotes, decidedBy: 'admin', updatedAt: now })
    .where(and(whereNight(group.id, day), eq(schema.nights.status, 'closed'), isNull(schema.nights.winnerGameName)))
    .returning();
  if (!night) throw new AppError(409, 'no_pending_tie', `The tie of ${day} was just decided.`, { date: day });
  const people = await nightPeople(tx, group.id, day);
  const message = pickMessage({
    groupName: group.name,
    day,
    gameName: picked.gameName,
    votes: pickedVotes,
    startsAt: night.startsAt,
    inMembers: people.rsvps.in,
  });
  await enqueueNightMessage(
    tx,
    {
      groupId: group.id,
      kind: 'winner',
      dedupeKey: `night:${day}:${night.closeCount}:pick`,
      content: message.content,
      mentionDiscordIds: message.mentions,
    },
    now,
  );
  const notifications = await insertNotifications(
    tx,
    notificationsFor(membersNotOut(people), {
      kind: 'night_closed',
      groupId: group.id,
      day,
      url: nightUrl(group.id, day),
      title: `${picked.gameName} wins ${day}`,
      body: `An admin of ${group.name} broke the tie: ${picked.gameName}, starting at ${wallTime(group.timezone, night.startsAt)}.`,
    }),
    now,
  );
  return { night, notifications };
}

export interface NightPatch {
  startsAt?: Date;
  closesAt?: Date;
  status?: 'open' | 'cancelled';
  method?: GroupRow['nightMethod'];
  vetoes?: 0 | 1;
}

/** An admin moves, cancels or un-cancels a night. Moving a time marks the night `timesEdited`. */
export async function updateNightTx(tx: Tx, group: GroupRow, day: string, patch: NightPatch, now: Date): Promise<NightRow> {
  const row = await ensureNight(tx, group, day, now);
  if (row.status === 'closed' && (patch.closesAt !== undefined || patch.status === 'open')) {
    throw new AppError(409, 'night_closed', `The night of ${day} is closed. Reopen it to set a new deadline.`, { date: day });
  }
  const rules: { method?: GroupRow['nightMethod']; vetoes?: number } = {};
  if (patch.method !== undefined && patch.method !== methodOf(group, row)) rules.method = patch.method;
  if (patch.vetoes !== undefined && patch.vetoes !== vetoesOf(group, row)) rules.vetoes = patch.vetoes;
  if (rules.method !== undefined || rules.vetoes !== undefined) {
    if (row.status === 'closed') {
      throw new AppError(409, 'night_closed', `The night of ${day} is closed: its method and vetoes are final.`, { date: day });
    }
    const locked =
      (rules.method !== undefined && (await hasVotes(tx, group.id, day))) ||
      (rules.vetoes !== undefined && (await hasVetoes(tx, group.id, day)));
    if (locked) {
      throw new AppError(
        409,
        'method_locked',
        rules.method !== undefined
          ? `Members have already approved or ranked for ${day}: its method can no longer change.`
          : `Members have already vetoed for ${day}: its vetoes setting can no longer change.`,
        { date: day, method: methodOf(group, row), vetoes: vetoesOf(group, row) },
      );
    }
  }
  const startsAt = patch.startsAt ?? row.startsAt;
  const closesAt = patch.closesAt ?? row.closesAt;
  const status = patch.status ?? row.status;
  if (closesAt.getTime() > startsAt.getTime()) {
    throw invalid({ closesAt: `Voting must close at or before the start (${startsAt.toISOString()}).` });
  }
  if (status === 'open' && closesAt.getTime() <= now.getTime()) {
    throw invalid({ closesAt: 'An open night needs a deadline in the future. Move "closesAt" later, or close the night instead.' });
  }
  const [night] = await tx
    .update(schema.nights)
    .set({
      startsAt,
      closesAt,
      status,
      remindAt: patch.closesAt !== undefined ? remindAtFor(closesAt, group.nightReminderBeforeMinutes) : row.remindAt,
      timesEdited: row.timesEdited || patch.startsAt !== undefined || patch.closesAt !== undefined,
      // Set for this night only: it no longer follows the group's defaults.
      ...(rules.method !== undefined || rules.vetoes !== undefined
        ? { method: rules.method ?? methodOf(group, row), vetoes: rules.vetoes ?? vetoesOf(group, row) }
        : {}),
      updatedAt: now,
    })
    .where(whereNight(group.id, day))
    .returning();
  return night!;
}

/** A member's in/maybe/out (409 for a past or cancelled night). */
export async function rsvpTx(
  tx: Tx,
  group: GroupRow,
  day: string,
  today: string,
  userId: string,
  status: RsvpStatus,
  now: Date,
): Promise<NightRow> {
  if (day < today) throw new AppError(409, 'night_past', `The night of ${day} is over: answers are closed.`, { date: day });
  const night = await ensureNight(tx, group, day, now);
  if (night.status === 'cancelled') throw nightCancelled(day);
  await tx
    .insert(schema.rsvps)
    .values({ groupId: group.id, day, userId, status, updatedAt: now })
    .onConflictDoUpdate({ target: [schema.rsvps.groupId, schema.rsvps.day, schema.rsvps.userId], set: { status, updatedAt: now } });
  return night;
}

export interface NudgeResult {
  nudged: string[];
  notifications: CreatedNotification[];
}

/**
 * Reminds the members who have not voted (not the nudger): a notification each and one webhook message
 * mentioning the linked ones. Once per 30 minutes per night (429 `nudge_too_soon` with Retry-After);
 * 409 once the night is closed or cancelled.
 */
export async function nudgeTx(tx: Tx, group: GroupRow, day: string, by: { id: string; username: string }, now: Date): Promise<NudgeResult> {
  const night = await ensureNight(tx, group, day, now);
  requireTakesVotes(night, now);
  if (night.lastNudgeAt && now.getTime() - night.lastNudgeAt.getTime() < NUDGE_EVERY_MS) {
    const seconds = Math.max(1, Math.ceil((night.lastNudgeAt.getTime() + NUDGE_EVERY_MS - now.getTime()) / 1000));
    throw new AppError(
      429,
      'nudge_too_soon',
      `Someone nudged for ${day} less than 30 minutes ago. Try again in ${Math.ceil(seconds / 60)} minutes.`,
      { retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
  const people = await nightPeople(tx, group.id, day);
  const targets = people.notVoted.filter((m) => m.id !== by.id);
  if (targets.length === 0) return { nudged: [], notifications: [] };
  await tx.update(schema.nights).set({ lastNudgeAt: now, updatedAt: now }).where(whereNight(group.id, day));
  const message = nudgeMessage({ groupName: group.name, day, closesAt: night.closesAt, by: by.username, notVoted: targets });
  await enqueueNightMessage(
    tx,
    {
      groupId: group.id,
      kind: 'nudge',
      dedupeKey: `nudge:${day}:${now.getTime()}`,
      content: message.content,
      mentionDiscordIds: message.mentions,
    },
    now,
  );
  const notifications = await insertNotifications(
    tx,
    notificationsFor(targets, {
      kind: 'nudge',
      groupId: group.id,
      day,
      url: nightUrl(group.id, day),
      title: `${by.username} is waiting for your vote`,
      body: `Voting for ${day} in ${group.name} closes at ${wallTime(group.timezone, night.closesAt)}.`,
    }),
    now,
  );
  return { nudged: targets.map((m) => m.id), notifications };
}

/**
 * The automatic reminder at closesAt − reminderBeforeMinutes, once per night with a suggestion: a
 * notification to each member who has not voted and one webhook message mentioning the linked ones.
 * Null when it is not (or no longer) due.
 */
export async function remindTx(tx: Tx, group: GroupRow, day: string, now: Date): Promise<CreatedNotification[] | null> {
  const night = await findNight(tx, group.id, day);
  if (!night || night.status !== 'open' || night.reminderSentAt !== null || night.remindAt === null) return null;
  if (night.remindAt.getTime() > now.getTime() || night.closesAt.getTime() <= now.getTime()) return null;
  if (!(await hasSuggestions(tx, group.id, day))) return null;
  await tx
    .update(schema.nights)
    .set({ reminderSentAt: now, updatedAt: now })
    .where(and(whereNight(group.id, day), isNull(schema.nights.reminderSentAt)));
  const people = await nightPeople(tx, group.id, day);
  if (people.notVoted.length === 0) return [];
  const message = reminderMessage({ groupName: group.name, day, closesAt: night.closesAt, notVoted: people.notVoted });
  await enqueueNightMessage(
    tx,
    { groupId: group.id, kind: 'reminder', dedupeKey: `reminder:${day}`, content: message.content, mentionDiscordIds: message.mentions },
    now,
  );
  return insertNotifications(
    tx,
    notificationsFor(people.notVoted, {
      kind: 'night_closing_soon',
      groupId: group.id,
      day,
      url: nightUrl(group.id, day),
      title: `Voting closes at ${wallTime(group.timezone, night.closesAt)}`,
      body: `You have not voted for ${day} in ${group.name} yet.`,
    }),
    now,
  );
}

/**
 * After a change of the group's timezone or night defaults: open nights not moved by hand get the
 * times the new defaults give; nights moved by hand keep their times (only their reminder follows the
 * new reminder setting). Returns the rows that changed.
 */
export async function rescheduleOpenNights(tx: Tx, group: GroupRow, now: Date): Promise<NightRow[]> {
  const open = await tx
    .select()
    .from(schema.nights)
    .where(and(eq(schema.nights.groupId, group.id), eq(schema.nights.status, 'open')));
  const changed: NightRow[] = [];
  for (const night of open) {
    const next = night.timesEdited
      ? { startsAt: night.startsAt, closesAt: night.closesAt, remindAt: remindAtFor(night.closesAt, group.nightReminderBeforeMinutes) }
      : scheduleFor(group, night.day);
    const same =
      next.startsAt.getTime() === night.startsAt.getTime() &&
      next.closesAt.getTime() === night.closesAt.getTime() &&
      (next.remindAt?.getTime() ?? null) === (night.remindAt?.getTime() ?? null);
    if (same) continue;
    const [row] = await tx
      .update(schema.nights)
      .set({ ...next, updatedAt: now })
      .where(and(whereNight(group.id, night.day), eq(schema.nights.status, 'open')))
      .returning();
    if (row) changed.push(row);
  }
  return changed;
}

/**
 * Start-up backfill (idempotent): every day that has suggestions but no night gets an open night from
 * its group's defaults (migration 0002 made closed nights for the days whose voting had ended; this
 * covers the rest, since SQL cannot compute group-local instants).
 * A backfilled night whose deadline has passed is closed (and decided) by the closer's next tick.
 * Reads first: nothing to do takes no write lock.
 */
export async function backfillNights(database: Database, now: Date): Promise<number> {
  const missing = await database.db.all<{ group_id: string; day: string }>(sql`
    SELECT DISTINCT s.group_id, s.day FROM suggestions s
    LEFT JOIN nights n ON n.group_id = s.group_id AND n.day = s.day
    WHERE n.day IS NULL`);
  if (missing.length === 0) return 0;
  return database.write(async (tx) => {
    const groups = new Map<string, GroupRow>();
    let created = 0;
    for (const m of missing) {
      let group = groups.get(m.group_id);
      if (!group) {
        group = await tx.select().from(schema.groups).where(eq(schema.groups.id, m.group_id)).get();
        if (!group) continue;
        groups.set(group.id, group);
      }
      const s = scheduleFor(group, m.day);
      const rows = await tx
        .insert(schema.nights)
        .values({ groupId: group.id, day: m.day, ...s, status: 'open', createdAt: now })
        .onConflictDoNothing()
        .returning({ day: schema.nights.day });
      created += rows.length;
    }
    return created;
  });
}

/**
 * Replaces a member's ranked ballot (ranked nights, while open): every id must be a suggestion of this
 * night of this group (400 naming the first that is not). An empty ranking withdraws the ballot.
 */
export async function ballotTx(tx: Tx, group: GroupRow, day: string, userId: string, ranking: string[], now: Date): Promise<NightRow> {
  const night = await openNightForVotes(tx, group, day, now);
  requireMethod(group, night, 'ranked');
  if (ranking.length > 0) {
    const found = await tx
      .select({ id: schema.suggestions.id })
      .from(schema.suggestions)
      .where(and(eq(schema.suggestions.groupId, group.id), eq(schema.suggestions.day, day), inArray(schema.suggestions.id, ranking)));
    const ours = new Set(found.map((r) => r.id));
    const bad = ranking.find((id) => !ours.has(id));
    if (bad !== undefined) {
      throw new AppError(400, 'invalid_input', 'Some fields are not valid. Check the details and try again.', {
        ranking: `"${bad}" is not a suggestion of ${day} in this group: rank only that night's suggestions.`,
        suggestionId: bad,
      });
    }
  }
  await tx
    .delete(schema.ballots)
    .where(and(eq(schema.ballots.groupId, group.id), eq(schema.ballots.day, day), eq(schema.ballots.userId, userId)));
  if (ranking.length > 0) {
    await tx
      .insert(schema.ballots)
      .values(ranking.map((suggestionId, i) => ({ groupId: group.id, day, userId, suggestionId, rank: i + 1, updatedAt: now })));
  }
  return night;
}
