import { isGameBuddiesError, type Clock, type Logger } from '@gamebuddies/core';
import { RoomStoreErrorCode, type RoomLease, type RoomStore } from '@gamebuddies/room-store';

/** What this process keeps about one room it works on: forgetting the room is one delete. */
interface LocalRoom {
  /** The lease this process holds, if it owns the room (runs its timers). */
  lease: RoomLease | undefined;
  /** The room's next timer deadline as last seen (null: no pending timer, nothing to adopt). */
  nextTimerAt: number | null;
  /** The one real timer armed for the room's next deadline, on the owner only. */
  gameTimer: { at: number; handle: NodeJS.Timeout } | undefined;
  /** A grace timer per dropped member. */
  grace: Map<string, NodeJS.Timeout>;
}

/** How a {@link RoomOwner} is built; the callbacks run room changes through the host's one pipeline. */
export interface RoomOwnerOptions {
  store: Pick<RoomStore, 'acquireLease' | 'renewLease' | 'releaseLease'>;
  nodeId: string;
  leaseTtlMs: number;
  graceMs: number;
  clock: Clock;
  logger: Logger;
  /** Fires the room's due timers (as its owner, with the fencing token). */
  runDueTimers(code: string): Promise<void>;
  /** A member's grace period ended: remove them unless they came back. */
  endGrace(code: string, playerId: string): Promise<void>;
}

/**
 * Room ownership on this process: leases (taken, renewed, handed over), adoption of rooms whose owner is
 * gone, the one game timer per owned room, and the grace timers of dropped members. One record per room.
 */
export class RoomOwner {
  private readonly rooms = new Map<string, LocalRoom>();
  private readonly options: RoomOwnerOptions;
  private readonly maintenance: NodeJS.Timeout;
  private isClosed = false;

  constructor(options: RoomOwnerOptions) {
    this.options = options;
    this.maintenance = setInterval(() => void this.maintainLeases(), Math.max(50, Math.floor(options.leaseTtlMs / 3)));
    this.maintenance.unref();
  }

  /** Rooms this process has worked on and not forgotten. */
  get hostedRooms(): number {
    return this.rooms.size;
  }

  /** Rooms whose lease this process holds. */
  get ownedRooms(): number {
    let owned = 0;
    for (const room of this.rooms.values()) if (room.lease !== undefined) owned++;
    return owned;
  }

  /** Whether this process works on the room. */
  isHosted(code: string): boolean {
    return this.rooms.has(code);
  }

  /** Records that this process works on the room (it created or changed it). */
  host(code: string): void {
    this.record(code);
  }

  /** The lease this process holds on the room, for fenced writes. */
  leaseOf(code: string): RoomLease | undefined {
    return this.rooms.get(code)?.lease;
  }

  /**
   * After a change: keeps one real timer at the next deadline while this process owns the room; a room with a
   * pending timer and no owner here is adopted (at once the first time, then by the maintenance loop). The owner
   * also keeps a grace timer for each dropped member, so that a member whose own gateway died is still removed.
   */
  noteChange(code: string, nextTimerAt: number | null, members: readonly { id: string; isConnected: boolean }[]): void {
    const room = this.rooms.get(code);
    if (this.isClosed || room === undefined) return;
    if (room.lease !== undefined) {
      for (const member of members) {
        if (member.isConnected) this.stopGrace(code, member.id);
        else if (!room.grace.has(member.id)) this.startGrace(code, member.id);
      }
    }
    const wasWatched = room.nextTimerAt !== null;
    room.nextTimerAt = nextTimerAt;
    if (nextTimerAt === null) {
      this.disarm(room);
      return;
    }
    if (room.lease === undefined) {
      if (!wasWatched) void this.adopt(code);
      return;
    }
    this.arm(code, room, nextTimerAt);
  }

  /** Starts (or restarts) a dropped member's grace period. */
  startGrace(code: string, playerId: string): void {
    if (this.isClosed) return;
    const room = this.record(code);
    this.stopGrace(code, playerId);
    const handle = setTimeout(() => {
      room.grace.delete(playerId);
      this.options.endGrace(code, playerId).catch((error: unknown) => this.options.logger.warn({ room: code, player: playerId, err: error }, 'removing a dropped player failed'));
    }, this.options.graceMs);
    handle.unref();
    room.grace.set(playerId, handle);
  }

