import { StoreCorruptedError, type Logger } from '@gamebuddies/core';
import {
  DEFAULT_KEY_PREFIX,
  duplicateConnection,
  runStoreOperation,
  toStoreError,
  validateKeyPrefix,
  type RedisClient,
  type RedisScript,
} from '@gamebuddies/redis-connection';
import { ROOM_SCHEMA_VERSION } from './room-fields';
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
import type { RoomChange, RoomSubscription } from './room-store';
import {
  ACQUIRE_LEASE,
  COUNT_ROOMS,
  CREATE_ROOM,
  DELETE_ROOM,
  INDEX_ROOM,
  LIST_ROOMS,
  REFRESH_INDEX,
  RELEASE_LEASE,
  RENEW_LEASE,
  TOUCH_ROOM,
  UNINDEX_ROOM,
  UPDATE_ROOM,
} from './redis-scripts';
import type { RoomStoreOptions } from './store-options';

/** Settings of {@link RedisRoomStore}. */
export interface RedisRoomStoreOptions extends RoomStoreOptions {
  /**
   * The connection to use, shared with the caller, who also closes it. Make it with `connectRedis` or
   * `connectRedisCluster` from `@gamebuddies/redis-connection` so that an outage fails fast.
   */
  client: RedisClient;
  /** Prepended to every key and channel (default `gb:`); stores with other prefixes never meet. */
  keyPrefix?: string;
}

type ScriptReply = [string, ...unknown[]];

/** Longest time count() may go on counting a room after it expired (see refreshIndex). */
const MAX_INDEX_SLACK_MS = 60_000;
/** How many rooms' index deadlines one instance remembers. */
const INDEX_CACHE_SIZE = 10_000;

/**
 * The Redis room store: many gateway processes share it. Every read-modify-write is one Lua script on the
 * room's own key; notifications go out on `<prefix>room-changes` from inside those scripts, so a change is
 * announced exactly when it is stored. Subscriptions use a second connection of their own.
 */
export class RedisRoomStore extends RoomStoreBase {
  private readonly client: RedisClient;
  private readonly keyPrefix: string;
  private readonly channel: string;
  private readonly expiryKey: string;
  private readonly codesKey: string;
  private readonly listeners = new Set<(change: RoomChange) => void>();
  private subscriber: Promise<RedisClient> | undefined;
  /** Index deadlines this instance wrote recently, by room code (bounded, oldest dropped first). */
  private readonly indexedUntil = new Map<string, number>();

  constructor(options: RedisRoomStoreOptions) {
    super(options);
    this.client = options.client;
    this.keyPrefix = validateKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.channel = `${this.keyPrefix}room-changes`;
    this.expiryKey = `${this.keyPrefix}{rooms}:expiry`;
    this.codesKey = `${this.keyPrefix}{rooms}:codes`;
  }

  /** The Redis key of a room's hash. */
  roomKey(code: string): string {
    return `${this.keyPrefix}room:{${code}}`;
  }

  protected describeKey(code: string): string {
    return this.roomKey(code);
  }

  protected async insertRoom(code: string, content: NewRoomContent, ttlMs: number): Promise<number | null> {
    const reply = await this.script('create', code, CREATE_ROOM, [
      this.channel, code, content.gameId, content.options, content.state, content.players, ttlMs, this.instanceId, ROOM_SCHEMA_VERSION,
    ]);
    if (reply[0] === 'TAKEN') return null;
    const createdAt = Number(reply[1]);
    await this.index(code, createdAt + ttlMs);
    return createdAt;
  }

  protected async readRoom(code: string): Promise<Record<string, string> | null> {
    const fields = await this.command('get', code, () => this.client.hgetall(this.roomKey(code)));
    return Object.keys(fields).length === 0 ? null : fields;
  }

