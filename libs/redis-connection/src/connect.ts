import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '@gamebuddies/core';

/** A connection the Redis stores accept: a single node (or a Sentinel-managed master) or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** How the stores expect a Redis connection to behave when Redis is slow or gone. */
export interface RedisConnectionSettings {
  /** Longest wait for one command's answer before it fails with STORE_UNAVAILABLE (default 2000 ms). */
  commandTimeoutMs?: number;
  /** Longest wait for a (re)connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Upper bound of the growing delay between reconnection attempts (default 1000 ms). */
  maxReconnectDelayMs?: number;
}

/**
 * The ioredis options the stores rely on. The offline queue is off: while Redis is unreachable a command fails
 * at once with STORE_UNAVAILABLE (outcome `not-applied`) instead of waiting, and is never replayed later
 * behind the caller's back. Reconnection goes on forever with a capped delay.
 */
export function storeRedisOptions(settings: RedisConnectionSettings = {}): RedisOptions {
  const maxDelay = settings.maxReconnectDelayMs ?? 1000;
  return {
    enableOfflineQueue: false,
    commandTimeout: settings.commandTimeoutMs ?? 2000,
    connectTimeout: settings.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 1,
    autoResubscribe: true,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, maxDelay),
    lazyConnect: true,
  };
}

/**
 * Opens a connection to a single Redis (or a master found through Sentinel, when `redisOptions` names
 * `sentinels`) and resolves once it is ready.
 * @throws StoreUnavailableError when it is not ready within the connect timeout.
 */
export async function connectRedis(url: string | undefined, settings: RedisConnectionSettings = {}, redisOptions: RedisOptions = {}): Promise<Redis> {
  const options = { ...storeRedisOptions(settings), ...redisOptions };
  const client = url === undefined ? new Redis(options) : new Redis(url, options);
  await openOrClose(client, settings.connectTimeoutMs ?? 5000);
  return client;
}

/**
 * Opens a connection to a Redis Cluster and resolves once it is ready.
 * @throws StoreUnavailableError when it is not ready within the connect timeout.
 */
export async function connectRedisCluster(nodes: ClusterNode[], settings: RedisConnectionSettings = {}): Promise<Cluster> {
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    lazyConnect: true,
    clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, settings.maxReconnectDelayMs ?? 1000),
    redisOptions: storeRedisOptions(settings),
  });
  await openOrClose(client, settings.connectTimeoutMs ?? 5000);
  return client;
}

/** Opens a connection this module created; on failure closes it, so no reconnect loop is left behind. */
async function openOrClose(client: RedisClient, timeoutMs: number): Promise<void> {
  try {
    await openConnection(client, timeoutMs);
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

/**
 * Makes a second connection with the same settings (for SUBSCRIBE, which takes a connection over) and resolves
 * once it is ready.
 * @throws StoreUnavailableError when it is not ready within `timeoutMs`.
 */
export async function duplicateConnection(client: RedisClient, timeoutMs = 5000): Promise<RedisClient> {
  const copy: RedisClient = client instanceof Cluster ? client.duplicate() : client.duplicate();
  await openOrClose(copy, timeoutMs);
  return copy;
}

/** Connects a lazily created client (if it is not yet connecting) and waits until it is ready. */
export async function openConnection(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    // connect() rejects on the first failure while ioredis keeps retrying; waitUntilReady decides.
    client.connect().catch(() => undefined);
  }
  await waitUntilReady(client, timeoutMs);
}

/**
 * Resolves when the client reports `ready`.
 * @throws StoreUnavailableError after `timeoutMs`, or at once if the client was closed for good.
 */
export function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
    };
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const onEnd = (): void => {
      cleanup();
      reject(new StoreUnavailableError('the Redis connection was closed', { operation: 'connect', outcome: 'not-applied' }));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new StoreUnavailableError(`Redis was not ready within ${timeoutMs} ms`, { operation: 'connect', outcome: 'not-applied' }));
    }, timeoutMs);
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}
