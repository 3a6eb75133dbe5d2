/**
 * Histogram buckets in seconds for handling a client event or a store call: from 0.5 ms (an in-memory room
 * update) to 2 s (a Redis that is failing over), dense where a healthy server lives.
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2,
]);

/** Histogram buckets for the number of players in a room: every size a party game usually has, up to 20. */
export const PLAYERS_PER_ROOM_BUCKETS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20]);
