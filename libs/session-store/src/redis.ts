import { InvalidArgumentError } from '@gamebuddies/core';
import {
  DEFAULT_KEY_PREFIX,
  runStoreOperation,
  validateKeyPrefix,
  type RedisClient,
  type RedisScript,
} from '@gamebuddies/redis-connection';
import { COUNT_SESSIONS, CREATE_SESSION, DESTROY_SESSION, MIGRATE_SESSION, SWEEP_INDEX, WRITE_SESSION } from './redis-scripts';
import { corruptedSession, SESSION_SCHEMA_VERSION, type NewSessionFields } from './session-fields';
import { SessionStoreBase, type InsertOutcome, type SessionWrite, type WriteOutcome } from './session-store-base';
import type { SessionStoreOptions } from './store-options';

/** Settings of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends SessionStoreOptions {
  /**
   * The connection to use, shared with the caller, who also closes it. Make it with `connectRedis` or
   * `connectRedisCluster` from `@gamebuddies/redis-connection` so that an outage fails fast and no command is
   * ever sent twice.
   */
  client: RedisClient;
  /** Prepended to every key (default `gb:`); stores with other prefixes never meet. */
  keyPrefix?: string;
  /**
   * Whether a token that finds no session also looks for one stored by a version of this library before the
   * buckets (schema 1, at `<prefix>session:{<sha256>}`) and moves it into its bucket (default true). Turn it off
   * once every such session has expired (at most `MAX_SESSION_TTL_MS` after the upgrade): it saves a round trip
   * per unknown token and per destroy.
   */
  readLegacyKeys?: boolean;
}

/** The hex digits that name the 16 buckets: the first digit of a token's SHA-256. */
const BUCKETS = '0123456789abcdef'.split('');
/** Expired index entries a create prunes from its bucket, so that busy stores stay clean between sweeps. */
const PRUNE_ON_CREATE = 16;
/** Most sweep steps on one index per sweep, so one sweep's work is bounded even with a huge backlog. */
const MAX_SWEEP_STEPS_PER_INDEX = 100;

type ScriptReply = [string, ...unknown[]];

/**
 * The Redis session store: many gateway processes share it. A session is one hash under the SHA-256 of its
 * token, with a TTL (PEXPIREAT) that every write slides; sessions are spread over 16 buckets, each a Redis
 * Cluster hash tag shared by its sessions and its index (a sorted set by expiry, behind `count()`). Every call
 * is one Lua script on a session and its bucket's index, so a session and its index entry are written together
 * or not at all.
 */
export class RedisSessionStore extends SessionStoreBase {
  private readonly client: RedisClient;
  private readonly keyPrefix: string;
  private readonly readsLegacyKeys: boolean;

  /** @throws InvalidArgumentError listing every bad setting, the key prefix and connection included. */
  constructor(options: RedisSessionStoreOptions) {
    super(options, redisOptionProblems(options));
    this.client = options.client;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.readsLegacyKeys = options.readLegacyKeys ?? true;
    this.startSweeping();
  }

  /** The Redis key of a session's hash, given `hashSessionToken(token)`: `<prefix>session:{sessions:<b>}:<sha256>`. */
  sessionKey(tokenHash: string): string {
    return `${this.keyPrefix}session:{sessions:${bucketOf(tokenHash)}}:${tokenHash}`;
  }

  /** The Redis key of the index of a session's bucket, given `hashSessionToken(token)`: `<prefix>{sessions:<b>}:expiry`. */
  indexKey(tokenHash: string): string {
    return this.bucketIndexKey(bucketOf(tokenHash));
  }

  /** Where a session was kept before the buckets (schema 1): `<prefix>session:{<sha256>}`. */
  legacySessionKey(tokenHash: string): string {
    return `${this.keyPrefix}session:{${tokenHash}}`;
  }