  protected async writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number): Promise<WriteOutcome> {
    const args: (string | number)[] = [
      this.channel, code, conditions.expectedVersion ?? '', conditions.fencingToken ?? '', ttlMs, this.instanceId,
    ];
    if (content.state !== undefined) args.push('state', content.state);
    if (content.players !== undefined) args.push('players', content.players);
    if (content.options !== undefined) args.push('options', content.options);
    const reply = await this.script('update', code, UPDATE_ROOM, args);
    if (reply[0] !== 'OK') return refusal(reply);
    const expiresAt = Number(reply[3]);
    await this.refreshIndex(code, expiresAt, ttlMs);
    return { status: 'OK', version: Number(reply[1]), updatedAt: Number(reply[2]), expiresAt };
  }

  protected async removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome> {
    const reply = await this.script('delete', code, DELETE_ROOM, [
      this.channel, code, conditions.expectedVersion ?? '', conditions.fencingToken ?? '', this.instanceId,
    ]);
    if (reply[0] !== 'OK') return refusal(reply);
    await this.command('delete', code, () => UNINDEX_ROOM.run(this.client, [this.expiryKey, this.codesKey], [code]));
    return { status: 'OK' };
  }

  protected async touchRoom(code: string, ttlMs: number): Promise<number | null> {
    const reply = await this.script('touch', code, TOUCH_ROOM, [ttlMs]);
    if (reply[0] === 'NOT_FOUND') return null;
    const expiresAt = Number(reply[1]);
    await this.refreshIndex(code, expiresAt, ttlMs);
    return expiresAt;
  }

  protected async countRooms(): Promise<number> {
    const count = await this.command('count', '', () => COUNT_ROOMS.run(this.client, [this.expiryKey, this.codesKey], []));
    return Number(count);
  }

  protected async listRooms(cursor: string, limit: number): Promise<{ rooms: Record<string, string>[]; isExhausted: boolean; last: string }> {
    const reply = (await this.command('list', '', () =>
      LIST_ROOMS.run(this.client, [this.expiryKey, this.codesKey], [cursor, limit]),
    )) as [number, string, ...string[]];
    const [isExhausted, last, ...codes] = reply;
    const found = await Promise.all(codes.map((code) => this.readRoom(code)));
    const rooms: Record<string, string>[] = [];
    for (let i = 0; i < codes.length; i++) {
      const fields = found[i];
      if (fields) rooms.push(fields);
      else await this.command('list', codes[i] as string, () => UNINDEX_ROOM.run(this.client, [this.expiryKey, this.codesKey], [codes[i] as string]));
    }
    return { rooms, isExhausted: Number(isExhausted) === 1, last };
  }

  protected async acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome> {
    const reply = await this.script('acquireLease', code, ACQUIRE_LEASE, [nodeId, ttlMs]);
    if (reply[0] === 'NOT_FOUND') return { status: 'NOT_FOUND' };
    if (reply[0] === 'HELD') return { status: 'HELD', nodeId: String(reply[1]), token: Number(reply[2]), expiresAt: Number(reply[3]) };
    return { status: 'OK', token: Number(reply[1]), expiresAt: Number(reply[2]) };
  }

  protected async renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome> {
    const reply = await this.script('renewLease', code, RENEW_LEASE, [nodeId, token, ttlMs]);
    if (reply[0] === 'NOT_FOUND') return { status: 'NOT_FOUND' };
    if (reply[0] === 'LEASE_LOST') return { status: 'LEASE_LOST', fence: Number(reply[1]) };
    return { status: 'OK', expiresAt: Number(reply[1]) };
  }

  protected async releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean> {
    const released = await this.command('releaseLease', code, () => RELEASE_LEASE.run(this.client, [this.roomKey(code)], [nodeId, token]));
    return Number(released) === 1;
  }

  async subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription> {
    await this.ensureSubscriber();
    this.listeners.add(listener);
    return { unsubscribe: async () => void this.listeners.delete(listener) };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) {
      const connection = await subscriber.catch(() => undefined);
      connection?.disconnect();
    }
  }

  /** Opens the subscriber connection once; a failed attempt is forgotten so the next call tries again. */
  private ensureSubscriber(): Promise<RedisClient> {
    if (this.subscriber === undefined) {
      const opening = runStoreOperation('subscribe', async () => {
        const connection = await duplicateConnection(this.client);
        connection.on('message', (channel: string, message: string) => this.deliver(channel, message));
        connection.on('error', (error: Error) => this.log().debug({ err: error.message }, 'room change subscriber error'));
        await connection.subscribe(this.channel);
        return connection;
      });
      this.subscriber = opening;
      opening.catch(() => {
        if (this.subscriber === opening) this.subscriber = undefined;
      });
    }
    return this.subscriber;
  }

  private deliver(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let change: RoomChange;
    try {
      change = JSON.parse(message) as RoomChange;
    } catch {
      this.log().warn({ channel }, 'ignored an unreadable room change notification');
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log().error({ err: error, room: change.code }, 'a room change listener threw');
      }
    }
  }

  private log(): Logger {
    return this.settings.logger;
  }

  private async index(code: string, expiresAt: number): Promise<void> {
    await this.command('index', code, () => INDEX_ROOM.run(this.client, [this.expiryKey, this.codesKey], [code, expiresAt]));
    this.rememberIndexed(code, expiresAt);
  }

  /**
   * Moves a room's index deadline past its new expiry, but only when the deadline this instance last wrote
   * falls short: then it writes the expiry plus a slack (a tenth of the TTL, at most a minute). So the index
   * costs one extra command per room per slack period instead of one per write, and count() may go on
   * counting a room for at most that slack after it expired.
   */
  private async refreshIndex(code: string, expiresAt: number, ttlMs: number): Promise<void> {
    if ((this.indexedUntil.get(code) ?? 0) >= expiresAt) return;
    const deadline = expiresAt + Math.min(Math.floor(ttlMs / 10), MAX_INDEX_SLACK_MS);
    await this.command('index', code, () => REFRESH_INDEX.run(this.client, [this.expiryKey], [code, deadline]));
    this.rememberIndexed(code, deadline);
  }

  private rememberIndexed(code: string, deadline: number): void {
    this.indexedUntil.delete(code);
    this.indexedUntil.set(code, deadline);
    if (this.indexedUntil.size > INDEX_CACHE_SIZE) {
      const oldest = this.indexedUntil.keys().next();
      if (!oldest.done) this.indexedUntil.delete(oldest.value);
    }
  }

  /** Runs a script on the room's key; CORRUPT replies and wrong-type keys become STORE_CORRUPTED. */
  private async script(operation: string, code: string, script: RedisScript, args: (string | number)[]): Promise<ScriptReply> {
    let reply: ScriptReply;
    try {
      reply = (await script.run(this.client, [this.roomKey(code)], args)) as ScriptReply;
    } catch (error) {
      throw this.storeError(error, operation, code);
    }
    if (reply[0] === 'CORRUPT') this.corrupted(code, String(reply[1]));
    return reply;
  }

  /** Runs one Redis call, mapping outages to STORE_UNAVAILABLE and wrong-type keys to STORE_CORRUPTED. */
  private async command<T>(operation: string, code: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.storeError(error, operation, code);
    }
  }

  private storeError(error: unknown, operation: string, code: string): unknown {
    if (error instanceof Error && error.message.includes('WRONGTYPE')) this.corrupted(code, 'the key holds another Redis type');
    return toStoreError(error, `room.${operation}`);
  }

  private corrupted(code: string, reason: string): never {
    const key = this.roomKey(code);
    throw new StoreCorruptedError(`stored room ${key} cannot be read: ${reason}`, { key, reason });
  }
}

function refusal(reply: ScriptReply): Exclude<WriteOutcome, { status: 'OK' }> {
  switch (reply[0]) {
    case 'NOT_FOUND':
      return { status: 'NOT_FOUND' };
    case 'CONFLICT':
      return { status: 'CONFLICT', version: Number(reply[1]) };
    case 'LEASE_LOST':
      return { status: 'LEASE_LOST', fence: Number(reply[1]) };
    default:
      throw new Error(`unexpected reply from a room script: ${JSON.stringify(reply)}`);
  }
}
