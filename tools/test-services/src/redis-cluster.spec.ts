import { parseInfo, redisCli, startRedisCluster, type RedisCluster } from './index';

describe('startRedisCluster', () => {
  let cluster: RedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('forms a 3-master cluster on loopback that every node reports as ok, with all slots assigned', async () => {
    expect(cluster.nodes).toHaveLength(3);
    expect(cluster.nodeList).toBe(cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(','));
    for (const node of cluster.nodes) {
      const info = parseInfo(await redisCli(node.port, ['CLUSTER', 'INFO']));
      expect(info).toMatchObject({ cluster_state: 'ok', cluster_slots_assigned: '16384', cluster_known_nodes: '3', cluster_size: '3' });
    }
  });

  it("keeps a room's hash-tagged keys in one slot: a multi-key write succeeds through any node with redirects", async () => {
    const [a, b, c] = cluster.nodes.map((n) => n.port) as [number, number, number];
    const slot = await redisCli(a, ['CLUSTER', 'KEYSLOT', 'gb:room:{ABCD}']);
    expect(await redisCli(b, ['CLUSTER', 'KEYSLOT', 'gb:room:{ABCD}:players'])).toBe(slot);
    expect(await redisCli(a, ['MSET', 'gb:room:{ABCD}', 'state', 'gb:room:{ABCD}:players', '3'], { isClusterMode: true })).toBe('OK');
    expect(await redisCli(c, ['MGET', 'gb:room:{ABCD}', 'gb:room:{ABCD}:players'], { isClusterMode: true })).toBe('state\n3');
    await expect(redisCli(a, ['MSET', 'gb:room:{ABCD}', 'x', 'gb:room:{WXYZ}', 'y'], { isClusterMode: true })).rejects.toThrow(/CROSSSLOT/);
  });

  it('answers MOVED to a client that does not follow redirects, from the nodes that do not own the slot', async () => {
    const results = await Promise.allSettled(cluster.nodes.map((n) => redisCli(n.port, ['GET', 'gb:room:{ABCD}'])));
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.status === 'fulfilled' && r.value)).toEqual(['state']);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('stops every node it started', async () => {
    const servers = cluster.servers;
    await cluster.stop();
    expect(servers.map((s) => s.isRunning)).toEqual([false, false, false]);
    await expect(redisCli(servers[0]!.port, ['PING'])).rejects.toThrow(/Connection refused/);
  });
});
