import { formatNodeList, parseInfo, redisCli, type RedisNodeAddress } from './redis-cli';
import { RedisServer } from './redis-server';
import { runBinary } from './run-binary';
import { waitUntil } from './wait-until';

/** Options for {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Masters sharing the 16,384 slots (default 3, the least Redis Cluster accepts). */
  masters?: number;
  /** Replicas of each master (default 0). */
  replicasPerMaster?: number;
  /** `cluster-node-timeout`: how long before an unreachable node counts as failed (default 2,000 ms). */
  nodeTimeoutMs?: number;
  /** How long to wait for `cluster_state:ok` on every node (default 20 s). */
  startTimeoutMs?: number;
}

/** A real Redis Cluster on 127.0.0.1 that this process started. */
export interface RedisCluster {
  /** Every node, masters first, as seed addresses for a cluster client. */
  nodes: RedisNodeAddress[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`: the gateway's REDIS_CLUSTER_NODES. */
  nodeList: string;
  /** The servers themselves, to kill, pause or restart one. */
  servers: RedisServer[];
  /** Stops every node (SIGTERM, by PID) and removes their folders. */
  stop(): Promise<void>;
}

/**
 * Starts `masters × (1 + replicasPerMaster)` redis-server processes in cluster mode on free loopback ports (each
 * also needs its bus port, port + 10000, free), joins them with `redis-cli --cluster create`, and waits until
 * every node reports `cluster_state:ok`.
 * @throws Error (after stopping what it started) when a node does not start or the cluster does not form in time.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const args = [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf', // inside the server's own folder
    '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000),
  ];
  const started = await Promise.allSettled(Array.from({ length: masters * (1 + replicas) }, () => RedisServer.start({ args })));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.dispose()));
  };
  try {
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    const nodes = servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
    const timeoutMs = options.startTimeoutMs ?? 20_000;
    const create = await runBinary(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      { timeoutMs },
    );
    if (create.code !== 0 || !create.stdout.includes('All 16384 slots covered')) {
      throw new Error(`redis-cli --cluster create failed (${create.code}):\n${create.stdout}${create.stderr}`);
    }
    for (const node of nodes) {
      await waitUntil(async () => parseInfo(await redisCli(node.port, ['CLUSTER', 'INFO']))['cluster_state'] === 'ok', {
        timeoutMs,
        description: `cluster_state:ok on 127.0.0.1:${node.port}`,
      });
    }
    return { nodes, nodeList: formatNodeList(nodes), servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
