/**
 * The night's card in Discord: one embed and buttons. Everything a user typed (group name, game names,
 * usernames) goes through `inert()` (markdown escaped, links broken, cut), button labels are plain text
 * Discord never renders as markdown, and `allowed_mentions` parses nothing, so no text can ping anyone.
 * While the night's results are hidden the card shows no tallies at all: not in the embed, not on buttons.
 */
import { inert } from '../announcements/index.ts';
import type { NightDto } from '../nights/index.ts';
import type { SuggestionDto } from '../suggestions/index.ts';

/** Discord: 5 action rows of 5 buttons. One row is the RSVP row, so 4 rows × 5 = 20 vote buttons. */
export const MAX_VOTE_BUTTONS = 20;
const BUTTONS_PER_ROW = 5;
const EMBED_COLOR = 0x5865f2;

export const NO_MENTIONS = { parse: [] as string[] };

interface Button {
  type: 2;
  style: 1 | 2 | 3 | 4 | 5;
  label: string;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
}
interface ActionRow {
  type: 1;
  components: Button[];
}
export interface CardMessage {
  embeds: Array<Record<string, unknown>>;
  components: ActionRow[];
  allowed_mentions: { parse: string[] };
}

export interface CardInput {
  appUrl: string;
  group: { id: string; name: string };
  night: NightDto;
  /** Already without tallies when `hidden`. */
  suggestions: SuggestionDto[];
  hidden: boolean;
  now: Date;
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A plain-text button label (Discord allows 80 characters). */
function label(text: string, max = 80): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean || '—';
}

function people(list: Array<{ username: string }>): string {
  if (list.length === 0) return '—';
  const names = list.map((u) => inert(u.username, 32));
  let out = '';
  for (const [i, n] of names.entries()) {
    const next = out ? `${out}, ${n}` : n;
    if (next.length > 900) return `${out} +${names.length - i} more`;
    out = next;
  }
  return out;
}

export function nightUrl(appUrl: string, groupId: string, date: string): string {
  return `${appUrl}/groups/${encodeURIComponent(groupId)}?day=${date}`;
}

export function renderCard(input: CardInput): CardMessage {
  const { night, group, suggestions, hidden } = input;
  const open = night.status === 'open' && Date.parse(night.closesAt) > input.now.getTime();
  const lines: string[] = [];
  lines.push(`**${inert(group.name, 60)}** · ${night.date}`);
  if (night.status === 'open') lines.push(`Voting closes <t:${unix(night.closesAt)}:R> · starts <t:${unix(night.startsAt)}:t>`);
  else if (night.status === 'cancelled') lines.push('This night is cancelled.');
  else lines.push(`Voting closed · started <t:${unix(night.startsAt)}:t>`);
  if (night.winner) lines.push(`🏆 Winner: **${inert(night.winner.gameName)}**`);

  const shown = suggestions.slice(0, MAX_VOTE_BUTTONS);
  const more = suggestions.length - shown.length;
  let list =
    suggestions.length === 0
      ? 'No suggestions yet. Use `/suggest` to add one.'
      : shown.map((s) => (hidden || s.votes === null ? `• ${inert(s.gameName)}` : `• ${inert(s.gameName)} — ${s.votes} ✓`)).join('\n');
  if (hidden && suggestions.length > 0) list += '\n*Tallies are hidden until the deadline.*';
  if (more > 0) list += `\n+${more} more on the web`;

  const embed = {
    title: 'Tonight',
    description: lines.join('\n'),
    color: EMBED_COLOR,
    fields: [
      { name: 'Suggestions', value: list.slice(0, 1024) },
      { name: `In (${night.rsvps.in.length})`, value: people(night.rsvps.in), inline: true },
      { name: `Maybe (${night.rsvps.maybe.length})`, value: people(night.rsvps.maybe), inline: true },
    ],
    url: nightUrl(input.appUrl, group.id, night.date),
  };

  const components: ActionRow[] = [];
  for (let i = 0; i < shown.length; i += BUTTONS_PER_ROW) {
    components.push({
      type: 1,
      components: shown.slice(i, i + BUTTONS_PER_ROW).map((s) => ({
        type: 2,
        style: 2,
        label: label(hidden || s.votes === null ? s.gameName : `${s.gameName} (${s.votes})`),
        custom_id: `qc:vote:${s.id}`,
        ...(open ? {} : { disabled: true }),
      })),
    });
  }
  const rsvp = (status: 'in' | 'maybe' | 'out', text: string, style: 1 | 2 | 3 | 4): Button => ({
    type: 2,
    style,
    label: text,
    custom_id: `qc:rsvp:${group.id}:${night.date}:${status}`,
    ...(night.status === 'cancelled' ? { disabled: true } : {}),
  });
  components.push({
    type: 1,
    components: [
      rsvp('in', "I'm in", 3),
      rsvp('maybe', 'Maybe', 2),
      rsvp('out', "I'm out", 4),
      { type: 2, style: 5, label: 'Open in QueueCrew', url: nightUrl(input.appUrl, group.id, night.date) },
    ],
  });
  return { embeds: [embed], components, allowed_mentions: NO_MENTIONS };
}
