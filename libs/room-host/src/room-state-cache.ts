import type { RoomRuntimeState } from '@gamebuddies/plugin-sdk';

/** A room's state as this host last read or wrote it. */
export interface RememberedRoom {
  version: number;
  gameId: string;
  state: RoomRuntimeState<unknown, unknown, unknown>;
}

/**
 * The last state of each room a host read or wrote, so the next change applies to it without reading and
 * parsing the room again: one write instead of a read and a write. It is only a guess at the latest state: the
 * write's compare-and-set on the version is what keeps changes correct, and a conflict reads the room again.
 * It stays off until the host hears other servers' changes (they forget the rooms they touch), and keeps at
 * most `capacity` rooms, the least recently used going first. The states are never changed after they are
 * remembered (a runtime step never mutates its input).
 */
export class RoomStateCache {
  private readonly rooms = new Map<string, RememberedRoom>();
  private isEnabled = false;

  constructor(private readonly capacity = 20_000) {}

  /** Starts remembering (once other servers' changes are heard). */
  enable(): void {
    this.isEnabled = true;
  }

  /** Remembers a room's state at `version`. */
  remember(code: string, version: number, gameId: string, state: RememberedRoom['state']): void {
    if (!this.isEnabled) return;
    this.rooms.delete(code);
    this.rooms.set(code, { version, gameId, state });
    if (this.rooms.size > this.capacity) {
      const oldest = this.rooms.keys().next().value;
      if (oldest !== undefined) this.rooms.delete(oldest);
    }
  }

  /** The remembered state of a room, or undefined. */
  get(code: string): RememberedRoom | undefined {
    return this.rooms.get(code);
  }

  /** Forgets a room (another server changed it, or it closed). */
  forget(code: string): void {
    this.rooms.delete(code);
  }

  /** How many rooms are remembered. */
  get size(): number {
    return this.rooms.size;
  }
}
