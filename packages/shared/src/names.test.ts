/** Names are NFC, lose invisible characters, and keep at least one visible one. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGroupInput, gameNameSchema, groupNameSchema, sanitizeExternalName } from './inputs.ts';

const INVISIBLES = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2060',
  '\u2061',
  '\u2062',
  '\u2063',
  '\u2064',
  '\ufeff',
  '\u00ad',
  '\u3164',
  '\u115f',
  '\u1160',
  '\uffa0',
  '\u2800',
  '\u180e',
];

describe('names', () => {
  it.each(INVISIBLES.map((c) => [c.codePointAt(0)!.toString(16)]))('a name made only of U+%s is refused', (hex) => {
    const c = String.fromCodePoint(parseInt(hex, 16));
    for (const schema of [gameNameSchema, groupNameSchema]) {
      const r = schema.safeParse(c.repeat(3));
      expect(r.success).toBe(false);
    }
  });

  it('removes invisible characters, NFC-normalises, and says why an all-invisible name fails', () => {
    expect(gameNameSchema.parse('Ha\u200bdes\ufeff')).toBe('Hades');
    // "é" as e + combining acute becomes the single precomposed character.
    expect(gameNameSchema.parse('Pok\u0065\u0301mon')).toBe('Pok\u00e9mon');
    const r = groupNameSchema.safeParse(' \u200b \u3164 ');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/cannot be empty|visible/);
    const marks = gameNameSchema.safeParse('\u0301\u0301');
    expect(marks.success).toBe(false);
    expect(marks.error?.issues[0]?.message).toMatch(/visible character/);
    expect(createGroupInput.safeParse({ name: '\u200b\u200d', timezone: 'UTC' }).success).toBe(false);
  });

  it('property: an accepted name is NFC, has no invisible characters and shows something', () => {
    const pieces = fc.constantFrom(...INVISIBLES, 'a', 'Z', '7', ' ', '\u0301', 'é', '🎮', 'ß', 'ｱ', '\u3000');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const r = gameNameSchema.safeParse(parts.join(''));
        if (!r.success) return;
        expect(r.data).toBe(r.data.normalize('NFC'));
        expect(/[\p{Cf}\u3164\u115f\u1160\uffa0\u2800]/u.test(r.data)).toBe(false);
        expect(/[^\s\p{M}]/u.test(r.data)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  /** Bidi embeddings, overrides and isolates reorder what is shown ("Trojan Source"): refused in typed names. */
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

  it.each(BIDI.map((c) => [c.codePointAt(0)!.toString(16)]))('a typed name containing U+%s is refused, saying why', (hex) => {
    const c = String.fromCodePoint(parseInt(hex, 16));
    for (const schema of [gameNameSchema, groupNameSchema]) {
      for (const value of [`Ha${c}des`, `${c}Hades`, c.repeat(3)]) {
        const r = schema.safeParse(value);
        expect(r.success).toBe(false);
        expect(r.error?.issues[0]?.message).toMatch(/control characters/);
      }
    }
    expect(createGroupInput.safeParse({ name: `Crew${c}`, timezone: 'UTC' }).success).toBe(false);
  });

  it('a name from another service (Steam) loses bidi, control and invisible characters instead, or falls back', () => {
    expect(sanitizeExternalName('Ha\u202edes\u2069', 'Steam app 1')).toBe('Hades');
    expect(sanitizeExternalName('\u2066Deep\u200b Rock\u2069\u0007', 'Steam app 1')).toBe('Deep Rock');
    expect(sanitizeExternalName('\u202e\u200b\u2068', 'Steam app 7')).toBe('Steam app 7');
    expect(sanitizeExternalName('', 'Steam app 7')).toBe('Steam app 7');
    expect(sanitizeExternalName('x'.repeat(300), 'f')).toHaveLength(100);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BIDI, ...INVISIBLES, 'a', ' ', '\u0301', '🎮', '\u0000'), { maxLength: 30 }), (parts) => {
        const name = sanitizeExternalName(parts.join(''), 'fallback');
        expect(/[\u202a-\u202e\u2066-\u2069\p{Cf}\p{Cc}]/u.test(name)).toBe(false);
        expect(name).toBe(name.normalize('NFC'));
        expect(gameNameSchema.safeParse(name).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
