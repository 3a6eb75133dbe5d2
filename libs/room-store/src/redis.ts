import { CoreErrorCode, isGameBuddiesError, type Logger } from '@gamebuddies/core';
import {
  DEFAULT_KEY_PREFIX,
  duplicateConnection,
  runStoreOperation,
  toStoreError,
  validateKeyPrefix,
  type RedisClient,
  type RedisScript,
} from '@gamebuddies/redis-connection';
import { roomCorrupted } from './errors';
import { CONTENT_FIELDS, contentSum, fieldsFromPairs } from './room-fields';
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
import type { RoomChange, RoomSubscription } from './room-store';
import {
  ACQUIRE_LEASE,
  CLAIM_REQUEST,
  COUNT_ROOMS,
  CREATE_ROOM,
  DELETE_ROOM,
  EXPIRED_CANDIDATES,
  INDEX_ROOM,
  LIST_ROOMS,
  RELEASE_LEASE,
  RENEW_LEASE,
  SWEEP_INDEX,
  TOUCH_ROOM,
  UNINDEX_GONE,
  UNINDEX_ROOMS,
  UPDATE_ROOM,
} from './redis-scripts';
import type { RoomStoreOptions } from './store-options';

/** Settings of {@link RedisRoomStore}. */
export interface RedisRoomStoreOptions extends RoomStoreOptions {
  /**
   * The connection to use, shared with the caller, who also closes it. Make it with `connectRedis` or
   * `connectRedisCluster` from `@gamebuddies/redis-connection` so that an outage fails fast and no command is
   * ever sent twice.
   */
  client: RedisClient;
  /** Prepended to every key and channel (default `gb:`); stores with other prefixes never meet. */
  keyPrefix?: string;
}

type ScriptReply = unknown[];

/** Cluster only: longest time count() may go on counting a room after it expired (see refreshIndex). */
const MAX_INDEX_SLACK_MS = 60_000;
/** Cluster only: how many rooms' index deadlines one instance remembers. */
const INDEX_CACHE_SIZE = 10_000;

/**
 * The Redis room store: many gateway processes share it. Every read-modify-write is one Lua script on the
 * room's own key; notifications go out on `<prefix>room-changes` from inside those scripts, so a change is
 * announced exactly when it is stored. Subscriptions use a second connection of their own.
 *
 * On a single Redis (or one found through Sentinel) the index behind `count()` and `list()` changes in the same
 * script as the room. On a Redis Cluster the room and the index live in different slots, so the index follows
 * in a step of its own: a hint that the sweep and `list()` check against the rooms.
 */
export class RedisRoomStore extends RoomStoreBase {
  private readonly client: RedisClient;
  private readonly keyPrefix: string;
  private readonly channel: string;
  private readonly expiryKey: string;
  private readonly codesKey: string;
  /** True unless the client is a Cluster: room and index then change in one script. */
  private readonly isIndexAtomic: boolean;
  private readonly listeners = new Set<(change: RoomChange) => void>();
  private subscriber: Promise<RedisClient> | undefined;
  /** Cluster only: index deadlines this instance wrote recently, by room code (bounded, oldest dropped first). */
  private readonly indexedUntil = new Map<string, number>();

  constructor(options: RedisRoomStoreOptions) {
    super(options);
    this.client = options.client;
    this.keyPrefix = validateKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.channel = `${this.keyPrefix}room-changes`;
    this.expiryKey = `${this.keyPrefix}{rooms}:expiry`;
    this.codesKey = `${this.keyPrefix}{rooms}:codes`;
    this.isIndexAtomic = options.client.isCluster !== true;
  }

  /** The Redis key of a room's hash. */
  roomKey(code: string): string {
    return `${this.keyPrefix}room:{${code}}`;
  }

  /** The Redis key remembering which room a create's requestId made (in the index's slot). */
  requestKey(requestId: string): string {
    return `${this.keyPrefix}{rooms}:request:${requestId}`;
  }

  protected describeKey(code: string): string {
    return this.roomKey(code);
  }

