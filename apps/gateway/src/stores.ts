import type { Logger } from '@gamebuddies/core';
import { connectRedis } from '@gamebuddies/redis-connection';
import { MemoryRoomStore, RedisRoomStore, type RoomStore } from '@gamebuddies/room-store';
import { MemorySessionStore, RedisSessionStore, type SessionStore } from '@gamebuddies/session-store';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config';

/** The stores the gateway runs on, and how to let go of them. */
export interface GatewayStores {
  roomStore: RoomStore;
  sessionStore: SessionStore;
  /** The Redis connection, when REDIS_URL is set. */
  redis: Redis | undefined;
  backend: 'memory' | 'redis';
  close(): Promise<void>;
}

/** In memory when REDIS_URL is unset (one process, nothing to run); on Redis when it is set. */
export async function openStores(config: GatewayConfig, logger: Logger): Promise<GatewayStores> {
  const common = { instanceId: config.nodeId, logger };
  if (config.redisUrl === undefined) {
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
  const redis = await connectRedis(config.redisUrl);
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection error'));
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
