import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { StoreUnavailableError, type Logger } from '@gamebuddies/core';
import { connectionLogSettingsOf, watchStoreClient } from './connection-events';

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
  /**
   * Where the connection's errors (refused, reset, timed out while reconnecting) are logged (default: nowhere).
   * Lines are rate-limited per client, see `errorLogIntervalMs`.
   */
  logger?: Logger;
  /** Least time between two logged connection errors of one client (default 10 s); the ones in between are counted. */
  errorLogIntervalMs?: number;
}

/**
 * The ioredis options the stores rely on. No command is ever sent twice: the offline queue is off (while Redis
 * is unreachable a command fails at once with STORE_UNAVAILABLE, outcome `not-applied`, instead of waiting to be
 * replayed behind the caller's back), and a command whose connection closed before its reply is not re-sent
 * after the reconnect (`autoResendUnfulfilledCommands: false`; it fails with outcome `unknown`). Reconnection
 * goes on forever with a capped delay.
 */
export function storeRedisOptions(settings: RedisConnectionSettings = {}): RedisOptions {
  const maxDelay = settings.maxReconnectDelayMs ?? 1000;
  return {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: settings.commandTimeoutMs ?? 2000,
    connectTimeout: settings.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 1,
    autoResubscribe: true,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, maxDelay),
    lazyConnect: true,
  };
}

/**
 * The ioredis Cluster options the stores rely on: those of {@link storeRedisOptions} for every node
 * (`autoResendUnfulfilledCommands: false`; ioredis itself gives node connections an offline queue and no
 * reconnection, a lost node being found again through MOVED), and no offline queue for the Cluster. A command
 * sent to a node whose connection then closes fails with `ReplyLostError` (see `watchStoreClient`), which the
 * Cluster does not retry; redirections, TRYAGAIN, CLUSTERDOWN and "Connection is closed." for a node not yet
 * connected (none of which ran the command) are retried as ioredis does.
 */
export function storeClusterOptions(settings: RedisConnectionSettings = {}): ClusterOptions {
  return {
    enableOfflineQueue: false,
    lazyConnect: true,
    clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, settings.maxReconnectDelayMs ?? 1000),
    redisOptions: storeRedisOptions(settings),
  };
}

/**
 * Opens a connection to a single Redis (or a master found through Sentinel, when `redisOptions` names
 * `sentinels`) and resolves once it is ready. Its errors are logged through `settings.logger`, rate-limited.
 * @throws StoreUnavailableError when it is not ready within the connect timeout.
 */
export async function connectRedis(url: string | undefined, settings: RedisConnectionSettings = {}, redisOptions: RedisOptions = {}): Promise<Redis> {
  const options = { ...storeRedisOptions(settings), ...redisOptions };
  const client = url === undefined ? new Redis(options) : new Redis(url, options);
  watchStoreClient(client, settings);
  await openOrClose(client, settings.connectTimeoutMs ?? 5000);
  return client;
}

/**
 * Opens a connection to a Redis Cluster (with {@link storeClusterOptions}) and resolves once it is ready. Its
 * errors and its nodes' are logged through `settings.logger`, rate-limited.
 * @throws StoreUnavailableError when it is not ready within the connect timeout.
 */
export async function connectRedisCluster(nodes: ClusterNode[], settings: RedisConnectionSettings = {}): Promise<Cluster> {
  const client = new Cluster(nodes, storeClusterOptions(settings));
  watchStoreClient(client, settings);
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
 * once it is ready. Its errors are logged like the original's (when this module made or watched it), or through
 * `logger` when given.
 * @throws StoreUnavailableError when it is not ready within `timeoutMs`.
 */
export async function duplicateConnection(client: RedisClient, timeoutMs = 5000, logger?: Logger): Promise<RedisClient> {
  const copy: RedisClient = client instanceof Cluster ? client.duplicate() : client.duplicate();
  const inherited = connectionLogSettingsOf(client);
  watchStoreClient(copy, { ...inherited, ...(logger === undefined ? {} : { logger }) });
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
