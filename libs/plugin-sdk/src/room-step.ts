import type { GameBuddiesError, JsonValue } from '@gamebuddies/core';
import type { RandomState } from './random';
import type { LogEntry } from './room-input';
import type { RoomRuntimeState } from './room-state';

/** A room state whose game types are not known (inside the runtime). */
export type UntypedRoomState = RoomRuntimeState<unknown, unknown, unknown>;

/** An event game code emitted; `to` null means every connected member. */
export interface PendingEvent {
  to: string | null;
  name: string;
  data: JsonValue;
}

/**
 * One input being applied: a private working copy of the room plus what the step produced so far. The
 * caller's state is never touched, so refusing the step is just not returning the copy.
 */
export class RoomStep {
  /** The working copy; its lists are copies too, the game state is replaced, never mutated. */
  readonly room: UntypedRoomState;
  readonly events: PendingEvent[] = [];
  /** Members removed by the host in this step (they get a `kicked` message). */
  readonly kicked: string[] = [];
  /** Errors of game code that ran for an input nobody can refuse (a leave, a timer): contained, reported. */
  readonly warnings: GameBuddiesError[] = [];
  /** False when the input changed nothing (a second disconnect, a tick with no timer due). */
  isChanged = true;

  constructor(
    state: UntypedRoomState,
    /** When the input is applied, ms since the epoch. */
    readonly at: number,
    /** Whether an error refuses the whole step (the actor's own request) or is contained (see `warnings`). */
    readonly isRefusable: boolean,
    /** Whether game output is checked to be plain JSON (see `RuntimeOptions.checksState`). */
    readonly checksState: boolean,
  ) {
    this.room = {
      ...state,
      members: state.members.map((member) => ({ ...member })),
      timers: [...state.timers],
      random: [...state.random] as RandomState,
    };
  }

  /** Records the applied input in the room's log, unless recording is off or the log is full. */
  record(entry: LogEntry): void {
    const log = this.room.log;
    if (log === null || log.isTruncated) return;
    this.room.log =
      log.entries.length >= log.maxEntries
        ? { ...log, isTruncated: true }
        : { ...log, entries: [...log.entries, entry] };
  }
}
