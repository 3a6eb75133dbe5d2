import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisConnections, startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisRoomStore } from './redis';
import { describeRoomStoreContract, type ContractStoreOptions, type RoomStoreTestBackend } from './testing';

/** The contract against a real redis-server started on a free port; each store gets its own connection. */
class RedisRoomStoreTestBackend implements RoomStoreTestBackend {
  private readonly connections: RedisConnections<Redis>;

  constructor(private readonly server: RedisServer) {
    this.connections = new RedisConnections(() => connectRedis(server.url, { commandTimeoutMs: 1000 }));
  }

  createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisRoomStore> {
    return this.connections.storeOnOwnConnection((client) => new RedisRoomStore({ ...options, client, keyPrefix: namespace }));
  }

  async corruptRoom(namespace: string, code: string, field: string, value: string): Promise<void> {
    const client = await connectRedis(this.server.url);
    try {
      if ((await client.hset(`${namespace}room:{${code}}`, field, value)) !== 0) throw new Error(`no room ${code} to corrupt`);
    } finally {
      client.disconnect();
    }
  }

  stop(): Promise<void> {
    return this.server.kill();
  }

  start(): Promise<void> {
    return this.server.restart();
  }

  async dispose(): Promise<void> {
    this.connections.closeAll();
    await this.server.dispose();
  }
}

describeRoomStoreContract({
  name: 'redis',
  setup: async () => new RedisRoomStoreTestBackend(await startRedisServer()),
  outageBoundMs: 3000,
});
