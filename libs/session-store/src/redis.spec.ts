import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisSessionStore } from './redis';
import { hashSessionToken } from './session-tokens';
import { describeSessionStoreContract, type ContractStoreOptions, type SessionStoreTestBackend } from './testing';
import { dumpRedisText } from './testing/redis-dump';

/** The contract against a real redis-server started on a free port; each store gets its own connection. */
class RedisSessionStoreTestBackend implements SessionStoreTestBackend {
  private readonly clients = new Set<Redis>();

  private constructor(
    private readonly server: RedisServer,
    private readonly admin: Redis,
  ) {}

  static async start(): Promise<RedisSessionStoreTestBackend> {
    const server = await startRedisServer();
    return new RedisSessionStoreTestBackend(server, await connectRedis(server.url));
  }

  async createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisSessionStore> {
    const client = await connectRedis(this.server.url, { commandTimeoutMs: 1000 });
    this.clients.add(client);
    const disconnect = (): void => {
      client.disconnect();
      this.clients.delete(client);
    };
    let store: RedisSessionStore;
    try {
      store = new RedisSessionStore({ ...options, client, keyPrefix: namespace });
    } catch (error) {
      disconnect();
      throw error;
    }
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      disconnect();
    };
    return store;
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
    for (const client of this.clients) client.disconnect();
    this.admin.disconnect();
    await this.server.dispose();
  }
}

describeSessionStoreContract({ name: 'redis', setup: () => RedisSessionStoreTestBackend.start(), outageBoundMs: 3000 });
