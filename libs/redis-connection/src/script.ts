import { createHash } from 'node:crypto';
import type { RedisClient } from './connect';

/** Lua helpers every script may use: `now_ms()` reads the Redis server's clock, `int(n)` formats an integer. */
export const LUA_PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(n)
  return string.format('%d', n)
end
`;

/**
 * A Lua script run atomically by Redis: sent once by SHA (EVALSHA) and again in full only when the server
 * does not know it (after a restart or failover). Every key it touches must be named in `keys`, and in a
 * Redis Cluster they must share one hash slot.
 */
export class RedisScript {
  /** The full script text, prelude included. */
  readonly source: string;
  /** The SHA-1 of `source`, by which EVALSHA names the script. */
  readonly sha: string;

  constructor(
    /** A name for errors and metrics. */
    readonly name: string,
    body: string,
  ) {
    this.source = LUA_PRELUDE + body;
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  /** Runs the script; rejects with the raw ioredis error (map it with `toStoreError`). */
  run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return client.evalsha(this.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    });
  }
}