  /** Stops a member's grace period (they came back, left or were kicked). */
  stopGrace(code: string, playerId: string): void {
    const room = this.rooms.get(code);
    const handle = room?.grace.get(playerId);
    if (handle === undefined) return;
    clearTimeout(handle);
    room?.grace.delete(playerId);
  }

  /** The room is gone (deleted here or elsewhere): every timer of it stops. */
  forget(code: string): void {
    const room = this.rooms.get(code);
    if (room === undefined) return;
    this.disarm(room);
    for (const handle of room.grace.values()) clearTimeout(handle);
    this.rooms.delete(code);
  }

  /** Owner work failed: a lost lease stops the timers here, a lost room is forgotten, an outage is retried. */
  workFailed(code: string, error: unknown): void {
    if (isGameBuddiesError(error, RoomStoreErrorCode.LEASE_LOST)) {
      this.options.logger.info({ room: code }, 'another server owns the room now');
      const room = this.rooms.get(code);
      if (room !== undefined) {
        room.lease = undefined;
        this.disarm(room);
      }
    } else if (isGameBuddiesError(error, RoomStoreErrorCode.ROOM_NOT_FOUND)) {
      this.forget(code);
    } else {
      this.options.logger.warn({ room: code, err: error }, 'room owner work failed; will retry');
    }
  }

  /** Stops every timer and hands the owned rooms over: their leases are released so another server takes them at once. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.maintenance);
    const leases: [string, RoomLease][] = [];
    for (const [code, room] of this.rooms) {
      if (room.lease !== undefined) leases.push([code, room.lease]);
      this.forget(code);
    }
    await Promise.all(
      leases.map(([code, lease]) =>
        this.options.store.releaseLease(code, lease).catch((error: unknown) => this.options.logger.warn({ room: code, err: error }, 'could not release a lease; it will expire')),
      ),
    );
  }

  private record(code: string): LocalRoom {
    let room = this.rooms.get(code);
    if (room === undefined) {
      room = { lease: undefined, nextTimerAt: null, gameTimer: undefined, grace: new Map() };
      this.rooms.set(code, room);
    }
    return room;
  }

  private arm(code: string, room: LocalRoom, at: number): void {
    if (room.gameTimer?.at === at) return;
    this.disarm(room);
    const handle = setTimeout(() => {
      room.gameTimer = undefined;
      this.options.runDueTimers(code).catch((error: unknown) => this.workFailed(code, error));
    }, Math.max(0, at - this.options.clock.now()));
    handle.unref();
    room.gameTimer = { at, handle };
  }

  private disarm(room: LocalRoom): void {
    if (room.gameTimer !== undefined) clearTimeout(room.gameTimer.handle);
    room.gameTimer = undefined;
  }

  /** Takes a room's lease if nobody holds it (or its holder's expired), then runs its due timers and re-arms. */
  private async adopt(code: string): Promise<void> {
    const room = this.rooms.get(code);
    if (this.isClosed || room === undefined || room.lease !== undefined) return;
    try {
      const result = await this.options.store.acquireLease(code, this.options.nodeId, this.options.leaseTtlMs);
      if (!result.isAcquired || this.isClosed || this.rooms.get(code) !== room) return;
      room.lease = result.lease;
      this.options.logger.info({ room: code, token: result.lease.token }, 'took over a room');
      await this.options.runDueTimers(code);
    } catch (error) {
      this.workFailed(code, error);
    }
  }

  /** Renews the leases this process holds and adopts watched rooms whose owner is gone. */
  private async maintainLeases(): Promise<void> {
    if (this.isClosed) return;
    const work: Promise<void>[] = [];
    for (const [code, room] of this.rooms) {
      const lease = room.lease;
      if (lease !== undefined) {
        work.push(
          this.options.store.renewLease(code, lease, this.options.leaseTtlMs).then(
            (renewed) => {
              if (room.lease?.token === lease.token) room.lease = renewed;
            },
            (error: unknown) => this.workFailed(code, error),
          ),
        );
      } else if (room.nextTimerAt !== null) {
        work.push(this.adopt(code));
      }
    }
    await Promise.all(work);
  }
}
