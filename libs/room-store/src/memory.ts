import { SharedMemory, StoreUnavailableError, type Clock } from '@gamebuddies/core';
import { checkRoomFields, CONTENT_FIELDS, contentSum, RETIRED_ROOM_FIELDS, ROOM_SCHEMA_VERSION, type CheckedRoom, type RoomFields } from './room-fields';
import type { EncodedContent } from './room-input';
import {
  RoomStoreBase,
  type AcquireOutcome,
  type BackendConditions,
  type CreateRequest,
  type DeleteOutcome,
  type InsertOutcome,
  type ListedRoom,
  type NewRoomContent,
  type RenewOutcome,
  type WriteOutcome,
} from './room-store-base';
import type { RoomChange, RoomChangeType, RoomSubscription } from './room-store';
import type { RoomStoreOptions } from './store-options';

type Listener = (change: RoomChange) => void;

/** A stored room: its fields, and its deadline kept apart from them (as Redis keeps a key's TTL). */
interface StoredRoom {
  fields: Record<string, string>;
  deadline: number;
}

interface Namespace {
  rooms: Map<string, StoredRoom>;
  /** Where each create's requestId put its room, until the room's first deadline. */
  requests: Map<string, { code: string; expiresAt: number }>;
  listeners: Set<Listener>;
}

/** A one-shot lost-reply fault armed by {@link MemoryRoomBackend.loseNextReply}. */
interface LostReply {
  matches: (command: string) => boolean;
  resolve: () => void;
}

/**
 * The data behind one or more {@link MemoryRoomStore}s: pass the same backend to several stores and they
 * behave like processes sharing one Redis (same rooms, same leases, each other's notifications). Rooms are
 * kept as the same string fields the Redis store writes, so both read back identically.
 */
export class MemoryRoomBackend extends SharedMemory<Namespace> {
  private readonly prefixes = new Set<string>();
  /** See `MemoryRoomStore.written`: shared by every store on this backend. */
  readonly writtenContent = new WeakMap<Record<string, string>, Record<string, string | undefined>>();
  private lastToken = 0;
  private lostReply: LostReply | undefined;

  constructor(options: { clock?: Clock } = {}) {
    super(() => ({ rooms: new Map(), requests: new Map(), listeners: new Set() }), options);
  }

  override namespace(keyPrefix: string): Namespace {
    this.prefixes.add(keyPrefix);
    return super.namespace(keyPrefix);
  }

  /** Overwrites one stored field of a room, as damage would (`undefined` removes it); false when there is no such room. */
  corruptField(keyPrefix: string, code: string, field: string, value: string | undefined): boolean {
    const fields = this.namespace(keyPrefix).rooms.get(code)?.fields;
    if (fields === undefined) return false;
    if (value === undefined) delete fields[field];
    else fields[field] = value;
    return true;
  }

  /**
   * Loses every stored room and create mapping at once, as a restart of a Redis without persistence does;
   * stores and subscriptions stay connected, and fencing tokens keep growing (they come from the clock).
   */
  wipe(): void {
    for (const prefix of this.prefixes) {
      const ns = super.namespace(prefix);
      ns.rooms.clear();
      ns.requests.clear();
    }
  }

  /** How many rooms are stored under a prefix, expired ones not yet swept included (the size of the "index"). */
  storedRoomCount(keyPrefix: string): number {
    return this.namespace(keyPrefix).rooms.size;
  }

  /**
   * For tests: the next store call whose command (operation name and arguments as text, e.g. `update K7QX2M
   * <writeId> <state JSON>`) matches is applied, and then fails with STORE_UNAVAILABLE `outcome: 'unknown'`, as
   * a call whose reply was lost does. Resolves once that happened.
   */
  loseNextReply(matches: (command: string) => boolean = () => true): Promise<void> {
    if (this.lostReply !== undefined) return Promise.reject(new Error('a lost reply is already armed'));
    return new Promise((resolve) => {
      this.lostReply = { matches, resolve };
    });
  }

  /**
   * The next fencing token for a room whose highest is `fence`: larger than `fence` and than every token this
   * backend issued, and at least the clock in µs (ms × 1000), so tokens go on growing after `wipe()`.
   */
  issueToken(fence: number): number {
    const token = Math.max(fence + 1, this.clock.now() * 1000, this.lastToken + 1);
    this.lastToken = token;
    return token;
  }

