import type { JsonObject, JsonValue } from '@gamebuddies/core';

/** The ownership lease of a room: the one process allowed to run its game logic until `expiresAt`. */
export interface RoomLease {
  /** The holder's node id (e.g. hostname + pid). */
  nodeId: string;
  /** The fencing token issued with this lease: greater than every token issued for this room before it. */
  token: number;
  /** When the lease ends unless renewed, in ms since the epoch, on the store's clock. */
  expiresAt: number;
}

/** A room as stored. Records are plain data: mutating one never changes the store. */
export interface RoomRecord<TState extends JsonValue = JsonValue, TOptions extends JsonObject = JsonObject> {
  /** The room code players type to join (upper-case, from {@link ROOM_CODE_ALPHABET}). */
  code: string;
  /** Which game the room plays. */
  gameId: string;
  /** The game options chosen at creation. */
  options: TOptions;
  /** The game state: any JSON (who is in the room lives here, as the game host keeps it). */
  state: TState;
  /** Grows by exactly one on every content write (create is version 1). Leases and touch leave it alone. */
  version: number;
  /** The current owner lease, or null when no process holds one (never taken, released, or expired). */
  lease: RoomLease | null;
  /** The highest fencing token ever issued for this room (0 before the first lease). */
  fencingToken: number;
  /** Creation time, ms since the epoch. */
  createdAt: number;
  /** Time of the last content write, ms since the epoch. */
  updatedAt: number;
  /** When the room expires unless touched or written, ms since the epoch. */
  expiresAt: number;
  /**
   * The `writeId` the last content write carried ({@link WriteConditions.writeId}); absent when it carried none.
   * A writer whose reply was lost compares it with its own to learn whether its write applied.
   */
  writeId?: string;
}

/** What a new room starts with. */
export interface CreateRoomInput<TState extends JsonValue = JsonValue, TOptions extends JsonObject = JsonObject> {
  gameId: string;
  options?: TOptions;
  state?: TState;
  /** A specific code (validated, no retry on collision: ROOM_CODE_TAKEN). By default one is generated. */
  code?: string;
  /** Time to live; defaults to the store's `roomTtlMs`. */
  ttlMs?: number;
  /**
   * Makes the create safe to retry: a create repeated with the same `requestId` (1–128 visible ASCII characters,
   * e.g. a UUID the caller made) returns the room the first one made instead of a second room, as long as that
   * room lives. By default the store makes one per call (its own code-collision retries reuse it) and names it
   * in the details of a STORE_UNAVAILABLE error, so a caller told `outcome: 'unknown'` can still retry safely.
   */
  requestId?: string;
}

/** The parts of a room an update replaces. Omitted parts stay as they are. */
export interface RoomPatch<TState extends JsonValue = JsonValue, TOptions extends JsonObject = JsonObject> {
  state?: TState;
  options?: TOptions;
}

/** The conditions of a write. */
export interface WriteConditions {
  /** The version the writer last read: the write applies only if the room is still at it. */
  expectedVersion: number;
  /**
   * The writer's fencing token. When given, the write applies only while it is the token of the room's
   * current lease (an expired lease nobody has taken over yet still counts; a released one does not).
   */
  fencingToken?: number;
  /** New time to live; defaults to the store's `roomTtlMs`. Every write slides the expiry. */
  ttlMs?: number;
  /**
   * An id of this write (1–128 visible ASCII characters, e.g. a UUID), stored with the new version as the room's
   * `writeId`. After a STORE_UNAVAILABLE with `outcome: 'unknown'`, a re-read whose `writeId` is this one proves
   * the write applied; `updateWithRetry` does this for you.
   */
  writeId?: string;
  /**
   * Text carried, as it is, in the change notification of this write (`RoomChange.notice`) to every store
   * instance sharing the backend: e.g. what the writer sends its players, so that other servers can send it to
   * theirs without reading the room. At most `MAX_NOTICE_LENGTH` characters; not stored with the room.
   */
  notice?: string;
}

/**
 * What a successful update reports. The writer already has the rest (the record it read and the patch it
 * sent), so the store does not ship the whole room back: updates stay cheap on the hot path. Use
 * `updateWithRetry` (or `applyWrite`) when a full record is wanted.
 */
export interface RoomWriteResult {
  code: string;
  /** The room's new version (the expected one plus one). */
  version: number;
  /** Time of this write, ms since the epoch, on the store's clock. */
  updatedAt: number;
  /** The room's new expiry. */
  expiresAt: number;
  /** The `writeId` the write carried, when it carried one. */
  writeId?: string;
}

/** The conditions of a delete. */
export interface DeleteConditions {
  /** Delete only if the room is still at this version. */
  expectedVersion?: number;
  /** Delete only while this is the current lease's token (see {@link WriteConditions.fencingToken}). */
  fencingToken?: number;
}

/** The answer to a lease request. */
export type LeaseResult =
  | { isAcquired: true; lease: RoomLease }
  | { isAcquired: false; holder: RoomLease };

/** A room {@link RoomStore.list} skipped because its stored record is damaged. */
export interface DamagedRoom {
  code: string;
  /** The stored record's name (for Redis its key). */
  key: string;
  /** The first damaged field found (`type` when the key holds another Redis type). */
  field: string;
  reason: string;
}

/** One page of {@link RoomStore.list}. */
export interface RoomPage {
  /** The readable live rooms of this page, in code order. */
  rooms: RoomRecord[];
  /**
   * Live rooms of this page whose stored record is damaged: left out of `rooms`, reported here (and to the
   * store's `onCorrupted` hook). `count()` counts them, so the pages' `rooms` and `damaged` add up to it.
   */
  damaged: DamagedRoom[];
  /** Pass to the next call to continue; undefined on the last page. */
  nextCursor?: string;
}

