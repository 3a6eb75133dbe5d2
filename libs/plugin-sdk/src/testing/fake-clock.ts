import { InvalidArgumentError, type Clock } from '@gamebuddies/core';

/** A clock that moves only when told to: tests decide what time it is. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`. @throws InvalidArgumentError for a negative or non-finite `ms`. */
  advance(ms: number): void;
  /** Sets the time, forward or back. @throws InvalidArgumentError for a non-finite time. */
  set(time: number): void;
}

/** The default start time of a {@link FakeClock}: 2023-11-14T22:13:20Z. */
export const FAKE_CLOCK_START = 1_700_000_000_000;

/** A {@link FakeClock} at `start` (default {@link FAKE_CLOCK_START}). */
export function createFakeClock(start = FAKE_CLOCK_START): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`Cannot advance the clock by ${ms} ms`);
      now += ms;
    },
    set(time) {
      if (!Number.isFinite(time)) throw new InvalidArgumentError(`Cannot set the clock to ${time}`);
      now = time;
    },
  };
}
