import type { RedisClient } from '@gamebuddies/redis-connection';
import { RedisConnections } from '@gamebuddies/test-services';
import { RedisRoomStore } from '../src/redis';
import type { ContractStoreOptions } from '../src/testing';

/**
 * What the single-node and the Cluster contract backends share: each store on its own connection, and raw
 * access to the server for the fault cases (damage, index size). Used by this library's own Redis specs.
 */
export abstract class RedisContractBackend<C extends RedisClient> {
  protected readonly connections: RedisConnections<C>;

  constructor(connectStore: () => Promise<C>) {
    this.connections = new RedisConnections(connectStore);
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

  indexSize(namespace: string): Promise<number> {
    return this.raw((client) => client.zcard(`${namespace}{rooms}:expiry`));
  }

  /** A connection straight to the server (not through any fault injection). */
  protected abstract connectRaw(): Promise<C>;

  protected async raw<T>(use: (client: C) => Promise<T>): Promise<T> {
    const client = await this.connectRaw();
    try {
      return await use(client);
    } finally {
      client.disconnect();
    }
  }
}
