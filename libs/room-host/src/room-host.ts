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
import { isVersionConflict, MAX_NOTICE_LENGTH, RoomNotFoundError, RoomStoreErrorCode, type RoomChange, type RoomStore, type RoomSubscription } from '@gamebuddies/room-store';
import { toDeliveries, toSnapshot, type Delivery } from './deliveries';
import { RoomStateCache } from './room-state-cache';
import { RoomOwner } from './room-owner';
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
  /**
   * Sends messages to players (the gateway's transport). Called only after the change is stored. With
   * `sharesDeliveries`, it is also called with the deliveries of changes other servers made, and should send
   * only to the players connected to this server.
   */
  deliver: (deliveries: Delivery[]) => void;
  /**
   * Whether each change's deliveries travel with its notification through the store (`WriteConditions.notice`),
   * so every server sharing the store sends them to the players connected to it: one message per change,
   * however many players the room has. Turn it on when several servers share the store (default false).
   */
  sharesDeliveries?: boolean;
  /**
   * Called when another server changed a room but its deliveries could not come along (larger than a notice
   * may be): send the room's players connected here a fresh snapshot.
   */
  resync?: (code: string) => void;
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
  private readonly maxAttempts: number;
  private readonly queue = new RoomQueue();
  /** Leases, adoption, game and grace timers: everything this process keeps per room. */
  private readonly owner: RoomOwner;
  private readonly isPresent: (code: string, playerId: string) => Promise<boolean>;
  private readonly subscription: Promise<RoomSubscription | undefined>;
  /** The last state of each room this host read or wrote, to apply the next change without reading it again. */
  private readonly states = new RoomStateCache();
  private readonly sharesDeliveries: boolean;
  private readonly resync: (code: string) => void;
  private isClosed = false;

  constructor(options: RoomHostOptions) {
    this.store = options.roomStore;
    this.clock = options.clock ?? systemClock;
    this.catalog = new GameCatalog(options.games, { clock: this.clock });
    this.deliver = options.deliver;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? {};
    this.maxAttempts = options.maxWriteAttempts ?? 8;
    this.isPresent = options.isPresent ?? (async () => false);
    this.sharesDeliveries = options.sharesDeliveries ?? false;
    this.resync = options.resync ?? (() => undefined);
    this.owner = new RoomOwner({
      store: this.store,
      nodeId: options.nodeId ?? `host-${Math.random().toString(36).slice(2, 10)}`,
      leaseTtlMs: options.leaseTtlMs ?? 5000,
      graceMs: options.disconnectGraceMs ?? 60_000,
      clock: this.clock,
      logger: this.logger,
      runDueTimers: async (code) => {
        await this.change(code, (rt, room) => rt.fireDueTimers(room), { asOwner: true });
      },
      endGrace: (code, playerId) => this.endGrace(code, playerId),
    });
    // Another server's change to a room this one owns may move its next timer: re-arm from the stored state.
    this.subscription = this.store.subscribe((change) => this.onStoreChange(change)).then(
      (subscription) => {
        // Only while other servers' changes are heard can a remembered state be trusted to be the latest.
        this.states.enable();
        return subscription;
      },
      (error: unknown) => {
        this.logger.warn({ err: error }, 'room change notifications are off; timers re-arm only on local changes');
        return undefined;
      },
    );
  }

  /** The games players may choose from. */
  listGames(): GameSummary[] {
    return this.catalog.list();
  }

  /** How many rooms this host has worked on and not closed. */
  get hostedRooms(): number {
    return this.owner.hostedRooms;
  }

  /** How many rooms' timers this process runs (rooms whose lease it holds). */
  get ownedRooms(): number {
    return this.owner.ownedRooms;
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
      options: input.options ?? {},
      state: toStoredState(joined.state),
    });
    this.owner.host(record.code);
    this.states.remember(record.code, record.version, input.gameId, joined.state);
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
    this.owner.stopGrace(code, playerId);
    const { version, state, runtime } = await this.change(code, (rt, room) => {
      const member = room.members.find((m) => m.id === playerId);
      if (member === undefined) return rt.join(room, playerId, name, options.asSpectator ? { asSpectator: true } : {});
      return member.isConnected ? unchanged(room) : rt.reconnect(room, playerId);
    });
    return toSnapshot(code, version, runtime.syncFor(state, playerId));
  }

  /** Removes a member for good (their hooks run). @throws ROOM_NOT_FOUND; NOT_IN_ROOM. */
  async leave(code: string, playerId: string): Promise<ChangeResult> {
    this.owner.stopGrace(code, playerId);
    const { version } = await this.change(code, (rt, room) => rt.leave(room, playerId));
    return { version };
  }

  /**
   * Marks a member as dropped; unless they come back within the grace period, they are removed through the
   * game's hooks. @throws ROOM_NOT_FOUND; NOT_IN_ROOM.
   */
  async disconnect(code: string, playerId: string): Promise<ChangeResult> {
    const { version } = await this.change(code, (rt, room) => rt.disconnect(room, playerId));
    this.owner.startGrace(code, playerId);
    return { version };
  }

  /** Brings a dropped member back to their seat and answers their current state. @throws ROOM_NOT_FOUND; NOT_IN_ROOM. */
  async reconnect(code: string, playerId: string): Promise<RoomSnapshot> {
    this.owner.stopGrace(code, playerId);
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
    this.owner.stopGrace(code, targetId);
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
    const record = await this.read(code);
    if (record === null) return 'gone';
    const state = this.catalog.runtime(record.gameId).parseState(record.state);
    return state.members.some((m) => m.id === playerId) ? 'member' : 'absent';
  }

  /** Whether the room exists in the store. @throws STORE_UNAVAILABLE. */
  async exists(code: string): Promise<boolean> {
    return (await this.read(code)) !== null;
  }

  /** The stored room, or null when there is none or `code` is not a room code at all. */
  private read(code: string): ReturnType<RoomStore['get']> {
    return this.store.get(code).catch((error: unknown) => {
      if (isGameBuddiesError(error, RoomStoreErrorCode.INVALID_ROOM_CODE)) return null;
      throw error;
    });
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
   * The current pictures of the room for several members at once (one read): those not in the room are left
   * out. @throws ROOM_NOT_FOUND.
   */
  async snapshots(code: string, playerIds: readonly string[]): Promise<Map<string, RoomSnapshot>> {
    const record = await this.store.get(code);
    if (record === null) throw new RoomNotFoundError(code);
    const runtime = this.catalog.runtime(record.gameId);
    const state = runtime.parseState(record.state);
    const wanted = new Set(playerIds);
    const members = state.members.filter((m) => wanted.has(m.id));
    return new Map(members.map((m) => [m.id, toSnapshot(record.code, record.version, runtime.syncFor(state, m.id))]));
  }

  /**
   * Stops every timer this host armed and hands its rooms over: their leases are released, so another server
   * takes them at once instead of after expiry. Rooms stay in the store for it to carry on.
   */
  async close(): Promise<void> {
    this.isClosed = true;
    await this.owner.close();
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
      // The first attempt applies the change to the state remembered from the last one (no read); a conflict,
      // or a refusal that a newer state might not give, reads the room again.
      let remembered = this.states.get(code);
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const fromMemory = remembered;
        remembered = undefined;
        let current: { version: number; gameId: string; state: RoomState };
        if (fromMemory === undefined) {
          const record = await this.store.get(code);
          if (record === null) throw new RoomNotFoundError(code);
          current = { version: record.version, gameId: record.gameId, state: this.catalog.runtime(record.gameId).parseState(record.state) };
        } else {
          current = fromMemory;
        }
        const runtime = this.catalog.runtime(current.gameId);
        const before = current.state;
        const result = apply(runtime, before);
        if (!result.isApplied) {
          if (fromMemory !== undefined) continue;
          throw result.error;
        }
        for (const warning of result.warnings) this.logger.warn({ room: code, code: warning.code, err: warning.cause }, warning.message);
        if (result.state === before) {
          this.states.remember(code, current.version, current.gameId, before);
          this.afterChange(code, runtime, before);
          return { version: current.version, state: before, runtime };
        }
        const version = current.version + 1;
        const deliveries = toDeliveries(code, version, before, result.state, result.messages);
        try {
          const patch = { state: toStoredState(result.state) };
          // Timer work is the owner's: its writes carry the fencing token, so a paused former owner is refused.
          const lease = options.asOwner ? this.owner.leaseOf(code) : undefined;
          if (options.asOwner && lease === undefined) return { version: current.version, state: before, runtime };
          const notice = this.sharesDeliveries ? encodeNotice(deliveries) : undefined;
          await this.store.update(code, patch, {
            expectedVersion: current.version,
            ...(lease === undefined ? {} : { fencingToken: lease.token }),
            ...(notice === undefined ? {} : { notice }),
          });
        } catch (error) {
          if (isVersionConflict(error)) {
            // Another server keeps writing first: back off a little (random, growing) so a burst of its
            // changes cannot starve this one.
            if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
            continue;
          }
          if (fromMemory !== undefined && isGameBuddiesError(error, RoomStoreErrorCode.ROOM_NOT_FOUND)) continue;
          throw error;
        }
        this.states.remember(code, version, current.gameId, result.state);
        this.owner.host(code);
        this.deliver(deliveries);
        this.observer.membersChanged?.(code, result.state.members.length);
        await this.closeIfEmpty(code, current.gameId, version, runtime, result.state);
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
    this.owner.forget(code);
    this.states.forget(code);
    this.observer.roomClosed?.(gameId, 'empty');
  }

  /** After every change, seen or made: the owner re-arms the room's timer or adopts it. */
  private afterChange(code: string, runtime: Runtime, state: RoomState): void {
    if (this.isClosed) return;
    this.owner.noteChange(code, runtime.nextTimerAt(state), state.members);
  }

  /** A dropped member's grace period ended: they are removed, unless they are present on a live gateway after all. */
  private async endGrace(code: string, playerId: string): Promise<void> {
    const isPresent = await this.isPresent(code, playerId).catch(() => false);
    await this.change(code, (rt, room) => {
      const member = room.members.find((m) => m.id === playerId);
      if (member === undefined || member.isConnected) return unchanged(room);
      return isPresent ? rt.reconnect(room, playerId) : rt.leave(room, playerId);
    });
  }

  /** Sends this server's players what another server's change sends them (or a fresh snapshot, when it could not). */
  private deliverFromElsewhere(change: RoomChange): void {
    if (change.notice === undefined) {
      this.resync(change.code);
      return;
    }
    let deliveries: unknown;
    try {
      deliveries = JSON.parse(change.notice);
    } catch {
      deliveries = undefined;
    }
    if (!Array.isArray(deliveries)) {
      this.logger.warn({ room: change.code }, 'ignored an unreadable change notice; the room is resynchronised');
      this.resync(change.code);
      return;
    }
    this.deliver(deliveries as Delivery[]);
  }

  /** A change stored by another server: if this one owns the room, its next timer may have moved. */
  private onStoreChange(change: RoomChange): void {
    if (change.origin === this.store.instanceId || this.isClosed) return;
    this.states.forget(change.code);
    if (change.type === 'deleted') {
      this.owner.forget(change.code);
      return;
    }
    if (this.sharesDeliveries && change.type === 'updated') this.deliverFromElsewhere(change);
    if (!this.owner.isHosted(change.code)) return;
    this.change(change.code, (_rt, room) => unchanged(room)).catch((error: unknown) => this.owner.workFailed(change.code, error));
  }
}

/** The deliveries of a change as the text of its notice, or undefined when they are too large for one. */
function encodeNotice(deliveries: Delivery[]): string | undefined {
  const text = JSON.stringify(deliveries);
  return text.length <= MAX_NOTICE_LENGTH ? text : undefined;
}

/** A step that changes nothing. */
function unchanged(room: RoomState): StepResult<AnyGameDefinition> {
  return { isApplied: true, state: room, messages: [], warnings: [] } as StepResult<AnyGameDefinition>;
}
