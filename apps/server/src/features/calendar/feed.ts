/**
 * The feed document: one VEVENT per night (data.ts decides which). Only a closed night names a game —
 * its recorded winner — so hidden results (`after_close`) cannot leak a leader through the calendar.
 */
import { escapeText, serialize, utcDateTime, type IcsComponent, type IcsProperty } from './ics.ts';
import type { FeedNight } from './data.ts';

/** How long a night lasts in the calendar (no playtime is known for a suggestion yet). */
export const NIGHT_DURATION_MS = 3 * 3_600_000;

const timeFormatters = new Map<string, Intl.DateTimeFormat>();
/** "HH:MM" of `instant` in `timezone` (24 h). */
function localTime(timezone: string, instant: Date): string {
  let f = timeFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timezone, f);
  }
  return f.format(instant);
}

function summaryOf(night: FeedNight, now: Date): string {
  const group = night.group.name;
  if (night.status === 'cancelled') return `${group} — cancelled`;
  if (night.winner) return `${night.winner.gameName} — ${group}`;
  if (night.status === 'open' && night.closesAt.getTime() > now.getTime()) {
    return `${group} — voting until ${localTime(night.group.timezone, night.closesAt)}`;
  }
  // Closed without a winner (no suggestions, or a tie waiting for an admin), or past its deadline and
  // about to be closed: say nothing about who leads.
  return `${group} — game night`;
}

function descriptionOf(night: FeedNight, now: Date, url: string): string {
  const lines: string[] = [];
  if (night.status === 'cancelled') lines.push('This game night was cancelled.');
  else if (night.winner) lines.push(`Tonight's game: ${night.winner.gameName}.`);
  else if (night.status === 'open' && night.closesAt.getTime() > now.getTime()) {
    lines.push(`Voting closes at ${localTime(night.group.timezone, night.closesAt)} (${night.group.timezone}).`);
  }
  if (night.myRsvp) lines.push(`You said: ${night.myRsvp}.`);
  lines.push(`Open the night: ${url}`);
  return lines.join('\n');
}

export function renderFeed(nights: readonly FeedNight[], options: { appUrl: string; now: Date; username: string }): string {
  const host = new URL(options.appUrl).hostname;
  const stamp = utcDateTime(options.now);
  const events: IcsComponent[] = nights.map((night) => {
    const url = `${options.appUrl}/groups/${encodeURIComponent(night.group.id)}?day=${night.day}`;
    const status = night.status === 'cancelled' ? 'CANCELLED' : night.status === 'closed' ? 'CONFIRMED' : 'TENTATIVE';
    const properties: IcsProperty[] = [
      ['UID', `${night.group.id}-${night.day}@${host}`],
      ['DTSTAMP', stamp],
      ['DTSTART', utcDateTime(night.startsAt)],
      ['DTEND', utcDateTime(new Date(night.startsAt.getTime() + NIGHT_DURATION_MS))],
      ['SUMMARY', escapeText(summaryOf(night, options.now))],
      ['DESCRIPTION', escapeText(descriptionOf(night, options.now, url))],
      ['URL', url],
      ['STATUS', status],
      ['TRANSP', 'OPAQUE'],
    ];
    return { name: 'VEVENT', properties };
  });
  return serialize({
    name: 'VCALENDAR',
    properties: [
      ['VERSION', '2.0'],
      ['PRODID', '-//QueueCrew//Game nights//EN'],
      ['CALSCALE', 'GREGORIAN'],
      ['METHOD', 'PUBLISH'],
      ['X-WR-CALNAME', escapeText(`QueueCrew game nights (${options.username})`)],
      ['X-WR-CALDESC', escapeText('Game nights of your QueueCrew groups. This address is private: anyone who has it can read it.')],
      // Hints for how often calendar apps fetch again (RFC 7986 REFRESH-INTERVAL and the older X- name).
      ['REFRESH-INTERVAL;VALUE=DURATION', 'PT1H'],
      ['X-PUBLISHED-TTL', 'PT1H'],
    ],
    components: events,
  });
}
