import { InvalidArgumentError } from '@gamebuddies/core';
import {
  DEFAULT_KEY_PREFIX,
  runStoreOperation,
  validateKeyPrefix,
  type RedisClient,
  type RedisScript,
} from '@gamebuddies/redis-connection';
import { COUNT_SESSIONS, CREATE_SESSION, WRITE_SESSION } from './redis-scripts';
import { corruptedSession, SESSION_SCHEMA_VERSION, type NewSessionFields, type SessionChanges } from './session-fields';
import { SessionStoreBase } from './session-store-base';
import type { SessionStoreOptions } from './store-options';

/** Settings of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends SessionStoreOptions {
  /**
   * The connection to use, shared with the caller, who also closes it. Make it with `connectRedis` or
   * `connectRedisCluster` from `@gamebuddies/redis-connection` so that an outage fails fast.
   */
  client: RedisClient;
  /** Prepended to every key (default `gb:`); stores with other prefixes never meet. */
  keyPrefix?: string;
}

type ScriptReply = [string, ...unknown[]];

/**
 * The Redis session store: many gateway processes share it. A session is one hash under the SHA-256 of its
 * token, with a TTL (PEXPIREAT) that every write slides; every read-modify-write is one Lua script on that
 * key. A sorted set by expiry counts live sessions without KEYS.
 */
export class RedisSessionStore extends SessionStoreBase {
  private readonly client: RedisClient;
  private readonly keyPrefix: string;
  private readonly expiryKey: string;

  /** @throws InvalidArgumentError listing every bad setting, the key prefix and connection included. */
  constructor(options: RedisSessionStoreOptions) {
    super(options, redisOptionProblems(options));
    this.client = options.client;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.expiryKey = `${this.keyPrefix}{sessions}:expiry`;
  }

  /** The Redis key of a session's hash, given `hashSessionToken(token)`. */
  sessionKey(tokenHash: string): string {
    return `${this.keyPrefix}session:{${tokenHash}}`;
  }

  protected describeKey(tokenHash: string): string {
    return this.sessionKey(tokenHash);
  }

  protected async insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number): Promise<Record<string, string> | null> {
    const reply = await this.script('create', tokenHash, CREATE_SESSION, [
      SESSION_SCHEMA_VERSION, fields.sessionId, fields.playerId, fields.displayName, fields.data, ttlMs,
    ]);
    return reply[0] === 'TAKEN' ? null : this.indexed(tokenHash, reply, 'create');
  }

  protected async readSession(tokenHash: string): Promise<Record<string, string> | null> {
    const fields = await this.command('get', this.sessionKey(tokenHash), () => this.client.hgetall(this.sessionKey(tokenHash)));
    return Object.keys(fields).length === 0 ? null : fields;
  }

  protected async writeSession(tokenHash: string, changes: SessionChanges, ttlMs: number | undefined): Promise<Record<string, string> | null> {
    const pairs = Object.entries(changes).flat();
    const reply = await this.script('write', tokenHash, WRITE_SESSION, [SESSION_SCHEMA_VERSION, ttlMs ?? '', ...pairs]);
    return reply[0] === 'NOT_FOUND' ? null : this.indexed(tokenHash, reply, 'write');
  }

  protected async removeSession(tokenHash: string): Promise<boolean> {
    const removed = await this.command('destroy', this.sessionKey(tokenHash), () => this.client.del(this.sessionKey(tokenHash)));
    await this.command('destroy', this.expiryKey, () => this.client.zrem(this.expiryKey, tokenHash));
    return removed === 1;
  }

  protected async countSessions(): Promise<number> {
    return Number(await this.command('count', this.expiryKey, () => COUNT_SESSIONS.run(this.client, [this.expiryKey], [])));
  }

  /**
   * Records the expiry of a session a script just wrote (its reply's fields) in the index; returns the fields.
   * A create adds the entry. A write only moves an entry still there (XX), and only later (GT): a write that
   * raced a destroy cannot bring a destroyed session back into the count, nor a stale write shorten it.
   */
  private async indexed(tokenHash: string, reply: ScriptReply, step: 'create' | 'write'): Promise<Record<string, string>> {
    const fields = fieldsFromPairs(reply[1] as string[]);
    const expiresAt = Number(fields['expiresAt']);
    await this.command(step, this.expiryKey, () =>
      step === 'create'
        ? this.client.zadd(this.expiryKey, expiresAt, tokenHash)
        : this.client.zadd(this.expiryKey, 'XX', 'GT', expiresAt, tokenHash),
    );
    return fields;
  }

  /** Runs a script on the session's key; CORRUPT replies and wrong-type keys become STORE_CORRUPTED. */
  private async script(operation: string, tokenHash: string, script: RedisScript, args: (string | number)[]): Promise<ScriptReply> {
    const key = this.sessionKey(tokenHash);
    const reply = (await this.command(operation, key, () => script.run(this.client, [key], args))) as ScriptReply;
    if (reply[0] === 'CORRUPT') corruptedSession(key, String(reply[1]));
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
  return problems;
}

/** Turns the flat `[field, value, field, value, …]` reply of HGETALL inside a script into a map. */
function fieldsFromPairs(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) fields[pairs[i] as string] = pairs[i + 1] as string;
  return fields;
}
