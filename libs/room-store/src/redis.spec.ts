import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisRoomStore } from './redis';
import { describeRoomStoreContract, type ContractStoreOptions, type RoomStoreTestBackend } from './testing';

/** The contract against a real redis-server started on a free port; each store gets its own connection. */
class RedisRoomStoreTestBackend implements RoomStoreTestBackend {
  private readonly clients = new Set<Redis>();

  constructor(private readonly server: RedisServer) {}

  async createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisRoomStore> {
    const client = await connectRedis(this.server.url, { commandTimeoutMs: 1000 });
    this.clients.add(client);
    const store = new RedisRoomStore({ ...options, client, keyPrefix: namespace });
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      client.disconnect();
      this.clients.delete(client);
    };
    return store;
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
    for (const client of this.clients) client.disconnect();
    await this.server.dispose();
  }
}

describeRoomStoreContract({
  name: 'redis',
  setup: async () => new RedisRoomStoreTestBackend(await startRedisServer()),
  outageBoundMs: 3000,
});
