import type { Logger } from '@gamebuddies/core';
import { connectRedis, connectRedisCluster, type RedisClient } from '@gamebuddies/redis-connection';
import { MemoryRoomStore, RedisRoomStore, type RoomStore } from '@gamebuddies/room-store';
import { MemorySessionStore, RedisSessionStore, type SessionStore } from '@gamebuddies/session-store';
import { usesRedis, type GatewayConfig } from './config';

/** The stores the gateway runs on, and how to let go of them. */
export interface GatewayStores {
  roomStore: RoomStore;
  sessionStore: SessionStore;
  /** The Redis connection, when Redis is configured (single node, Sentinel or Cluster). */
  redis: RedisClient | undefined;
  backend: 'memory' | 'redis';
  close(): Promise<void>;
}

/** Connects to Redis as configured: a URL, a master found through Sentinel, or a Redis Cluster. */
export function connectConfiguredRedis(config: GatewayConfig, logger?: Logger): Promise<RedisClient> {
  // Connection errors are logged through the gateway's logger, at most one line per client per interval.
  const settings = logger === undefined ? {} : { logger };
  if (config.redisClusterNodes.length > 0) return connectRedisCluster(config.redisClusterNodes, settings);
  if (config.redisSentinels.length > 0) return connectRedis(undefined, settings, { sentinels: config.redisSentinels, name: config.redisSentinelName });
  return connectRedis(config.redisUrl, settings);
}

/** In memory when no Redis is configured (one process, nothing to run); on Redis otherwise. */
export async function openStores(config: GatewayConfig, logger: Logger): Promise<GatewayStores> {
  const common = { instanceId: config.nodeId, logger };
  if (!usesRedis(config)) {
    const roomStore = new MemoryRoomStore({ ...common, roomTtlMs: config.roomTtlMs });
    const sessionStore = new MemorySessionStore({ ...common, sessionTtlMs: config.sessionTtlMs });
    return {
      roomStore,
      sessionStore,
      redis: undefined,
      backend: 'memory',
      close: async () => {
        await Promise.all([roomStore.close(), sessionStore.close()]);
      },
    };
  }
  const redis = await connectConfiguredRedis(config, logger);
  const options = { ...common, client: redis, keyPrefix: config.redisKeyPrefix };
  const roomStore = new RedisRoomStore({ ...options, roomTtlMs: config.roomTtlMs });
  const sessionStore = new RedisSessionStore({ ...options, sessionTtlMs: config.sessionTtlMs });
  return {
    roomStore,
    sessionStore,
    redis,
    backend: 'redis',
    close: async () => {
      await Promise.all([roomStore.close(), sessionStore.close()]);
      redis.disconnect();
    },
  };
}
