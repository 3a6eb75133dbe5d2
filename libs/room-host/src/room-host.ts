import { isGameBuddiesError, silentLogger, systemClock, type Clock, type JsonObject, type JsonValue, type Logger } from '@gamebuddies/core';
import {
  NotInRoomError,
  toStoredState,
  type AnyGameDefinition,
  type GameRuntime,
  type RoomRuntimeState,
  type StepResult,
} from '@gamebuddies/plugin-sdk';
import type { GameSummary, RoomSnapshot } from '@gamebuddies/protocol';
import { isVersionConflict, RoomNotFoundError, RoomStoreErrorCode, type RoomChange, type RoomLease, type RoomStore, type RoomSubscription } from '@gamebuddies/room-store';
import { toDeliveries, toRoomPlayers, toSnapshot, type Delivery } from './deliveries';
import { RoomBusyError } from './errors';
import { GameCatalog } from './game-catalog';
import { RoomQueue } from './room-queue';

type Runtime = GameRuntime<AnyGameDefinition>;
type RoomState = RoomRuntimeState<unknown, unknown, unknown>;

/** Why a room stopped being hosted here. */
export type RoomCloseReason = 'empty' | 'disposed';

/** Hooks for metrics and logs; every one is optional. */
export interface RoomHostObserver {
  roomCreated?(gameId: string): void;
  roomClosed?(gameId: string, reason: RoomCloseReason): void;
  membersChanged?(code: string, members: number): void;
}

/** How a {@link RoomHost} is built. Everything it uses is passed in. */
export interface RoomHostOptions {
  /** Where rooms live. */
  roomStore: RoomStore;
  /** The games this server hosts. */
  games: readonly AnyGameDefinition[];
  /** Sends messages to players (the gateway's transport). Called only after the change is stored. */
  deliver: (deliveries: Delivery[]) => void;
  clock?: Clock;
  logger?: Logger;
  observer?: RoomHostObserver;
  /** How long a disconnected member keeps their place before they are removed (default 60 s). */
  disconnectGraceMs?: number;
  /** Writes tried when other servers keep changing the room first (default 8). */
  maxWriteAttempts?: number;
  /** This process's id in room ownership leases (default a random one). */
  nodeId?: string;
  /** How long an ownership lease lasts unless renewed; a dead owner's rooms move after it (default 5000 ms). */
  leaseTtlMs?: number;
  /**
   * Whether a player is connected in the room on some live gateway. When a grace period ends, a member
   * who is present after all (they came back while a dead gateway's players were being marked) is kept.
   */
  isPresent?: (code: string, playerId: string) => Promise<boolean>;
}

/** The outcome of a change: the room's stored version after it. */
export interface ChangeResult {
  version: number;
}

/**
 * Runs rooms. Every change (join, action, timer, …) reads the room from the store, applies it through the
 * game's pure runtime, writes the new state by compare-and-set, and only then delivers the messages, each
 * built through the game's `view` for its one recipient. A conflicting write by another server is answered
 * by reading again and re-applying. Timers are data in the room state: this host arms one real timer per
 * room at its next deadline and fires due timers through the same path.
 */
export class RoomHost {
  private readonly store: RoomStore;
  private readonly catalog: GameCatalog;
  private readonly deliver: (deliveries: Delivery[]) => void;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly observer: RoomHostObserver;
  private readonly graceMs: number;
  private readonly maxAttempts: number;
  private readonly queue = new RoomQueue();
  private readonly gameTimers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private readonly hosted = new Set<string>();
  /** Rooms whose timers this process runs, with the lease that says so. */
  private readonly owned = new Map<string, RoomLease>();
  /** Rooms this process has seen with pending timers, by their next deadline: candidates to adopt. */
  private readonly watched = new Map<string, number>();
  private readonly nodeId: string;
  private readonly leaseTtlMs: number;
  private readonly isPresent: (code: string, playerId: string) => Promise<boolean>;
  private readonly maintenance: NodeJS.Timeout;
  private readonly subscription: Promise<RoomSubscription | undefined>;
  private isClosed = false;

