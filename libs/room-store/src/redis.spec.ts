import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, startTcpProxy, type RedisServer, type TcpProxy } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisContractBackend } from '../tests/redis-contract-backend';
import { describeRoomStoreContract, type RoomStoreTestBackend } from './testing';

/**
 * The contract against a real redis-server started on a free port. Each store gets its own connection, made
 * through a TCP proxy that can lose a reply after its command ran (`loseReplyTo`); the raw access the fault
 * cases need (damage, index size) goes straight to the server.
 */
class RedisRoomStoreTestBackend extends RedisContractBackend<Redis> implements RoomStoreTestBackend {
  constructor(
    private readonly server: RedisServer,
    private readonly proxy: TcpProxy,
  ) {
    super(() => connectRedis(`redis://${proxy.host}:${proxy.port}`, { commandTimeoutMs: 1000 }));
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

  async dispose(): Promise<void> {
    this.connections.closeAll();
    await this.proxy.close();
    await this.server.dispose();
  }

  protected connectRaw(): Promise<Redis> {
    return connectRedis(this.server.url);
  }
}

describeRoomStoreContract({
  name: 'redis',
  setup: () => RedisRoomStoreTestBackend.start(),
  outageBoundMs: 3000,
});
