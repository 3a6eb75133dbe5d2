import type { StoredTimer } from './room-state';

/** Orders timers by due time, then by scheduling order. */
export function compareTimers(a: StoredTimer, b: StoredTimer): number {
  return a.dueAt - b.dueAt || a.seq - b.seq;
}

/** The earliest deadline among `timers`, or null when there are none. */
export function earliestDueAt(timers: readonly StoredTimer[]): number | null {
  return timers.reduce<number | null>((earliest, timer) => (earliest === null || timer.dueAt < earliest ? timer.dueAt : earliest), null);
}

/** The timers due at `now` (deadline passed or equal), in the order they fire. */
export function dueTimers(timers: readonly StoredTimer[], now: number): StoredTimer[] {
  return timers.filter((timer) => timer.dueAt <= now).sort(compareTimers);
}

/** Removes and returns the first timer due at `now` from `timers` (a working copy), if any. */
export function takeDueTimer(timers: StoredTimer[], now: number): StoredTimer | undefined {
  const [first] = dueTimers(timers, now);
  if (first !== undefined) timers.splice(timers.indexOf(first), 1);
  return first;
}