  constructor(options: RoomHostOptions) {
    this.store = options.roomStore;
    this.clock = options.clock ?? systemClock;
    this.catalog = new GameCatalog(options.games, { clock: this.clock });
    this.deliver = options.deliver;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? {};
    this.graceMs = options.disconnectGraceMs ?? 60_000;
    this.maxAttempts = options.maxWriteAttempts ?? 8;
    this.nodeId = options.nodeId ?? `host-${Math.random().toString(36).slice(2, 10)}`;
    this.leaseTtlMs = options.leaseTtlMs ?? 5000;
    this.isPresent = options.isPresent ?? (async () => false);
    this.maintenance = setInterval(() => void this.maintainLeases(), Math.max(50, Math.floor(this.leaseTtlMs / 3)));
    this.maintenance.unref();
    // Another server's change to a room this one owns may move its next timer: re-arm from the stored state.
    this.subscription = this.store.subscribe((change) => this.onStoreChange(change)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'room change notifications are off; timers re-arm only on local changes');
      return undefined;
    });
  }

  /** The games players may choose from. */
  listGames(): GameSummary[] {
    return this.catalog.list();
  }

  /** How many rooms this host has worked on and not closed. */
  get hostedRooms(): number {
    return this.hosted.size;
  }

  /** How many rooms' timers this process runs (rooms whose lease it holds). */
  get ownedRooms(): number {
    return this.owned.size;
  }

  /**
   * Creates a room for `gameId` with the creator as its first member and host.
   * @throws UNKNOWN_GAME; INVALID_OPTIONS (details name the options that are wrong); store errors.
   */
  async createRoom(input: { gameId: string; options?: JsonObject; hostId: string; hostName: string; code?: string }): Promise<RoomSnapshot> {
    const runtime = this.catalog.runtime(input.gameId);
    const empty = runtime.createRoom({ options: input.options ?? {} });
    const joined = runtime.join(empty, input.hostId, input.hostName);
    if (!joined.isApplied) throw joined.error;
    const record = await this.store.create({
      ...(input.code === undefined ? {} : { code: input.code }),
      gameId: input.gameId,
      state: toStoredState(joined.state),
      players: toRoomPlayers(joined.state),
    });
    this.hosted.add(record.code);
    this.observer.roomCreated?.(input.gameId);
    this.afterChange(record.code, runtime, joined.state);
    return toSnapshot(record.code, record.version, runtime.syncFor(joined.state, input.hostId));
  }

  /**
   * Adds a member (a player while seats are free and the game allows it, else a spectator if asked or the
   * game's late-join rule says so). Joining a room one is already in answers its current state.
   * @throws ROOM_NOT_FOUND; ROOM_FULL; GAME_ALREADY_STARTED; the game's refusals.
   */
  async join(code: string, playerId: string, name: string, options: { asSpectator?: boolean } = {}): Promise<RoomSnapshot> {
    this.clearGrace(code, playerId);
    const { version, state, runtime } = await this.change(code, (rt, room) => {
      const member = room.members.find((m) => m.id === playerId);
      if (member === undefined) return rt.join(room, playerId, name, options.asSpectator ? { asSpectator: true } : {});
      return member.isConnected ? unchanged(room) : rt.reconnect(room, playerId);
    });
    return toSnapshot(code, version, runtime.syncFor(state, playerId));
  }

  /** Removes a member for good (their hooks run). @throws ROOM_NOT_FOUND; NOT_IN_ROOM. */
  async leave(code: string, playerId: string): Promise<ChangeResult> {
    this.clearGrace(code, playerId);
    const { version } = await this.change(code, (rt, room) => rt.leave(room, playerId));
    return { version };
  }

  /**
   * Marks a member as dropped; unless they come back within the grace period, they are removed through the
   * game's hooks. @throws ROOM_NOT_FOUND; NOT_IN_ROOM.
   */
  async disconnect(code: string, playerId: string): Promise<ChangeResult> {
    const { version } = await this.change(code, (rt, room) => rt.disconnect(room, playerId));
    this.armGrace(code, playerId);
    return { version };
  }

  /** Brings a dropped member back to their seat and answers their current state. @throws ROOM_NOT_FOUND; NOT_IN_ROOM. */
  async reconnect(code: string, playerId: string): Promise<RoomSnapshot> {
    this.clearGrace(code, playerId);
    const { version, state, runtime } = await this.change(code, (rt, room) => {
      const member = room.members.find((m) => m.id === playerId);
      return member?.isConnected ? unchanged(room) : rt.reconnect(room, playerId);
    });
    return toSnapshot(code, version, runtime.syncFor(state, playerId));
  }

  /** The host starts (or restarts) the game. @throws HOST_ONLY; NOT_ENOUGH_PLAYERS; … */
  async start(code: string, playerId: string): Promise<ChangeResult> {
    const { version } = await this.change(code, (rt, room) => rt.start(room, playerId));
    return { version };
  }

  /** The host removes a member. @throws HOST_ONLY; NOT_IN_ROOM. */
  async kick(code: string, playerId: string, targetId: string): Promise<ChangeResult> {
    this.clearGrace(code, targetId);
    const { version } = await this.change(code, (rt, room) => rt.kick(room, playerId, targetId));
    return { version };
  }

  /** Applies a game action. @throws the game's refusals (INVALID_PAYLOAD, NOT_YOUR_TURN, ACTION_FAILED, …). */
  async act(code: string, playerId: string, action: string, payload?: JsonValue): Promise<ChangeResult> {
    const { version } = await this.change(code, (rt, room) => rt.act(room, playerId, action, payload));
    return { version };
  }

  /** @throws UNKNOWN_GAME when no enabled game has this id. */
  assertGame(gameId: string): void {
    this.catalog.runtime(gameId);
  }

  /**
   * Whether a player is in a room: `member`, `absent` (the room exists without them) or `gone` (no such room,
   * or not a room code at all).
   */
  async memberState(code: string, playerId: string): Promise<'member' | 'absent' | 'gone'> {
    const record = await this.store.get(code).catch((error: unknown) => {
      if (isGameBuddiesError(error, RoomStoreErrorCode.INVALID_ROOM_CODE)) return null;
      throw error;
    });
    if (record === null) return 'gone';
    const state = this.catalog.runtime(record.gameId).parseState(record.state);
    return state.members.some((m) => m.id === playerId) ? 'member' : 'absent';
  }

  /** Whether the room exists in the store. @throws STORE_UNAVAILABLE. */
  async exists(code: string): Promise<boolean> {
    return (await this.memberState(code, '')) !== 'gone';
  }

  /** A member's current picture of the room. @throws ROOM_NOT_FOUND; NOT_IN_ROOM. */
  async snapshot(code: string, playerId: string): Promise<RoomSnapshot> {
    const record = await this.store.get(code);
    if (record === null) throw new RoomNotFoundError(code);
    const runtime = this.catalog.runtime(record.gameId);
    const state = runtime.parseState(record.state);
    if (!state.members.some((m) => m.id === playerId)) throw new NotInRoomError(playerId);
    return toSnapshot(record.code, record.version, runtime.syncFor(state, playerId));
  }

  /**
   * Stops every timer this host armed and hands its rooms over: their leases are released, so another server
   * takes them at once instead of after expiry. Rooms stay in the store for it to carry on.
   */
  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.maintenance);
    for (const { timer } of this.gameTimers.values()) clearTimeout(timer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.gameTimers.clear();
    this.graceTimers.clear();
    const leases = [...this.owned.entries()];
    this.owned.clear();
    await Promise.all(
      leases.map(([code, lease]) =>
        this.store.releaseLease(code, lease).catch((error: unknown) => this.logger.warn({ room: code, err: error }, 'could not release a lease; it will expire')),
      ),
    );
    const subscription = await this.subscription;
    await subscription?.unsubscribe();
  }

  /**
   * Read, apply, compare-and-set, deliver: the one path every change takes, one at a time per room in this
   * process. A step that changes nothing writes nothing and sends nothing.
   */
  private change(
    code: string,
    apply: (runtime: Runtime, room: RoomState) => StepResult<AnyGameDefinition>,
    options: { asOwner?: boolean } = {},
  ): Promise<{ version: number; state: RoomState; runtime: Runtime }> {
    return this.queue.run(code, async () => {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const record = await this.store.get(code);
        if (record === null) throw new RoomNotFoundError(code);
        const runtime = this.catalog.runtime(record.gameId);
        const before = runtime.parseState(record.state);
        const result = apply(runtime, before);
        if (!result.isApplied) throw result.error;
        for (const warning of result.warnings) this.logger.warn({ room: code, code: warning.code, err: warning.cause }, warning.message);
        if (result.state === before) {
          this.afterChange(code, runtime, before);
          return { version: record.version, state: before, runtime };
        }
        let version: number;
        try {
          const patch = { state: toStoredState(result.state), players: toRoomPlayers(result.state) };
          // Timer work is the owner's: its writes carry the fencing token, so a paused former owner is refused.
          const lease = options.asOwner ? this.owned.get(code) : undefined;
          if (options.asOwner && lease === undefined) return { version: record.version, state: before, runtime };
          const conditions = lease === undefined ? { expectedVersion: record.version } : { expectedVersion: record.version, fencingToken: lease.token };
          version = (await this.store.update(code, patch, conditions)).version;
        } catch (error) {
          if (isVersionConflict(error)) continue;
          throw error;
        }
        this.hosted.add(code);
        this.deliver(toDeliveries(code, version, before, result.state, result.messages));
        this.observer.membersChanged?.(code, result.state.members.length);
        await this.closeIfEmpty(code, record.gameId, version, runtime, result.state);
        this.afterChange(code, runtime, result.state);
        return { version, state: result.state, runtime };
      }
      throw new RoomBusyError(code, this.maxAttempts);
    });
  }

  /** A room nobody is in any more is disposed (its hook runs) and deleted. */
  private async closeIfEmpty(code: string, gameId: string, version: number, runtime: Runtime, state: RoomState): Promise<void> {
    if (state.members.length > 0) return;
    const disposed = runtime.dispose(state);
    if (disposed.isApplied) for (const warning of disposed.warnings) this.logger.warn({ room: code, code: warning.code }, warning.message);
    await this.store.delete(code, { expectedVersion: version }).catch((error: unknown) => {
      this.logger.warn({ room: code, err: error }, 'could not delete an empty room; it will expire');
    });
    this.forget(code);
    this.observer.roomClosed?.(gameId, 'empty');
  }

  /**
   * Keeps one real timer per room at the state's next timer deadline, on the room's owner only. A room with
   * timers and no owner is adopted: this process takes its lease if it is free or expired.
   */
  private afterChange(code: string, runtime: Runtime, state: RoomState): void {
    if (this.isClosed || !this.hosted.has(code)) return;
    if (this.owned.has(code)) this.syncGraceTimers(code, state);
    const at = runtime.nextTimerAt(state);
    if (at === null) {
      this.watched.delete(code);
      this.disarm(code);
      return;
    }
    const isNew = !this.watched.has(code);
    this.watched.set(code, at);
    if (!this.owned.has(code)) {
      // Try at once the first time; after that the maintenance loop retries while the room has an owner.
      if (isNew) void this.adopt(code);
      return;
    }
    this.arm(code, at);
  }

  private arm(code: string, at: number): void {
    const armed = this.gameTimers.get(code);
    if (armed !== undefined && armed.at === at) return;
    this.disarm(code);
    const timer = setTimeout(() => this.fireTimers(code), Math.max(0, at - this.clock.now()));
    timer.unref();
    this.gameTimers.set(code, { at, timer });
  }

  private disarm(code: string): void {
    const armed = this.gameTimers.get(code);
    if (armed !== undefined) clearTimeout(armed.timer);
    this.gameTimers.delete(code);
  }

  private fireTimers(code: string): void {
    this.gameTimers.delete(code);
    this.change(code, (rt, room) => rt.fireDueTimers(room), { asOwner: true }).catch((error: unknown) => this.ownerWorkFailed(code, error));
  }

  /** Takes a room's lease if nobody holds it (or its holder's expired), then runs its due timers and re-arms. */
  private async adopt(code: string): Promise<void> {
    if (this.isClosed || this.owned.has(code)) return;
    try {
      const result = await this.store.acquireLease(code, this.nodeId, this.leaseTtlMs);
      if (!result.isAcquired || this.isClosed) return;
      this.owned.set(code, result.lease);
      this.logger.info({ room: code, token: result.lease.token }, 'took over a room');
      await this.change(code, (rt, room) => rt.fireDueTimers(room), { asOwner: true });
    } catch (error) {
      this.ownerWorkFailed(code, error);
    }
  }

  /** Renews the leases this process holds and adopts watched rooms whose owner is gone. */
  private async maintainLeases(): Promise<void> {
    if (this.isClosed) return;
    await Promise.all(
      [...this.owned.entries()].map(async ([code, lease]) => {
        try {
          const renewed = await this.store.renewLease(code, lease, this.leaseTtlMs);
          if (this.owned.get(code)?.token === lease.token) this.owned.set(code, renewed);
        } catch (error) {
          this.ownerWorkFailed(code, error);
        }
      }),
    );
    await Promise.all([...this.watched.keys()].filter((code) => !this.owned.has(code)).map((code) => this.adopt(code)));
  }

  /** Lost the lease or the room: stop running its timers here. Outages are logged and retried later. */
  private ownerWorkFailed(code: string, error: unknown): void {
    if (isGameBuddiesError(error, 'LEASE_LOST')) {
      this.logger.info({ room: code }, 'another server owns the room now');
      this.owned.delete(code);
      this.disarm(code);
    } else if (error instanceof RoomNotFoundError || isGameBuddiesError(error, 'ROOM_NOT_FOUND')) {
      this.forget(code);
    } else {
      this.logger.warn({ room: code, err: error }, 'room owner work failed; will retry');
    }
  }

  /** A change stored by another server: if this one owns the room, its next timer may have moved. */
  private onStoreChange(change: RoomChange): void {
    if (change.origin === this.store.instanceId || this.isClosed) return;
    if (change.type === 'deleted') {
      this.forget(change.code);
      return;
    }
    if (!this.hosted.has(change.code)) return;
    this.change(change.code, (_rt, room) => unchanged(room)).catch((error: unknown) => this.ownerWorkFailed(change.code, error));
  }

  /**
   * The owner also keeps a grace timer for every dropped member, so that a member whose own gateway died with
   * them is still removed (their grace period starts again from the takeover).
   */
  private syncGraceTimers(code: string, state: RoomState): void {
    for (const member of state.members) {
      const key = `${code}\u0000${member.id}`;
      if (member.isConnected) this.clearGrace(code, member.id);
      else if (!this.graceTimers.has(key)) this.armGrace(code, member.id);
    }
  }

  private armGrace(code: string, playerId: string): void {
    if (this.isClosed) return;
    this.clearGrace(code, playerId);
    const key = `${code}\u0000${playerId}`;
    const timer = setTimeout(() => {
      this.graceTimers.delete(key);
      this.isPresent(code, playerId)
        .catch(() => false)
        .then((isPresent) =>
          this.change(code, (rt, room) => {
            const member = room.members.find((m) => m.id === playerId);
            if (member === undefined || member.isConnected) return unchanged(room);
            return isPresent ? rt.reconnect(room, playerId) : rt.leave(room, playerId);
          }),
        )
        .catch((error: unknown) => this.logger.warn({ room: code, player: playerId, err: error }, 'removing a dropped player failed'));
    }, this.graceMs);
    timer.unref();
    this.graceTimers.set(key, timer);
  }

  private clearGrace(code: string, playerId: string): void {
    const key = `${code}\u0000${playerId}`;
    const timer = this.graceTimers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.graceTimers.delete(key);
  }

  private forget(code: string): void {
    this.disarm(code);
    this.hosted.delete(code);
    this.owned.delete(code);
    this.watched.delete(code);
  }
}

/** A step that changes nothing. */
function unchanged(room: RoomState): StepResult<AnyGameDefinition> {
  return { isApplied: true, state: room, messages: [], warnings: [] } as StepResult<AnyGameDefinition>;
}
