import { SharedMemory, StoreCorruptedError, type Clock } from '@gamebuddies/core';
import { ROOM_SCHEMA_VERSION, type RoomFields } from './room-fields';
import type { EncodedContent } from './room-input';
import {
  RoomStoreBase,
  type AcquireOutcome,
  type BackendConditions,
  type DeleteOutcome,
  type NewRoomContent,
  type RenewOutcome,
  type WriteOutcome,
} from './room-store-base';
import type { RoomChange, RoomChangeType, RoomSubscription } from './room-store';
import type { RoomStoreOptions } from './store-options';

type Listener = (change: RoomChange) => void;

interface Namespace {
  rooms: Map<string, Record<string, string>>;
  listeners: Set<Listener>;
}

/**
 * The data behind one or more {@link MemoryRoomStore}s: pass the same backend to several stores and they
 * behave like processes sharing one Redis (same rooms, same leases, each other's notifications). Rooms are
 * kept as the same string fields the Redis store writes, so both read back identically.
 */
export class MemoryRoomBackend extends SharedMemory<Namespace> {
  constructor(options: { clock?: Clock } = {}) {
    super(() => ({ rooms: new Map(), listeners: new Set() }), options);
  }

  /** Overwrites one stored field of a room, as damage would; returns false when there is no such room. */
  corruptField(keyPrefix: string, code: string, field: string, value: string): boolean {
    const fields = this.namespace(keyPrefix).rooms.get(code);
    if (fields === undefined) return false;
    fields[field] = value;
    return true;
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
 * step on the backend, so it is atomic; results are copies, so callers cannot change stored rooms.
 */
export class MemoryRoomStore extends RoomStoreBase {
  /** The backend this store reads and writes. */
  readonly backend: MemoryRoomBackend;
  private readonly keyPrefix: string;
  private readonly ns: Namespace;
  private readonly ownListeners = new Set<Listener>();

  constructor(options: MemoryRoomStoreOptions = {}) {
    super(options);
    this.backend = options.backend ?? new MemoryRoomBackend();
    this.keyPrefix = options.keyPrefix ?? 'gb:';
    this.ns = this.backend.namespace(this.keyPrefix);
  }

  protected describeKey(code: string): string {
    return `memory:${this.keyPrefix}room:{${code}}`;
  }

  protected async insertRoom(code: string, content: NewRoomContent, ttlMs: number): Promise<number | null> {
    this.ensureAvailable('create');
    if (this.live(code) !== undefined) return null;
    const now = this.backend.clock.now();
    const fields: RoomFields = {
      schema: String(ROOM_SCHEMA_VERSION),
      code,
      gameId: content.gameId,
      options: content.options,
      state: content.state,
      players: content.players,
      version: '1',
      createdAt: String(now),
      updatedAt: String(now),
      expiresAt: String(now + ttlMs),
      fence: '0',
      leaseNode: '',
      leaseExpiresAt: '0',
    };
    this.ns.rooms.set(code, { ...fields });
    this.publish('created', code, 1);
    return now;
  }

  protected async readRoom(code: string): Promise<Record<string, string> | null> {
    this.ensureAvailable('get');
    const fields = this.live(code);
    return fields === undefined ? null : { ...fields };
  }

  protected async writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number): Promise<WriteOutcome> {
    this.ensureAvailable('update');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const refusal = this.refuse(code, fields, conditions);
    if (refusal !== undefined) return refusal;
    const now = this.backend.clock.now();
    const version = this.intField(code, fields, 'version') + 1;
    Object.assign(fields, content, {
      version: String(version),
      updatedAt: String(now),
      expiresAt: String(now + ttlMs),
    });
    this.publish('updated', code, version);
    return { status: 'OK', version, updatedAt: now, expiresAt: now + ttlMs };
  }

  protected async removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome> {
    this.ensureAvailable('delete');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const refusal = this.refuse(code, fields, conditions);
    if (refusal !== undefined) return refusal;
    this.ns.rooms.delete(code);
    this.publish('deleted', code, this.intField(code, fields, 'version'));
    return { status: 'OK' };
  }

  protected async touchRoom(code: string, ttlMs: number): Promise<number | null> {
    this.ensureAvailable('touch');
    const fields = this.live(code);
    if (fields === undefined) return null;
    const expiresAt = this.backend.clock.now() + ttlMs;
    fields['expiresAt'] = String(expiresAt);
    return expiresAt;
  }

  protected async countRooms(): Promise<number> {
    this.ensureAvailable('count');
    let count = 0;
    for (const code of [...this.ns.rooms.keys()]) if (this.live(code) !== undefined) count++;
    return count;
  }

  protected async listRooms(cursor: string, limit: number): Promise<{ rooms: Record<string, string>[]; isExhausted: boolean; last: string }> {
    this.ensureAvailable('list');
    const codes = [...this.ns.rooms.keys()].filter((code) => code > cursor).sort();
    const page = codes.slice(0, limit);
    const rooms: Record<string, string>[] = [];
    for (const code of page) {
      const fields = this.live(code);
      if (fields !== undefined) rooms.push({ ...fields });
    }
    return { rooms, isExhausted: codes.length <= limit, last: page[page.length - 1] ?? cursor };
  }

  protected async acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome> {
    this.ensureAvailable('acquireLease');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const now = this.backend.clock.now();
    const fence = this.intField(code, fields, 'fence');
    const holder = fields['leaseNode'] ?? '';
    const holderExpiresAt = this.intField(code, fields, 'leaseExpiresAt');
    const expiresAt = now + ttlMs;
    if (holder !== '' && holderExpiresAt > now) {
      if (holder !== nodeId) return { status: 'HELD', nodeId: holder, token: fence, expiresAt: holderExpiresAt };
      fields['leaseExpiresAt'] = String(expiresAt);
      return { status: 'OK', token: fence, expiresAt };
    }
    Object.assign(fields, { fence: String(fence + 1), leaseNode: nodeId, leaseExpiresAt: String(expiresAt) });
    return { status: 'OK', token: fence + 1, expiresAt };
  }

  protected async renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome> {
    this.ensureAvailable('renewLease');
    const fields = this.live(code);
    if (fields === undefined) return { status: 'NOT_FOUND' };
    const fence = this.intField(code, fields, 'fence');
    if (fields['leaseNode'] !== nodeId || fence !== token) return { status: 'LEASE_LOST', fence };
    const expiresAt = this.backend.clock.now() + ttlMs;
    fields['leaseExpiresAt'] = String(expiresAt);
    return { status: 'OK', expiresAt };
  }

  protected async releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean> {
    this.ensureAvailable('releaseLease');
    const fields = this.live(code);
    if (fields === undefined || fields['leaseNode'] !== nodeId || this.intField(code, fields, 'fence') !== token) return false;
    Object.assign(fields, { leaseNode: '', leaseExpiresAt: '0' });
    return true;
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

  async close(): Promise<void> {
    for (const listener of this.ownListeners) this.ns.listeners.delete(listener);
    this.ownListeners.clear();
  }

  /** The room's fields if it exists and has not expired; an expired room is dropped on sight. */
  private live(code: string): Record<string, string> | undefined {
    const fields = this.ns.rooms.get(code);
    if (fields === undefined) return undefined;
    if (Number(fields['expiresAt']) <= this.backend.clock.now()) {
      this.ns.rooms.delete(code);
      return undefined;
    }
    return fields;
  }

  /** The lease and version checks of a conditional write, in the order the Redis scripts make them. */
  private refuse(code: string, fields: Record<string, string>, conditions: BackendConditions): Exclude<WriteOutcome, { status: 'OK' }> | undefined {
    const version = this.intField(code, fields, 'version');
    if (conditions.fencingToken !== undefined) {
      const fence = this.intField(code, fields, 'fence');
      if (conditions.fencingToken !== fence || fields['leaseNode'] === '') return { status: 'LEASE_LOST', fence };
    }
    if (conditions.expectedVersion !== undefined && conditions.expectedVersion !== version) return { status: 'CONFLICT', version };
    return undefined;
  }

  private intField(code: string, fields: Record<string, string>, name: string): number {
    const value = Number(fields[name]);
    if (!Number.isSafeInteger(value)) {
      const key = this.describeKey(code);
      throw new StoreCorruptedError(`stored room ${key} cannot be read: ${name} is not an integer`, { key, reason: `${name} is not an integer` });
    }
    return value;
  }

  private ensureAvailable(operation: string): void {
    this.backend.ensureAvailable(`room.${operation}`);
  }

  private publish(type: RoomChangeType, code: string, version: number): void {
    const change: RoomChange = { type, code, version, origin: this.instanceId };
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