  /** Called after a store applied `command`: throws the armed lost reply if it matches. */
  applied(operation: string, command: string): void {
    const lost = this.lostReply;
    if (lost === undefined || !lost.matches(command)) return;
    this.lostReply = undefined;
    lost.resolve();
    throw new StoreUnavailableError(`the reply to room.${operation} was lost`, { operation: `room.${operation}`, outcome: 'unknown' });
  }
}

/** Settings of {@link MemoryRoomStore}. */
export interface MemoryRoomStoreOptions extends RoomStoreOptions {
  /** The shared data; by default a new backend of its own (one process, one store). */
  backend?: MemoryRoomBackend;
  /** Separates stores sharing one backend, as the Redis key prefix does (default `gb:`). */
  keyPrefix?: string;
}

/**
 * The in-memory room store: the default, for one process and no services. Every operation is one synchronous
 * step on the backend, so it is atomic; results are copies, so callers cannot change stored rooms. The room map
 * is its own index; the sweep drops expired rooms from it.
 */
export class MemoryRoomStore extends RoomStoreBase {
  /** The backend this store reads and writes. */
  readonly backend: MemoryRoomBackend;
  private readonly keyPrefix: string;
  private readonly ns: Namespace;
  private readonly ownListeners = new Set<Listener>();
  /**
   * The content (and checksums) each stored record had when a store wrote it. Damage (`corruptField`) changes
   * a field, so it no longer matches and the record is checked in full again.
   */
  private readonly written: WeakMap<Record<string, string>, Record<string, string | undefined>>;

  constructor(options: MemoryRoomStoreOptions = {}) {
    super(options);
    this.backend = options.backend ?? new MemoryRoomBackend();
    this.keyPrefix = options.keyPrefix ?? 'gb:';
    this.ns = this.backend.namespace(this.keyPrefix);
    this.written = this.backend.writtenContent;
  }

  protected describeKey(code: string): string {
    return `memory:${this.keyPrefix}room:{${code}}`;
  }

  protected async insertRoom(code: string, content: NewRoomContent, ttlMs: number, request: CreateRequest): Promise<InsertOutcome> {
    this.ensureAvailable('create');
    const now = this.backend.clock.now();
    if (request.followMapping) {
      const earlier = this.ns.requests.get(request.requestId);
      if (earlier !== undefined && earlier.expiresAt > now && earlier.code !== code) {
        return { status: 'ELSEWHERE', code: earlier.code, key: `memory:${this.keyPrefix}{rooms}:request:${request.requestId}` };
      }
    }
    const existing = this.live(code);
    if (existing !== undefined) {
      return existing['requestId'] === request.requestId ? { status: 'REPLAY', fields: { ...existing } } : { status: 'TAKEN' };
    }
    const fields: RoomFields = {
      schema: String(ROOM_SCHEMA_VERSION),
      code,
      gameId: content.gameId,
      options: content.options,
      state: content.state,
      version: '1',
      createdAt: String(now),
      updatedAt: String(now),
      expiresAt: String(now + ttlMs),
      fence: '0',
      leaseNode: '',
      leaseExpiresAt: '0',
      requestId: request.requestId,
      optionsSum: contentSum(content.options),
      stateSum: contentSum(content.state),
    };
    const stored = { ...fields } as Record<string, string>;
    this.ns.rooms.set(code, { fields: stored, deadline: now + ttlMs });
    this.noteWritten(stored);
    this.ns.requests.set(request.requestId, { code, expiresAt: now + ttlMs });
    this.publish('created', code, 1);
    this.backend.applied('create', `create ${code} ${request.requestId} ${content.gameId} ${content.options} ${content.state}`);
    return { status: 'OK', createdAt: now };
  }

  protected async readRoom(code: string): Promise<Record<string, string> | null> {
    this.ensureAvailable('get');
    const fields = this.live(code);
    return fields === undefined ? null : { ...fields };
  }

