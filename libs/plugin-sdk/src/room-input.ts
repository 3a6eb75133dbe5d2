import type { JsonValue } from '@gamebuddies/core';

/** Something that happens to a room: what the gateway feeds the runtime, and what the action log records. */
export type RoomInput =
  | {
      type: 'join';
      playerId: string;
      /** Display name, 1–64 characters after trimming. */
      name: string;
      /** Join as a spectator even if a seat is free. */
      asSpectator?: boolean;
    }
  | { type: 'leave'; playerId: string }
  | { type: 'disconnect'; playerId: string }
  | { type: 'reconnect'; playerId: string }
  | { type: 'start'; playerId: string }
  | { type: 'kick'; playerId: string; targetId: string }
  | { type: 'action'; playerId: string; action: string; payload?: JsonValue }
  | { type: 'tick' }
  | { type: 'dispose' };

/** One recorded input and the time it was applied (ms since the epoch, on the runtime's clock). */
export type LogEntry = RoomInput & { at: number };

/** A room's recorded inputs, kept in its runtime state when recording is on. */
export interface ActionLog {
  entries: LogEntry[];
  /** Recording stops once this many entries are kept (the state has to fit in the room store). */
  maxEntries: number;
  /** True once entries were dropped: such a log can no longer be replayed. */
  isTruncated: boolean;
}

/**
 * Everything needed to rebuild a room: its options, seed, creation time and inputs. A bug report is one of
 * these; {@link replayRoom} turns it back into the exact same room state.
 */
export interface ReplayLog {
  gameId: string;
  gameVersion: string;
  options: JsonValue;
  seed: string;
  createdAt: number;
  /** The log's capacity in the recorded room (replays keep it, so the rebuilt state is identical). */
  maxLogEntries: number;
  entries: LogEntry[];
}