  protected async insertRoom(code: string, content: NewRoomContent, ttlMs: number, request: CreateRequest): Promise<InsertOutcome> {
    const args = (follow: boolean): (string | number)[] => [
      this.channel, code, content.gameId, content.options, content.state, ttlMs, this.instanceId, request.requestId, follow ? '1' : '0',
      contentSum(content.options), contentSum(content.state),
    ];
    const requestKey = this.requestKey(request.requestId);
    if (this.isIndexAtomic) {
      const reply = await this.run('create', CREATE_ROOM, [this.roomKey(code), this.expiryKey, this.codesKey, requestKey], args(request.followMapping));
      return insertOutcome(reply, requestKey);
    }
    // Cluster: remember the code for this requestId first, so a create retried after a lost reply finds it.
    const claim = await this.run('create', CLAIM_REQUEST, [this.expiryKey, this.codesKey, requestKey], [code, request.followMapping ? '1' : '0', ttlMs]);
    if (claim[0] === 'ELSEWHERE') return { status: 'ELSEWHERE', code: String(claim[1]), key: requestKey };
    const outcome = insertOutcome(await this.run('create', CREATE_ROOM, [this.roomKey(code)], args(false)), requestKey);
    if (outcome.status === 'OK') await this.indexHint(code, outcome.createdAt + ttlMs, ttlMs);
    if (outcome.status === 'REPLAY') await this.indexHint(code, Number(outcome.fields['expiresAt']), ttlMs);
    return outcome;
  }

  protected async readRoom(code: string): Promise<Record<string, string> | null> {
    const key = this.roomKey(code);
    const fields = await this.command('get', key, () => this.client.hgetall(key));
    return Object.keys(fields).length === 0 ? null : fields;
  }