  protected async writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number, writeId: string, notice: string): Promise<WriteOutcome> {
    this.ensureAvailable('update');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const room = this.sound(code, fields);
    const refusal = refuse(room, conditions);
    if (refusal !== undefined) return refusal;
    const now = this.backend.clock.now();
    const version = room.version + 1;
    Object.assign(fields, { schema: String(ROOM_SCHEMA_VERSION), version: String(version), updatedAt: String(now), expiresAt: String(now + ttlMs), writeId });
    // A record of the previous schema loses the fields this one no longer keeps.
    for (const name of RETIRED_ROOM_FIELDS) delete fields[name];
    for (const name of CONTENT_FIELDS) {
      const text = content[name];
      if (text !== undefined) Object.assign(fields, { [name]: text, [`${name}Sum`]: contentSum(text) });
      // A record from before checksums gets them for the parts it keeps (checked above as JSON).
      else if (fields[`${name}Sum`] === undefined) fields[`${name}Sum`] = contentSum(fields[name] as string);
    }
    this.noteWritten(fields);
    this.setDeadline(code, now + ttlMs);
    this.publish('updated', code, version, notice);
    this.backend.applied('update', `update ${code} ${writeId} ${content.state ?? ''} ${content.options ?? ''}`);
    return { status: 'OK', version, updatedAt: now, expiresAt: now + ttlMs };
  }

  protected async removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome> {
    this.ensureAvailable('delete');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const room = this.sound(code, fields);
    const refusal = refuse(room, conditions);
    if (refusal !== undefined) return refusal;
    this.ns.rooms.delete(code);
    this.publish('deleted', code, room.version);
    this.backend.applied('delete', `delete ${code}`);
    return { status: 'OK' };
  }

  protected async touchRoom(code: string, ttlMs: number): Promise<number | null> {
    this.ensureAvailable('touch');
    const fields = this.live(code);
    if (fields === undefined) return null;
    this.sound(code, fields);
    const expiresAt = this.backend.clock.now() + ttlMs;
    fields['expiresAt'] = String(expiresAt);
    this.setDeadline(code, expiresAt);
    this.backend.applied('touch', `touch ${code}`);
    return expiresAt;
  }

  protected async countRooms(): Promise<number> {
    this.ensureAvailable('count');
    let count = 0;
    for (const code of [...this.ns.rooms.keys()]) if (this.live(code) !== undefined) count++;
    return count;
  }

  protected async listRooms(cursor: string, limit: number): Promise<{ rooms: ListedRoom[]; isExhausted: boolean; last: string }> {
    this.ensureAvailable('list');
    const codes = [...this.ns.rooms.keys()].filter((code) => code > cursor).sort();
    const page = codes.slice(0, limit);
    const rooms: ListedRoom[] = [];
    for (const code of page) {
      const fields = this.live(code);
      if (fields !== undefined) rooms.push({ code, fields: { ...fields } });
    }
    return { rooms, isExhausted: codes.length <= limit, last: page[page.length - 1] ?? cursor };
  }

  protected async acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome> {
    this.ensureAvailable('acquireLease');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const room = this.sound(code, fields);
    const now = this.backend.clock.now();
    const expiresAt = now + ttlMs;
    const holder = room.lease;
    if (holder !== null && holder.expiresAt > now) {
      if (holder.nodeId !== nodeId) return { status: 'HELD', nodeId: holder.nodeId, token: holder.token, expiresAt: holder.expiresAt };
      fields['leaseExpiresAt'] = String(expiresAt);
      this.backend.applied('acquireLease', `acquireLease ${code} ${nodeId}`);
      return { status: 'OK', token: holder.token, expiresAt };
    }
    const token = this.backend.issueToken(room.fencingToken);
    Object.assign(fields, { fence: String(token), leaseNode: nodeId, leaseExpiresAt: String(expiresAt) });
    this.backend.applied('acquireLease', `acquireLease ${code} ${nodeId}`);
    return { status: 'OK', token, expiresAt };
  }

  protected async renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome> {
    this.ensureAvailable('renewLease');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const room = this.sound(code, fields);
    if (room.lease?.nodeId !== nodeId || room.fencingToken !== token) return { status: 'LEASE_LOST', fence: room.fencingToken };
    const expiresAt = this.backend.clock.now() + ttlMs;
    fields['leaseExpiresAt'] = String(expiresAt);
    this.backend.applied('renewLease', `renewLease ${code} ${nodeId}`);
    return { status: 'OK', expiresAt };
  }

  protected async releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean> {
    this.ensureAvailable('releaseLease');
    const fields = this.live(code);
    if (fields === undefined) return false;
    const room = this.sound(code, fields);
    if (room.lease?.nodeId !== nodeId || room.fencingToken !== token) return false;
    Object.assign(fields, { leaseNode: '', leaseExpiresAt: '0' });
    this.backend.applied('releaseLease', `releaseLease ${code} ${nodeId}`);
    return true;
  }

  protected async sweepIndexStep(batch: number): Promise<number> {
    this.ensureAvailable('sweep');
    const now = this.backend.clock.now();
    let removed = 0;
    for (const [code, room] of this.ns.rooms) {
      if (removed >= batch) break;
      if (room.deadline <= now) {
        this.ns.rooms.delete(code);
        removed++;
      }
    }
    let forgotten = 0;
    for (const [requestId, request] of this.ns.requests) {
      if (forgotten >= batch) break;
      if (request.expiresAt <= now) {
        this.ns.requests.delete(requestId);
        forgotten++;
      }
    }
    return removed;
  }

  async subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription> {
    this.ensureAvailable('subscribe');
    const own: Listener = (change) => listener(change);
    this.ns.listeners.add(own);
    this.ownListeners.add(own);
    return {
      unsubscribe: async () => {
        this.ns.listeners.delete(own);
        this.ownListeners.delete(own);
      },
    };
  }

  override async close(): Promise<void> {
    for (const listener of this.ownListeners) this.ns.listeners.delete(listener);
    this.ownListeners.clear();
    await super.close();
  }

  /** The room's fields if it exists and has not expired; an expired room is dropped on sight. */
  private live(code: string): Record<string, string> | undefined {
    const room = this.ns.rooms.get(code);
    if (room === undefined) return undefined;
    if (room.deadline <= this.backend.clock.now()) {
      this.ns.rooms.delete(code);
      return undefined;
    }
    return room.fields;
  }

  private setDeadline(code: string, deadline: number): void {
    const room = this.ns.rooms.get(code);
    if (room !== undefined) room.deadline = deadline;
  }

  /** The record, checked field by field before anything is written over it. @throws STORE_CORRUPTED. */
  private sound(code: string, fields: Record<string, string>): CheckedRoom {
    const written = this.written.get(fields);
    const isContentVerified =
      written !== undefined && CONTENT_FIELDS.every((name) => written[name] === fields[name] && written[`${name}Sum`] === fields[`${name}Sum`]);
    return checkRoomFields(this.describeKey(code), code, fields, { isContentVerified });
  }

  /** Notes the content this store just wrote with its checksums, so the next check need not hash it again. */
  private noteWritten(fields: Record<string, string>): void {
    const written: Record<string, string | undefined> = {};
    for (const name of CONTENT_FIELDS) {
      written[name] = fields[name];
      written[`${name}Sum`] = fields[`${name}Sum`];
    }
    this.written.set(fields, written);
  }

  private ensureAvailable(operation: string): void {
    this.backend.ensureAvailable(`room.${operation}`);
  }

  private publish(type: RoomChangeType, code: string, version: number, notice = ''): void {
    const change: RoomChange = notice === '' ? { type, code, version, origin: this.instanceId } : { type, code, version, origin: this.instanceId, notice };
    for (const listener of this.ns.listeners) {
      setImmediate(() => {
        try {
          listener(change);
        } catch (error) {
          this.settings.logger.error({ err: error, room: code }, 'a room change listener threw');
        }
      });
    }
  }
}

/** The lease and version checks of a conditional write, in the order the Redis scripts make them. */
function refuse(
  room: { version: number; fencingToken: number; lease: unknown },
  conditions: BackendConditions,
): Exclude<WriteOutcome, { status: 'OK' }> | undefined {
  if (conditions.fencingToken !== undefined && (conditions.fencingToken !== room.fencingToken || room.lease === null)) {
    return { status: 'LEASE_LOST', fence: room.fencingToken };
  }
  if (conditions.expectedVersion !== undefined && conditions.expectedVersion !== room.version) return { status: 'CONFLICT', version: room.version };
  return undefined;
}
