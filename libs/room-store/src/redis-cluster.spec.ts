import { connectRedisCluster } from '@gamebuddies/redis-connection';
import { startRedisCluster, type RedisCluster } from '@gamebuddies/test-services';
import type { Cluster } from 'ioredis';
import { RedisRoomStore } from './redis';
import { RedisContractBackend } from '../tests/redis-contract-backend';
import { describeRoomStoreContract, type RoomStoreTestBackend } from './testing';

/**
 * The contract against a real three-master Redis Cluster. A room and the index live in different slots there,
 * so the store keeps the index in steps of its own (see redis.ts); every guarantee of the contract must hold all
 * the same. Lost replies are not injected here (a Cluster client reaches the nodes' own ports, not a proxy).
 */
class RedisClusterRoomStoreTestBackend extends RedisContractBackend<Cluster> implements RoomStoreTestBackend {
  constructor(private readonly cluster: RedisCluster) {
    super(() => connectToEveryNode(cluster));
  }

  /*
   * The outage here is a freeze of every node (calls time out, outcome unknown), not a kill: while a Cluster's
   * nodes are down, ioredis rejects calls with "Cluster isn't ready and enableOfflineQueue options is false",
   * which redis-connection's toStoreError does not map to STORE_UNAVAILABLE yet. For the same reason this
   * backend offers no `wipe` (the loss-of-data cases run on the single node, with the same scripts).
   */
  async stop(): Promise<void> {
    for (const server of this.cluster.servers) server.pause();
  }

  async start(): Promise<void> {
    for (const server of this.cluster.servers) server.resume();
  }

  async dispose(): Promise<void> {
    await this.start();
    this.connections.closeAll();
    await this.cluster.stop();
  }

  protected connectRaw(): Promise<Cluster> {
    return connectToEveryNode(this.cluster);
  }
}

/**
 * A Cluster connection whose node connections are all open. ioredis opens a node's connection on its first
 * command; with the offline queue off (and no retry of "Connection is closed.", see redis-connection) a second
 * command sent to that node while it is still connecting fails at once, which a fresh store under 100 concurrent
 * writers would meet. A gateway opens its connection once and warms it the same way by its first calls.
 */
async function connectToEveryNode(cluster: RedisCluster): Promise<Cluster> {
  const client = await connectRedisCluster(cluster.nodes, { commandTimeoutMs: 1000 });
  await Promise.all(client.nodes('all').map((node) => node.ping()));
  return client;
}

describeRoomStoreContract({
  name: 'redis cluster',
  setup: async () => new RedisClusterRoomStoreTestBackend(await startRedisCluster()),
  outageBoundMs: 3000,
});

describe('RedisRoomStore on a Redis Cluster: the index is a hint checked against the rooms', () => {
  let cluster: RedisCluster;
  let client: Cluster;
  let store: RedisRoomStore;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = await connectToEveryNode(cluster);
    store = new RedisRoomStore({ client, sweepIntervalMs: 0 });
  }, 30_000);

  afterAll(async () => {
    await store.close();
    client.disconnect();
    await cluster.stop();
  });

  it('keeps a live room whose index deadline lapsed (a lost index step) and gives it back its real one', async () => {
    const room = await store.create({ gameId: 'g' });
    await client.zadd('gb:{rooms}:expiry', Date.now() - 1000, room.code);
    await store.sweepExpired();
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBe(String(room.expiresAt));
    expect(await store.count()).toBe(1);
    expect((await store.list()).rooms.map((r) => r.code)).toEqual([room.code]);
  });

  it('drops index entries whose room is gone, in list() at once and in the sweep once their deadline passed', async () => {
    const kept = await store.create({ gameId: 'g' });
    const gone = await store.create({ gameId: 'g' });
    const lapsed = await store.create({ gameId: 'g' });
    await client.del(`gb:room:{${gone.code}}`);
    await client.del(`gb:room:{${lapsed.code}}`);
    await client.zadd('gb:{rooms}:expiry', Date.now() - 1000, lapsed.code);
    await store.sweepExpired();
    expect(await client.zscore('gb:{rooms}:expiry', lapsed.code)).toBeNull();
    expect((await store.list({ limit: 1000 })).rooms.map((r) => r.code)).toContain(kept.code);
    expect(await client.zscore('gb:{rooms}:expiry', gone.code)).toBeNull();
    expect(await client.zscore('gb:{rooms}:codes', gone.code)).toBeNull();
  });

  it('returns the same room to a create retried with its requestId, on a generated code, across instances', async () => {
    const other = new RedisRoomStore({ client, sweepIntervalMs: 0 });
    const first = await store.create({ gameId: 'g', requestId: 'cluster-req-1' });
    expect(await other.create({ gameId: 'g', requestId: 'cluster-req-1' })).toEqual(first);
    await other.close();
  });
});
