import { formatNodeList, parseInfo, redisCli, type RedisNodeAddress } from './redis-cli';
import { RedisServer } from './redis-server';
import { waitUntil } from './wait-until';

/** Options for {@link startRedisSentinel}. */
export interface RedisSentinelOptions {
  /** The name the sentinels monitor the master under (default `gbmaster`). */
  masterName?: string;
  /** Sentinel processes (default 3). */
  sentinels?: number;
  /** Sentinels that must agree the master is down (default 2). */
  quorum?: number;
  /** `down-after-milliseconds`: silence before a sentinel thinks the master is down (default 1,000). */
  downAfterMs?: number;
  /** `failover-timeout` (default 3,000 ms). */
  failoverTimeoutMs?: number;
  /** How long to wait for the sentinels to see the replica and each other (default 20 s). */
  startTimeoutMs?: number;
}

/** A real Redis master, its replica and the Sentinels watching them, on 127.0.0.1, started by this process. */
export interface RedisSentinelSetup {
  masterName: string;
  /** The sentinels' addresses, as a Sentinel-aware client takes them. */
  sentinels: RedisNodeAddress[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`: the gateway's REDIS_SENTINELS. */
  sentinelList: string;
  /** The server that was the master at start. */
  master: RedisServer;
  /** The server that was its replica at start (the one promoted when the master dies). */
  replica: RedisServer;
  /** The sentinel processes themselves. */
  sentinelServers: RedisServer[];
  /** The master's address as the first reachable sentinel reports it (`SENTINEL get-master-addr-by-name`). */
  masterAddress(): Promise<RedisNodeAddress>;
  /** Kills the current-at-start master (SIGKILL), as a crash would. */
  killMaster(): Promise<void>;
  /**
   * Waits until the sentinels report a master other than `previous` (default: the master at start) and returns it.
   * @throws Error when no failover happens within `timeoutMs` (default 20 s).
   */
  waitForFailover(previous?: RedisNodeAddress, timeoutMs?: number): Promise<RedisNodeAddress>;
  /** Stops every process (SIGTERM, by PID) and removes their folders. */
  stop(): Promise<void>;
}

/**
 * Starts a master, one replica (`--replicaof`) and `sentinels` `redis-server --sentinel` processes monitoring
 * them, on free loopback ports, and waits until every sentinel knows the replica and the other sentinels (so a
 * failover can start as soon as the master dies).
 * @throws Error (after stopping what it started) when a process does not start or the sentinels do not meet in time.
 */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSetup> {
  const masterName = options.masterName ?? 'gbmaster';
  const count = options.sentinels ?? 3;
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const servers: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.dispose()));
  };
  try {
    // Without the delay a diskless full sync waits 5 s for more replicas to arrive.
    const master = await RedisServer.start({ args: ['--repl-diskless-sync-delay', '0'] });
    servers.push(master);
    const replica = await RedisServer.start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    servers.push(replica);
    await waitUntil(async () => parseInfo(await redisCli(replica.port, ['INFO', 'replication']))['master_link_status'] === 'up', {
      timeoutMs,
      description: `the replica on port ${replica.port} to sync with the master`,
    });
    const config = [
      `sentinel monitor ${masterName} 127.0.0.1 ${master.port} ${options.quorum ?? 2}`,
      `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 3000}`,
      `sentinel parallel-syncs ${masterName} 1`,
      '',
    ].join('\n');
    const started = await Promise.allSettled(Array.from({ length: count }, () => RedisServer.start({ config, args: ['--sentinel'] })));
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    const sentinelServers = servers.slice(2);
    const sentinels = sentinelServers.map((server) => ({ host: '127.0.0.1', port: server.port }));

    for (const sentinel of sentinels) {
      await waitUntil(
        async () => {
          const state = pairs(await redisCli(sentinel.port, ['SENTINEL', 'MASTER', masterName]));
          return state['num-slaves'] === '1' && state['num-other-sentinels'] === String(count - 1);
        },
        { timeoutMs, description: `sentinel ${sentinel.port} to see the replica and ${count - 1} other sentinels` },
      );
    }

    const masterAddress = async (): Promise<RedisNodeAddress> => {
      let lastError: unknown;
      for (const sentinel of sentinels) {
        try {
          const [host, port] = (await redisCli(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName])).split('\n');
          if (host && port) return { host, port: Number(port) };
        } catch (error) {
          lastError = error;
        }
      }
      throw new Error(`no sentinel knows the master ${masterName}`, { cause: lastError });
    };
    const initial = { host: '127.0.0.1', port: master.port };
    return {
      masterName,
      sentinels,
      sentinelList: formatNodeList(sentinels),
      master,
      replica,
      sentinelServers,
      masterAddress,
      killMaster: () => master.kill(),
      waitForFailover: (previous = initial, waitMs = 20_000) =>
        waitUntil(
          async () => {
            const current = await masterAddress();
            return current.port !== previous.port || current.host !== previous.host ? current : undefined;
          },
          { timeoutMs: waitMs, intervalMs: 200, description: `a failover away from ${previous.host}:${previous.port}` },
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads the alternating name/value lines redis-cli prints for a map reply (e.g. `SENTINEL MASTER`). */
function pairs(text: string): Record<string, string> {
  const lines = text.split('\n');
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) record[lines[i] ?? ''] = lines[i + 1] ?? '';
  return record;
}
