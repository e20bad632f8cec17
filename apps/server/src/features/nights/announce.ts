/**
 * What a night says to Discord and in notifications. Discord text: user text (group, game and user
 * names) goes through `inert()`; mentions are written by us as `<@id>` for Discord-linked members only,
 * and the outbox lists exactly those ids in `allowed_mentions.users` (never `@everyone`). Results that
 * are hidden until the close are never in a message before it.
 */
import { inert } from '../announcements/index.ts';
import type { Decision } from './decide.ts';
import type { MemberInfo } from './data.ts';

const SNOWFLAKE = /^\d{1,20}$/;

export interface Rendered {
  content: string;
  mentions: string[];
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const approvals = (n: number) => `${n} approval${n === 1 ? '' : 's'}`;
const votesText = (n: number) => `${n} vote${n === 1 ? '' : 's'}`;

/** "<@id>" for linked members, the (inert) name for the others; the ids to allow. */
function people(list: MemberInfo[], max = 25): { text: string; mentions: string[] } {
  const mentions: string[] = [];
  const parts = list.slice(0, max).map((m) => {
    if (m.discordId && SNOWFLAKE.test(m.discordId)) {
      mentions.push(m.discordId);
      return `<@${m.discordId}>`;
    }
    return inert(m.username, 32);
  });
  if (list.length > max) parts.push(`and ${list.length - max} more`);
  return { text: parts.join(', '), mentions };
}

export interface CloseMessageInput {
  groupName: string;
  day: string;
  startsAt: Date;
  decision: Decision;
  /** The night's tally, to name the tied games. */
  names: Map<string, string>;
  inMembers: MemberInfo[];
  /** > 1 after a reopen: the message says the result changed. */
  closeCount: number;
  method?: 'approval' | 'ranked';
  /** Ranked nights: how many instant-runoff rounds it took. */
  rounds?: number;
  /** How many vetoes were cast (only the count is ever announced). */
  vetoes?: number;
  noWinnerReason?: 'no_suggestions' | 'no_votes' | 'all_vetoed' | null;
}

function tieExplanation(decision: Decision, names: Map<string, string>): string {
  if (decision.tied.length === 0) return '';
  const games = decision.tied.map((id) => `**${inert(names.get(id) ?? '?')}**`).join(', ');
  switch (decision.decidedBy) {
    case 'random':
      return `\nTie between ${games}, broken at random: seed \`${decision.seed}\` (first 4 bytes of sha256(seed) mod ${decision.tied.length}, candidates sorted by id).`;
    case 'least_recent':
      return `\nTie between ${games}, broken by the game that won least recently.`;
    default:
      return `\nTie between ${games}: an admin picks the game.`;
  }
}

function whoIsIn(inMembers: MemberInfo[], startsAt: Date): Rendered {
  const who = people(inMembers);
  const line = inMembers.length > 0 ? `In (${inMembers.length}): ${who.text}.` : 'Nobody has said they are in yet.';
  return { content: `${line} Starts <t:${unix(startsAt)}:t>.`, mentions: who.mentions };
}

export function closeMessage(input: CloseMessageInput): Rendered {
  const group = inert(input.groupName, 60);
  const changed = input.closeCount > 1 ? '🔁 Reopened and decided again, the result changed: ' : '';
  const { decision } = input;
  const ranked = input.method === 'ranked';
  let head: string;
  if (decision.winner) {
    const how = ranked
      ? `${votesText(decision.winner.votes)} in the last of ${input.rounds ?? 1} instant-runoff round${input.rounds === 1 ? '' : 's'}`
      : approvals(decision.winner.votes);
    head = `🏆 ${changed}**${group}** — the pick for ${input.day}: **${inert(decision.winner.gameName)}** with ${how}.`;
  } else if (decision.tied.length > 0) {
    head = `🏆 ${changed}**${group}** — voting for ${input.day} ended in a tie.`;
  } else if (input.noWinnerReason === 'all_vetoed') {
    head = `🏁 ${changed}**${group}** — voting for ${input.day} closed without a pick: every suggestion was vetoed.`;
  } else {
    head = `🏁 ${changed}**${group}** — voting for ${input.day} closed without a pick (${ranked ? 'no ballot ranked a game' : 'no game got an approval'}).`;
  }
  const vetoes = input.vetoes ? `\n${input.vetoes} veto${input.vetoes === 1 ? '' : 'es'} cast.` : '';
  const tail = whoIsIn(input.inMembers, input.startsAt);
  return { content: `${head}${tieExplanation(decision, input.names)}${vetoes}\n${tail.content}`, mentions: tail.mentions };
}

export function pickMessage(input: {
  groupName: string;
  day: string;
  gameName: string;
  votes: number;
  startsAt: Date;
  inMembers: MemberInfo[];
}): Rendered {
  const tail = whoIsIn(input.inMembers, input.startsAt);
  return {
    content: `🎯 **${inert(input.groupName, 60)}** — an admin broke the tie for ${input.day}: **${inert(input.gameName)}** (${approvals(input.votes)}).\n${tail.content}`,
    mentions: tail.mentions,
  };
}

export function reminderMessage(input: { groupName: string; day: string; closesAt: Date; notVoted: MemberInfo[] }): Rendered {
  const who = people(input.notVoted);
  return {
    content: `⏰ **${inert(input.groupName, 60)}** — voting for ${input.day} closes <t:${unix(input.closesAt)}:R> (<t:${unix(input.closesAt)}:t>). Not voted yet: ${who.text}.`,
    mentions: who.mentions,
  };
}

export function nudgeMessage(input: { groupName: string; day: string; closesAt: Date; by: string; notVoted: MemberInfo[] }): Rendered {
  const who = people(input.notVoted);
  return {
    content: `👋 **${inert(input.groupName, 60)}** — ${inert(input.by, 32)} is waiting for your vote for ${input.day} (closes <t:${unix(input.closesAt)}:t>): ${who.text}.`,
    mentions: who.mentions,
  };
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** "19:30" in the group's timezone, for notification text. */
export function wallTime(timezone: string, instant: Date): string {
  let f = timeFormats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timezone, f);
  }
  return f.format(instant);
}

/** The app page of a night (notification links). */
export const nightUrl = (groupId: string, day: string) => `/groups/${encodeURIComponent(groupId)}?date=${day}`;
