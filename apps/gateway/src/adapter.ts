import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import { Redis } from 'ioredis';
import { createCluster } from 'redis';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config';

/** A Socket.IO adapter factory, with what closes its connections. */
export interface SocketAdapter {
  adapter: NonNullable<ServerOptions['adapter']>;
  close(): Promise<void>;
}

/**
 * The Socket.IO Redis adapter that carries every broadcast to the gateways sharing Redis:
 * - a single Redis or a Sentinel-managed master: the classic adapter (PUBLISH/SUBSCRIBE) on ioredis, which
 *   re-subscribes by itself after a reconnect (the Socket.IO docs note the `redis` package may not);
 * - a Redis Cluster: the sharded adapter (SPUBLISH/SSUBSCRIBE, Redis 7), which needs the `redis` package:
 *   ioredis cannot run it against a cluster.
 * Its connections keep ioredis's offline queue on: a broadcast made during a short Redis outage is sent when
 * Redis returns rather than failing the handler that made it.
 */
export async function createSocketAdapter(config: GatewayConfig, logger: Logger): Promise<SocketAdapter> {
  if (config.redisClusterNodes.length > 0) {
    const pub = createCluster({ rootNodes: config.redisClusterNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (error: Error) => logger.warn({ err: error.message }, 'socket.io adapter redis error'));
    await Promise.all([pub.connect(), sub.connect()]);
    handlePublishFailures(pub, 'sPublish', logger);
    return {
      adapter: createShardedAdapter(pub, sub, { channelPrefix: `${config.redisKeyPrefix}sio` }),
      close: async () => {
        await Promise.all([pub.quit().catch(() => undefined), sub.quit().catch(() => undefined)]);
      },
    };
  }
  const options = config.redisSentinels.length > 0 ? { sentinels: config.redisSentinels, name: config.redisSentinelName } : {};
  const pub = config.redisUrl !== undefined ? new Redis(config.redisUrl, { lazyConnect: true }) : new Redis({ ...options, lazyConnect: true });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (error: Error) => logger.warn({ err: error.message }, 'socket.io adapter redis error'));
  await Promise.all([pub.connect(), sub.connect()]);
  handlePublishFailures(pub, 'publish', logger);
  return {
    adapter: createAdapter(pub, sub, { key: `${config.redisKeyPrefix}sio` }),
    close: async () => {
      // QUIT lets the publishes already sent finish; a connection that is down is simply dropped.
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}

/**
 * The adapter publishes without waiting for or handling the answer, so a publish that fails (Redis restarted,
 * the connection closing at shutdown) would be an unhandled rejection, which the gateway treats as fatal.
 * Failed publishes are logged instead; the players miss that one push and resync on their next request.
 */
function handlePublishFailures(client: object, method: 'publish' | 'sPublish', logger: Logger): void {
  const send = Reflect.get(client, method) as (...args: unknown[]) => Promise<unknown>;
  Reflect.set(client, method, (...args: unknown[]): Promise<unknown> => {
    const sent = send.apply(client, args);
    sent.catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'a socket.io adapter publish failed'));
    return sent;
  });
}
