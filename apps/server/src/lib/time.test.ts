import { describe, expect, it } from 'vitest';
import { dayInTimezone, isValidTime, nightInstants, zonedInstant } from './time.ts';

const at = (tz: string, day: string, time: string) => zonedInstant(tz, day, time).toISOString();

describe('zonedInstant: a wall-clock time in a timezone, right across DST changes', () => {
  it('follows the offset on either side of the spring-forward day', () => {
    expect(at('Europe/Berlin', '2026-03-28', '20:00')).toBe('2026-03-28T19:00:00.000Z'); // CET
    expect(at('Europe/Berlin', '2026-03-29', '20:00')).toBe('2026-03-29T18:00:00.000Z'); // CEST, switch day
    expect(at('America/Los_Angeles', '2026-03-07', '20:00')).toBe('2026-03-08T04:00:00.000Z'); // PST
    expect(at('America/Los_Angeles', '2026-03-08', '20:00')).toBe('2026-03-09T03:00:00.000Z'); // PDT, switch day
  });

  it('moves a time inside the spring-forward gap forward by the gap', () => {
    expect(at('Europe/Berlin', '2026-03-29', '02:30')).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(at('America/Los_Angeles', '2026-03-08', '02:30')).toBe('2026-03-08T10:30:00.000Z'); // = 03:30 PDT
  });

  it('takes the earlier of a time that occurs twice on the fall-back day', () => {
    expect(at('Europe/Berlin', '2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z'); // CEST
    expect(at('America/Los_Angeles', '2026-11-01', '01:30')).toBe('2026-11-01T08:30:00.000Z'); // PDT
    expect(at('Pacific/Auckland', '2026-04-05', '02:30')).toBe('2026-04-04T13:30:00.000Z'); // NZDT, +13
  });

  it('handles zones with half-hour offsets and UTC', () => {
    expect(at('Asia/Kolkata', '2026-01-01', '20:00')).toBe('2026-01-01T14:30:00.000Z');
    expect(at('UTC', '2026-01-01', '00:00')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('puts the deadline the given minutes before the start, across midnight too', () => {
    const { startsAt, closesAt } = nightInstants('Europe/Berlin', '2026-03-29', '00:15', 30);
    expect(startsAt.toISOString()).toBe('2026-03-28T23:15:00.000Z');
    expect(closesAt.toISOString()).toBe('2026-03-28T22:45:00.000Z');
  });

  it('accepts only HH:MM wall-clock times', () => {
    for (const ok of ['00:00', '20:00', '23:59']) expect(isValidTime(ok)).toBe(true);
    for (const bad of ['24:00', '7:00', '20:60', '20:00:00', '', ' 20:00']) expect(isValidTime(bad)).toBe(false);
  });
});

describe('dayInTimezone: the remembered day never outlives its midnight', () => {
  const reference = (tz: string, ms: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

  it('turns at midnight to the millisecond, asked again and again in the same slot', () => {
    // 2026-12-02T00:00 in Kathmandu (UTC+05:45) is 2026-12-01T18:15Z: mid-slot for a 15-minute UTC grid.
    const midnight = Date.parse('2026-12-01T18:15:00Z');
    for (const ms of [midnight - 60_000, midnight - 1, midnight - 1])
      expect(dayInTimezone('Asia/Kathmandu', new Date(ms))).toBe('2026-12-01');
    for (const ms of [midnight, midnight + 1, midnight + 60_000]) expect(dayInTimezone('Asia/Kathmandu', new Date(ms))).toBe('2026-12-02');
    expect(dayInTimezone('UTC', new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(dayInTimezone('UTC', new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02');
    // Back in time (a test clock) and across zones: each answer is right for the instant asked.
    expect(dayInTimezone('UTC', new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
  });

  it('matches a fresh formatter minute by minute across DST changes at midnight and odd offsets', () => {
    // Santiago changes its clocks at midnight (April back to 23:00, September forward to 01:00).
    const spans: Array<[string, string]> = [
      ['America/Santiago', '2026-04-04T22:00:00Z'],
      ['America/Santiago', '2026-09-05T22:00:00Z'],
      ['Asia/Kathmandu', '2026-06-30T17:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
      ['Europe/Berlin', '2026-10-24T20:00:00Z'],
    ];
    for (const [tz, from] of spans) {
      const start = Date.parse(from);
      for (let ms = start; ms < start + 6 * 3_600_000; ms += 60_000 + 7) expect(dayInTimezone(tz, new Date(ms))).toBe(reference(tz, ms));
    }
  });

  it('does not remember a day for a slot that a midnight falls inside (offsets off the 15-minute grid)', () => {
    // Monrovia ran on UTC−00:44:30 until 1972: its midnight was 00:44:30 UTC, mid-slot.
    const start = Date.parse('1960-01-15T00:00:00Z');
    for (let ms = start; ms < start + 2 * 3_600_000; ms += 997) {
      expect(dayInTimezone('Africa/Monrovia', new Date(ms))).toBe(reference('Africa/Monrovia', ms));
    }
  });
});
