import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisConnections, startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisSessionStore } from './redis';
import { hashSessionToken } from './session-tokens';
import { describeSessionStoreContract, type ContractStoreOptions, type SessionStoreTestBackend } from './testing';
import { dumpRedisText } from './testing/redis-dump';

/** The contract against a real redis-server started on a free port; each store gets its own connection. */
class RedisSessionStoreTestBackend implements SessionStoreTestBackend {

  private readonly connections: RedisConnections<Redis>;

  private constructor(
    private readonly server: RedisServer,
    private readonly admin: Redis,
  ) {
    this.connections = new RedisConnections(() => connectRedis(server.url, { commandTimeoutMs: 1000 }));
  }

  static async start(): Promise<RedisSessionStoreTestBackend> {
    const server = await startRedisServer();
    return new RedisSessionStoreTestBackend(server, await connectRedis(server.url));
  }

  createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisSessionStore> {
    return this.connections.storeOnOwnConnection((client) => new RedisSessionStore({ ...options, client, keyPrefix: namespace }));
  }

  async corruptSession(namespace: string, token: string, field: string, value: string): Promise<void> {
    const key = `${namespace}session:{${hashSessionToken(token)}}`;
    if ((await this.admin.exists(key)) !== 1) throw new Error('no session to corrupt');
    await this.admin.hset(key, field, value);
  }

  storedText(namespace: string): Promise<string[]> {
    return dumpRedisText(this.admin, `${namespace}*`);
  }

  stop(): Promise<void> {
    return this.server.kill();
  }

  start(): Promise<void> {
    return this.server.restart();
  }

  async dispose(): Promise<void> {
    this.connections.closeAll();
    this.admin.disconnect();
    await this.server.dispose();
  }
}

describeSessionStoreContract({ name: 'redis', setup: () => RedisSessionStoreTestBackend.start(), outageBoundMs: 3000 });