/** The kinds of change a store announces. Expiry is silent. */
export type RoomChangeType = 'created' | 'updated' | 'deleted';

/** A change announced to every store instance that shares the backend (this one included). */
export interface RoomChange {
  type: RoomChangeType;
  code: string;
  /** The version after the change (for `deleted`, the version the room had). */
  version: number;
  /** The `instanceId` of the store instance that made the change. */
  origin: string;
  /** The `notice` the write carried, if any (updates only). */
  notice?: string;
}

/** Stops a subscription. */
export interface RoomSubscription {
  unsubscribe(): Promise<void>;
}

/**
 * Where rooms live: shared by every process that serves them. Every read-modify-write is atomic; concurrent
 * writers are serialised by compare-and-set on `version` and, for owners, by fencing tokens.
 *
 * Errors (all `GameBuddiesError`, see `errors.ts`): ROOM_NOT_FOUND, ROOM_CODE_TAKEN, ROOM_CODE_EXHAUSTED,
 * VERSION_CONFLICT, LEASE_LOST, INVALID_ROOM_CODE, RECORD_TOO_LARGE, INVALID_ARGUMENT, STORE_CORRUPTED,
 * STORE_UNAVAILABLE.
 *
 * The outcome of every call is one of three, and the caller can always tell which:
 * - applied: the call resolved;
 * - not applied: it threw any error but STORE_UNAVAILABLE, or STORE_UNAVAILABLE with `outcome: 'not-applied'`
 *   (nothing was changed: a refused write changes nothing, a damaged record is never written over);
 * - unknown: STORE_UNAVAILABLE with `outcome: 'unknown'` (the command was sent and its reply lost). Each call is
 *   one atomic step, so it applied wholly or not at all, and exactly once: it is never re-sent behind the
 *   caller's back. A create retried with the same `requestId` returns the room the first one made; a write that
 *   carried a `writeId` can be recognised in the room (`updateWithRetry` does both for you).
 */
export interface RoomStore {
  /** Identifies this store instance in change notifications (`RoomChange.origin`). */
  readonly instanceId: string;

  /**
   * Creates a room at version 1 under a new unique code (generated, retried on collision), or returns the room
   * an earlier create with the same `requestId` made.
   * @throws ROOM_CODE_EXHAUSTED when every attempt collided; ROOM_CODE_TAKEN when a given code exists;
   * STORE_UNAVAILABLE with `details.requestId` to retry with.
   */
  create<TState extends JsonValue, TOptions extends JsonObject>(input: CreateRoomInput<TState, TOptions>): Promise<RoomRecord<TState, TOptions>>;

  /**
   * Reads a room, or null when there is none (or it expired).
   * @throws INVALID_ROOM_CODE; STORE_CORRUPTED (details: key, field, reason) when the stored record is damaged.
   */
  get(code: string): Promise<RoomRecord | null>;

  /**
   * Replaces parts of a room if it is still at `expectedVersion` (and, with a fencing token, still owned by
   * the writer); the version grows by one.
   * @throws ROOM_NOT_FOUND, VERSION_CONFLICT (details: expected, actual), LEASE_LOST; STORE_CORRUPTED when the
   * stored record is damaged (nothing is written over it).
   */
  update(code: string, patch: RoomPatch, conditions: WriteConditions): Promise<RoomWriteResult>;

  /** Deletes a room. Returns false when there was none. @throws VERSION_CONFLICT, LEASE_LOST, STORE_CORRUPTED. */
  delete(code: string, conditions?: DeleteConditions): Promise<boolean>;

  /** Slides a room's expiry without changing its version. Returns the new `expiresAt`. @throws ROOM_NOT_FOUND, STORE_CORRUPTED. */
  touch(code: string, ttlMs?: number): Promise<number>;

  /** Counts live rooms across every process sharing the store: those `list()` pages through, damaged ones included. */
  count(): Promise<number>;

  /**
   * Lists live rooms in code order, a page at a time (default 100, at most 1000 per page). Damaged rooms are
   * skipped and reported in the page's `damaged`.
   */
  list(options?: { cursor?: string; limit?: number }): Promise<RoomPage>;

  /**
   * Takes the room's lease for `nodeId` if nobody holds it or it has expired (a new, larger fencing token),
   * or renews it if `nodeId` already holds it (same token). Tokens are not small counters: each is larger than
   * every token issued for the room before, even across a loss of the store's data (see the README).
   * @throws ROOM_NOT_FOUND, STORE_CORRUPTED.
   */
  acquireLease(code: string, nodeId: string, ttlMs: number): Promise<LeaseResult>;

  /**
   * Extends a lease the caller still holds (same node and token, not taken over).
   * @throws LEASE_LOST when the lease is gone or someone else holds it; ROOM_NOT_FOUND; STORE_CORRUPTED.
   */
  renewLease(code: string, lease: Pick<RoomLease, 'nodeId' | 'token'>, ttlMs: number): Promise<RoomLease>;

  /** Gives up a lease at once so another node can take it. Returns false if the caller no longer held it. @throws STORE_CORRUPTED. */
  releaseLease(code: string, lease: Pick<RoomLease, 'nodeId' | 'token'>): Promise<boolean>;

  /** Calls `listener` for every change made through any instance sharing the backend, once it resolves. */
  subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription>;

  /** Releases what this instance holds (subscriptions, timers). Connections passed in stay open. */
  close(): Promise<void>;
}