  protected async writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number, writeId: string, notice: string): Promise<WriteOutcome> {
    const args: (string | number)[] = [
      this.channel, code, conditions.expectedVersion ?? '', conditions.fencingToken ?? '', ttlMs, this.instanceId, writeId, notice,
    ];
    for (const name of CONTENT_FIELDS) {
      const text = content[name];
      if (text !== undefined) args.push(name, text, contentSum(text));
    }
    const reply = await this.run('update', UPDATE_ROOM, this.roomKeys(code), args);
    if (reply[0] !== 'OK') return refusal(reply);
    const expiresAt = Number(reply[3]);
    if (!this.isIndexAtomic) await this.refreshIndex(code, expiresAt, ttlMs);
    return { status: 'OK', version: Number(reply[1]), updatedAt: Number(reply[2]), expiresAt };
  }

  protected async removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome> {
    const reply = await this.run('delete', DELETE_ROOM, this.roomKeys(code), [
      this.channel, code, conditions.expectedVersion ?? '', conditions.fencingToken ?? '', this.instanceId,
    ]);
    if (reply[0] !== 'OK') return refusal(reply);
    if (!this.isIndexAtomic) await this.unindexHint([code]);
    return { status: 'OK' };
  }

  protected async touchRoom(code: string, ttlMs: number): Promise<number | null> {
    const reply = await this.run('touch', TOUCH_ROOM, this.roomKeys(code), [code, ttlMs]);
    if (reply[0] === 'NOT_FOUND') return null;
    const expiresAt = Number(reply[1]);
    if (!this.isIndexAtomic) await this.refreshIndex(code, expiresAt, ttlMs);
    return expiresAt;
  }

  protected async countRooms(): Promise<number> {
    const reply = await this.run('count', COUNT_ROOMS, [this.expiryKey, this.codesKey], []);
    return Number(reply[1]);
  }

  protected async listRooms(cursor: string, limit: number): Promise<{ rooms: ListedRoom[]; isExhausted: boolean; last: string }> {
    const reply = await this.run('list', LIST_ROOMS, [this.expiryKey, this.codesKey], [cursor, limit]);
    const isExhausted = Number(reply[1]) === 1;
    const last = String(reply[2]);
    const codes = reply.slice(3).map(String);
    const read = await Promise.all(codes.map((code) => this.readListed(code)));
    const rooms = read.filter((room): room is ListedRoom => room !== null);
    const vanished = codes.filter((_, i) => read[i] === null);
    // Gone behind the index's back (evicted, deleted by hand, or expired this instant): the sweep would drop
    // them when their deadline passes; dropping them now keeps the next count() in step with this page.
    if (vanished.length > 0) {
      if (this.isIndexAtomic) {
        await this.run('list', UNINDEX_GONE, [this.expiryKey, this.codesKey, ...vanished.map((code) => this.roomKey(code))], vanished);
      } else {
        await this.unindexHint(vanished);
      }
    }
    return { rooms, isExhausted, last };
  }

  protected async acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome> {
    const reply = await this.run('acquireLease', ACQUIRE_LEASE, [this.roomKey(code)], [code, nodeId, ttlMs]);
    if (reply[0] === 'NOT_FOUND') return { status: 'NOT_FOUND' };
    if (reply[0] === 'HELD') return { status: 'HELD', nodeId: String(reply[1]), token: Number(reply[2]), expiresAt: Number(reply[3]) };
    return { status: 'OK', token: Number(reply[1]), expiresAt: Number(reply[2]) };
  }

  protected async renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome> {
    const reply = await this.run('renewLease', RENEW_LEASE, [this.roomKey(code)], [code, nodeId, token, ttlMs]);
    if (reply[0] === 'NOT_FOUND') return { status: 'NOT_FOUND' };
    if (reply[0] === 'LEASE_LOST') return { status: 'LEASE_LOST', fence: Number(reply[1]) };
    return { status: 'OK', expiresAt: Number(reply[1]) };
  }

  protected async releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean> {
    const reply = await this.run('releaseLease', RELEASE_LEASE, [this.roomKey(code)], [code, nodeId, token]);
    return Number(reply[1]) === 1;
  }

  protected async sweepIndexStep(batch: number): Promise<number> {
    const indexKeys = [this.expiryKey, this.codesKey];
    if (this.isIndexAtomic) return Number((await this.run('sweep', SWEEP_INDEX, indexKeys, [batch]))[1]);
    // Cluster: a deadline may have passed while its room lives on (an index step that failed after a write),
    // so each candidate is checked against its room: gone ones are dropped, live ones get their real deadline.
    const candidates = (await this.run('sweep', EXPIRED_CANDIDATES, indexKeys, [batch])).slice(1).map(String);
    const expiries = await Promise.all(
      candidates.map((code) => this.command('sweep', this.roomKey(code), () => this.client.hget(this.roomKey(code), 'expiresAt'))),
    );
    const gone = candidates.filter((_, i) => expiries[i] === null);
    if (gone.length > 0) await this.run('sweep', UNINDEX_ROOMS, indexKeys, gone);
    await Promise.all(
      candidates.map((code, i) => {
        if (expiries[i] === null) return undefined;
        const expiresAt = Number(expiries[i]);
        // A damaged expiresAt is the room's business (its reads say so); the index just looks again later.
        const deadline = Number.isSafeInteger(expiresAt) ? expiresAt : Date.now() + MAX_INDEX_SLACK_MS;
        return this.run('sweep', INDEX_ROOM, indexKeys, [code, deadline]);
      }),
    );
    return candidates.length;
  }

  async subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription> {
    await this.ensureSubscriber();
    this.listeners.add(listener);
    return { unsubscribe: async () => void this.listeners.delete(listener) };
  }

  override async close(): Promise<void> {
    await super.close();
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) {
      const connection = await subscriber.catch(() => undefined);
      connection?.disconnect();
    }
  }

  /** The keys of a room script: the room, and on a single node the index after it. */
  private roomKeys(code: string): string[] {
    return this.isIndexAtomic ? [this.roomKey(code), this.expiryKey, this.codesKey] : [this.roomKey(code)];
  }

  /** A listed room's fields; its damage when the key is of another type; null when it is gone. */
  private async readListed(code: string): Promise<ListedRoom | null> {
    try {
      const fields = await this.readRoom(code);
      return fields === null ? null : { code, fields };
    } catch (error) {
      const details = (error as { details?: { key: string; field: string; reason: string } }).details;
      if (!isGameBuddiesError(error, CoreErrorCode.STORE_CORRUPTED) || details === undefined) throw error;
      return { code, damage: details };
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

  /**
   * Cluster only: moves a room's index deadline past its new expiry, but only when the deadline this instance
   * last wrote falls short: then it writes the expiry plus a slack (a tenth of the TTL, at most a minute). So
   * the index costs one extra command per room per slack period instead of one per write, and count() may go on
   * counting a room for at most that slack after it expired.
   */
  private async refreshIndex(code: string, expiresAt: number, ttlMs: number): Promise<void> {
    if ((this.indexedUntil.get(code) ?? 0) >= expiresAt) return;
    await this.indexHint(code, expiresAt + Math.min(Math.floor(ttlMs / 10), MAX_INDEX_SLACK_MS), ttlMs);
  }

  /**
   * Cluster only: records a room in the index after its own script applied. The room write stands whatever
   * happens here, so a failure is logged, not thrown (the call did apply): the next write, or the sweep, mends it.
   */
  private async indexHint(code: string, deadline: number, ttlMs: number): Promise<void> {
    try {
      await this.run('index', INDEX_ROOM, [this.expiryKey, this.codesKey], [code, deadline]);
      this.rememberIndexed(code, deadline);
    } catch (error) {
      this.indexedUntil.delete(code);
      this.log().warn({ err: error, room: code, ttlMs }, 'a room was written but its index entry was not; the next write or sweep mends it');
    }
  }

  /** Cluster only: drops deleted rooms from the index; on failure the sweep and list() drop them later. */
  private async unindexHint(codes: string[]): Promise<void> {
    for (const code of codes) this.indexedUntil.delete(code);
    try {
      await this.run('delete', UNINDEX_ROOMS, [this.expiryKey, this.codesKey], codes);
    } catch (error) {
      this.log().warn({ err: error, rooms: codes }, 'rooms were deleted but stay in the index until list() or the sweep meets them');
    }
  }

  private rememberIndexed(code: string, deadline: number): void {
    this.indexedUntil.delete(code);
    this.indexedUntil.set(code, deadline);
    if (this.indexedUntil.size > INDEX_CACHE_SIZE) {
      const oldest = this.indexedUntil.keys().next();
      if (!oldest.done) this.indexedUntil.delete(oldest.value);
    }
  }

  /** Runs a script; a CORRUPT reply becomes STORE_CORRUPTED naming the key (`keys[i - 1]`) and field. */
  private async run(operation: string, script: RedisScript, keys: string[], args: (string | number)[]): Promise<ScriptReply> {
    let reply: ScriptReply;
    try {
      reply = (await script.run(this.client, keys, args)) as ScriptReply;
    } catch (error) {
      throw storeError(error, operation, keys[0] ?? '');
    }
    if (reply[0] === 'CORRUPT') throw roomCorrupted(keys[Number(reply[1]) - 1] ?? String(keys), String(reply[2]), String(reply[3]));
    return reply;
  }

  /** Runs one Redis call on `key`, mapping outages to STORE_UNAVAILABLE and a wrong-type key to STORE_CORRUPTED. */
  private async command<T>(operation: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw storeError(error, operation, key);
    }
  }
}

function storeError(error: unknown, operation: string, key: string): unknown {
  if (error instanceof Error && error.message.includes('WRONGTYPE')) return roomCorrupted(key, 'type', 'the key holds another Redis type');
  return toStoreError(error, `room.${operation}`);
}

function insertOutcome(reply: ScriptReply, requestKey: string): InsertOutcome {
  switch (reply[0]) {
    case 'OK':
      return { status: 'OK', createdAt: Number(reply[1]) };
    case 'TAKEN':
      return { status: 'TAKEN' };
    case 'REPLAY':
      return { status: 'REPLAY', fields: fieldsFromPairs(reply.slice(1)) };
    case 'ELSEWHERE':
      return { status: 'ELSEWHERE', code: String(reply[1]), key: requestKey };
    default:
      throw new Error(`unexpected reply from the room create script: ${JSON.stringify(reply)}`);
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
