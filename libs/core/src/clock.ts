/** A source of time in milliseconds since the epoch. Passed in so tests can control it. */
export interface Clock {
  now(): number;
}

/** The wall clock (`Date.now`). */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