  /** The index sessions had before the buckets: `<prefix>{sessions}:expiry`. */
  get legacyIndexKey(): string {
    return `${this.keyPrefix}{sessions}:expiry`;
  }

  protected describeKey(tokenHash: string): string {
    return this.sessionKey(tokenHash);
  }

  protected async insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number, isCallerToken: boolean): Promise<InsertOutcome> {
    const reply = await this.run('create', CREATE_SESSION, tokenHash, [
      SESSION_SCHEMA_VERSION, tokenHash, fields.sessionId, fields.playerId, fields.displayName, fields.data, ttlMs,
      fields.createRequest, isCallerToken ? '1' : '', PRUNE_ON_CREATE,
    ]);
    if (reply[0] === 'TAKEN') return { status: 'taken' };
    return { status: reply[0] === 'EXISTING' ? 'existing' : 'created', fields: fieldsFromPairs(reply[1]) };
  }

  protected async readSession(tokenHash: string): Promise<Record<string, string> | null> {
    const key = this.sessionKey(tokenHash);
    const fields = await this.command('get', key, () => this.client.hgetall(key));
    if (Object.keys(fields).length > 0) return fields;
    if (!(await this.migrateLegacy('get', tokenHash))) return null;
    const moved = await this.command('get', key, () => this.client.hgetall(key));
    return Object.keys(moved).length === 0 ? null : moved;
  }

  protected async writeSession(tokenHash: string, write: SessionWrite): Promise<WriteOutcome> {
    const outcome = await this.writeOnce(tokenHash, write);
    if (outcome.status !== 'not-found' || !(await this.migrateLegacy('write', tokenHash))) return outcome;
    return this.writeOnce(tokenHash, write);
  }

  protected async removeSession(tokenHash: string): Promise<boolean> {
    const reply = await this.run('destroy', DESTROY_SESSION, tokenHash, [tokenHash]);
    const isRemoved = Number(reply[1]) === 1;
    if (!this.readsLegacyKeys) return isRemoved;
    const [legacyRemoved] = await this.removeLegacy('destroy', tokenHash);
    return isRemoved || legacyRemoved === 1;
  }

  protected async countSessions(): Promise<number> {
    const counts = await Promise.all(
      this.indexKeys().map((key) => this.command('count', key, () => COUNT_SESSIONS.run(this.client, [key], []))),
    );
    return counts.reduce<number>((sum, count) => sum + Number(count), 0);
  }

  protected async sweepExpired(batchSize: number): Promise<number> {
    let removed = 0;
    for (const key of this.indexKeys()) {
      for (let step = 0; step < MAX_SWEEP_STEPS_PER_INDEX; step++) {
        const count = Number(await this.command('sweep', key, () => SWEEP_INDEX.run(this.client, [key], [batchSize])));
        removed += count;
        if (count < batchSize) break;
      }
    }
    return removed;
  }

  private async writeOnce(tokenHash: string, write: SessionWrite): Promise<WriteOutcome> {
    const condition = write.ifRoomIs === undefined ? ['', ''] : ['room', write.ifRoomIs];
    const reply = await this.run('write', WRITE_SESSION, tokenHash, [
      SESSION_SCHEMA_VERSION, tokenHash, write.ttlMs ?? '', ...condition, write.onMismatch, ...Object.entries(write.changes).flat(),
    ]);
    switch (reply[0]) {
      case 'NOT_FOUND':
        return { status: 'not-found' };
      case 'CONFLICT':
        return { status: 'conflict', roomCode: String(reply[1]), roomBoundAt: String(reply[2]) };
      case 'UNCHANGED':
        return { status: 'unchanged', fields: fieldsFromPairs(reply[1]) };
      default:
        return { status: 'written', fields: fieldsFromPairs(reply[1]) };
    }
  }

  /**
   * Moves a session stored before the buckets into its bucket (when `readLegacyKeys` is on and there is one),
   * then deletes the old key and its old index entry. True when the session now lives in its bucket.
   * @throws StoreCorruptedError naming the old key when the old record is damaged.
   */
  private async migrateLegacy(operation: string, tokenHash: string): Promise<boolean> {
    if (!this.readsLegacyKeys) return false;
    const legacyKey = this.legacySessionKey(tokenHash);
    const old = await this.command(operation, legacyKey, () => this.client.hgetall(legacyKey));
    if (Object.keys(old).length === 0) return false;
    const reply = await this.run(operation, MIGRATE_SESSION, tokenHash, [SESSION_SCHEMA_VERSION, tokenHash, ...Object.entries(old).flat()], legacyKey);
    // The new key is read first from now on; a failure here leaves only a copy that expires by its own TTL.
    await this.removeLegacy(operation, tokenHash);
    return reply[0] !== 'EXPIRED';
  }

  /** Deletes a session's old key and old index entry; resolves with what DEL and ZREM answered. */
  private removeLegacy(operation: string, tokenHash: string): Promise<[number, number]> {
    const legacyKey = this.legacySessionKey(tokenHash);
    return Promise.all([
      this.command(operation, legacyKey, () => this.client.del(legacyKey)),
      this.command(operation, this.legacyIndexKey, () => this.client.zrem(this.legacyIndexKey, tokenHash)),
    ]);
  }

  private bucketIndexKey(bucket: string): string {
    return `${this.keyPrefix}{sessions:${bucket}}:expiry`;
  }

  /** Every index to count and sweep: the buckets', and the old one while old keys are read. */
  private indexKeys(): string[] {
    const keys = BUCKETS.map((bucket) => this.bucketIndexKey(bucket));
    return this.readsLegacyKeys ? [...keys, this.legacyIndexKey] : keys;
  }

  /**
   * Runs a script on a session's key and its bucket's index; a CORRUPT reply becomes STORE_CORRUPTED naming the
   * key it names, or `recordKey` (default the session's key) when it names none.
   */
  private async run(operation: string, script: RedisScript, tokenHash: string, args: (string | number)[], recordKey?: string): Promise<ScriptReply> {
    const keys = [this.sessionKey(tokenHash), this.indexKey(tokenHash)];
    const reply = (await this.command(operation, keys[0] as string, () => script.run(this.client, keys, args))) as ScriptReply;
    if (reply[0] === 'CORRUPT') {
      const field = String(reply[2]);
      corruptedSession(String(reply[1]) || (recordKey ?? (keys[0] as string)), String(reply[3]), field === '' ? undefined : field);
    }
    return reply;
  }

  /** Runs one Redis call, mapping outages to STORE_UNAVAILABLE and wrong-type keys to STORE_CORRUPTED. */
  private async command<T>(operation: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await runStoreOperation(`session.${operation}`, fn);
    } catch (error) {
      if (error instanceof Error && error.message.includes('WRONGTYPE')) corruptedSession(key, 'the key holds another Redis type');
      throw error;
    }
  }
}

/** A token hash's bucket: its first hex digit. */
function bucketOf(tokenHash: string): string {
  return tokenHash.charAt(0);
}

/** What is wrong with the Redis-specific settings, as messages for the one error the constructor throws. */
function redisOptionProblems(options: RedisSessionStoreOptions): string[] {
  const problems: string[] = [];
  const client: unknown = options.client;
  if (typeof client !== 'object' || client === null || typeof (client as { evalsha?: unknown }).evalsha !== 'function') {
    problems.push('client must be an ioredis connection (see connectRedis)');
  }
  try {
    validateKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    problems.push(error.message);
  }
  if (options.readLegacyKeys !== undefined && typeof options.readLegacyKeys !== 'boolean') problems.push('readLegacyKeys must be a boolean');
  return problems;
}

/** Turns the flat `[field, value, field, value, …]` reply of HGETALL inside a script into a map. */
function fieldsFromPairs(pairs: unknown): Record<string, string> {
  const flat = pairs as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return fields;
}
