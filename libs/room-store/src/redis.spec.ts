import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisConnections, startRedisServer, startTcpProxy, type RedisServer, type TcpProxy } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisRoomStore } from './redis';
import { describeRoomStoreContract, type ContractStoreOptions, type RoomStoreTestBackend } from './testing';

/**
 * The contract against a real redis-server started on a free port. Each store gets its own connection, made
 * through a TCP proxy that can lose a reply after its command ran (`loseReplyTo`); the raw access the fault
 * cases need (damage, index size) goes straight to the server.
 */
class RedisRoomStoreTestBackend implements RoomStoreTestBackend {
  private readonly connections: RedisConnections<Redis>;

  constructor(
    private readonly server: RedisServer,
    private readonly proxy: TcpProxy,
  ) {
    this.connections = new RedisConnections(() => connectRedis(`redis://${proxy.host}:${proxy.port}`, { commandTimeoutMs: 1000 }));
  }

  static async start(): Promise<RedisRoomStoreTestBackend> {
    const server = await startRedisServer();
    try {
      return new RedisRoomStoreTestBackend(server, await startTcpProxy({ targetPort: server.port }));
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }

  createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisRoomStore> {
    return this.connections.storeOnOwnConnection((client) => new RedisRoomStore({ ...options, client, keyPrefix: namespace }));
  }

  async corruptRoom(namespace: string, code: string, field: string, value: string): Promise<void> {
    await this.raw(async (client) => {
      const key = `${namespace}room:{${code}}`;
      if ((await client.exists(key)) !== 1) throw new Error(`no room ${code} to corrupt`);
      await client.hset(key, field, value);
    });
  }

  async removeRoomField(namespace: string, code: string, field: string): Promise<void> {
    await this.raw(async (client) => {
      if ((await client.hdel(`${namespace}room:{${code}}`, field)) !== 1) throw new Error(`room ${code} has no field ${field} to remove`);
    });
  }

  stop(): Promise<void> {
    return this.server.kill();
  }

  start(): Promise<void> {
    return this.server.restart();
  }

  async wipe(): Promise<void> {
    await this.server.kill();
    await this.server.restart();
  }

  loseReplyTo(marker: string): Promise<void> {
    return this.proxy.cutAfterNextCommand((chunk) => chunk.includes(marker));
  }

  indexSize(namespace: string): Promise<number> {
    return this.raw((client) => client.zcard(`${namespace}{rooms}:expiry`));
  }

  async dispose(): Promise<void> {
    this.connections.closeAll();
    await this.proxy.close();
    await this.server.dispose();
  }

  private async raw<T>(use: (client: Redis) => Promise<T>): Promise<T> {
    const client = await connectRedis(this.server.url);
    try {
      return await use(client);
    } finally {
      client.disconnect();
    }
  }
}

describeRoomStoreContract({
  name: 'redis',
  setup: () => RedisRoomStoreTestBackend.start(),
  outageBoundMs: 3000,
});
