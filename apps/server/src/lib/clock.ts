/**
 * Where the server reads "now" for day-of-group decisions (today's suggestions, voting window).
 * Handlers call `c.get('services').clock.now()` instead of `new Date()` so that tests can place the
 * whole app at a chosen instant (e.g. just before midnight in America/Los_Angeles) by swapping the
 * clock of their own test app — no module mocking. Production uses the system clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is set; for tests and scripted runs. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string | number) {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(instant: Date | string | number): void {
    this.#ms = new Date(instant).getTime();
  }
}
