/**
 * A small RFC 5545 writer: just what the feed needs, written out so each rule can be checked.
 *  - Lines end in CRLF (3.1).
 *  - Content lines longer than 75 octets are folded: CRLF + one space, counted in UTF-8 octets, never
 *    inside a multi-byte character (3.1: "split … between octets" of a character is not allowed).
 *  - TEXT values escape backslash, semicolon, comma and newlines (3.3.11); other control characters
 *    (not allowed in TEXT) are dropped.
 *  - Times are UTC, `YYYYMMDDTHHMMSSZ` (3.3.5, form #2).
 */

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** Escapes a TEXT value (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n|\r|\n/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing the control characters TEXT does not allow
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/[\\;,\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))
  );
}

/** Folds one content line at 75 octets; continuation lines start with a space (which counts). */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    // Code points, so a 2–4 octet character stays whole (a surrogate pair is one step of for…of).
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

/** An instant as a UTC DATE-TIME: 20261206T040000Z. */
export function utcDateTime(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export type IcsProperty = readonly [name: string, value: string];

/** One component: BEGIN, its properties (values already escaped where they are TEXT), nested ones, END. */
export interface IcsComponent {
  name: string;
  properties: readonly IcsProperty[];
  components?: readonly IcsComponent[];
}

function lines(component: IcsComponent): string[] {
  return [
    `BEGIN:${component.name}`,
    ...component.properties.map(([name, value]) => `${name}:${value}`),
    ...(component.components ?? []).flatMap(lines),
    `END:${component.name}`,
  ];
}

/** The whole document: folded lines, each ending in CRLF (the last one too). */
export function serialize(calendar: IcsComponent): string {
  return lines(calendar)
    .map((l) => foldLine(l) + CRLF)
    .join('');
}
