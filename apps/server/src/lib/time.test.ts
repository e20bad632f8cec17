import { describe, expect, it } from 'vitest';
import { isValidTime, nightInstants, zonedInstant } from './time.ts';

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
