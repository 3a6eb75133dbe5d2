/**
 * The four set-ups the bench compares, each started as real processes on free loopback ports and stopped by
 * PID: (a) the reference bare Socket.IO server, (b) the gateway in memory, (c) the gateway on a private
 * redis-server, (d) the gateway in cluster mode (two workers) on Redis.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, startRedisServer, stopChild, trackChild, type RedisServer } from '@gamebuddies/test-services';
import { childPids, type WatchedProcess } from './proc';

/** The set-ups, by letter. */
export type ConfigId = 'a' | 'b' | 'c' | 'd';

/** Every set-up, in order. */
export const CONFIG_IDS: readonly ConfigId[] = ['a', 'b', 'c', 'd'];

/** How each set-up is named in reports. */
export const CONFIG_LABELS: Record<ConfigId, string> = {
  a: 'a: reference Socket.IO',
  b: 'b: gateway, memory',
  c: 'c: gateway, Redis',
  d: 'd: gateway cluster ×2, Redis',
};

/** The CPU core the servers are pinned to, and the bots'. */
export const SERVER_CORE = 0;
export const BOT_CORE = 1;

/** A started set-up. */
export interface RunningServer {
  config: ConfigId;
  url: string;
  /** The main server process (the cluster primary in d). */
  pid: number;
  /** The private redis-server's port, in c and d. */
  redisPort: number | null;
  /** The processes to measure now (cluster workers are found as they appear). */
  watched(): WatchedProcess[];
  /** Whether the server processes are pinned to {@link SERVER_CORE}. */
  isPinned: boolean;
  /** The tail of what the server printed (for error messages). */
  output(): string;
  /** Stops every process of the set-up by PID; safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startServer}. */
export interface StartServerOptions {
  workspaceRoot: string;
  /** Extra node arguments for the gateway (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

/**
 * The gateway's environment for a loopback bench: every per-connection and per-address limit raised far above
 * what the bots can reach, so the bench measures throughput, not the abuse guards.
 */
export function benchGatewayEnv(port: number, redisUrl: string | null, workers: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    GAMES: 'party-bench',
    LOG_LEVEL: 'warn',
    SERVE_PAGE: 'false',
    TRANSPORTS: 'websocket',
    MAX_CONNECTIONS: '200000',
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    EVENTS_PER_SECOND: '10000',
    EVENT_BURST: '100000',
    ABUSE_STRIKES: '100000',
    WRONG_CODES_PER_MINUTE: '10000',
    WRONG_CODES_PER_ADDRESS_PER_MINUTE: '100000',
    MAX_ROOMS: '1000000',
    ROOMS_PER_SESSION: '100000',
    SESSION_OPEN_TIMEOUT_MS: '60000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    DRAIN_DELAY_MS: '0',
    DISCONNECT_GRACE_MS: '0',
    ...(redisUrl === null ? {} : { REDIS_URL: redisUrl }),
    ...(workers > 0 ? { CLUSTER_WORKERS: String(workers) } : {}),
  };
}

/** Pins a running process and all its threads to one core (`taskset -a -p -c`). */
export function pinProcess(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** Resolves once `url`/health/live answers 200, or throws with the process output after `timeoutMs`. */
async function waitUntilLive(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer ${url}/health/live within ${timeoutMs} ms:\n${output()}`);
    const isLive = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (isLive) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function spawnTracked(command: string, args: string[], env: Record<string, string>, cwd: string): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return { child, output: () => log };
}

/** Whether a PID is alive (signal 0). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts one set-up and waits until it serves. Servers run pinned to {@link SERVER_CORE} (with their
 * redis-server), except the cluster (d), whose primary, workers and redis-server the scheduler places.
 * @throws Error with the server's output when it does not start (everything started is stopped first).
 */
export async function startServer(config: ConfigId, options: StartServerOptions): Promise<RunningServer> {
  const root = options.workspaceRoot;
  let redis: RedisServer | null = null;
  const knownWorkers = new Set<number>();
  let discoveries = 0;
  try {
    if (config === 'c' || config === 'd') {
      redis = await startRedisServer();
      if (config === 'c') pinProcess(redis.pid!, SERVER_CORE);
    }
    const port = await findFreePort();
    const isPinned = config !== 'd';
    const pin = isPinned ? ['taskset', '-c', String(SERVER_CORE)] : [];
    let argv: string[];
    let env: Record<string, string>;
    if (config === 'a') {
      argv = [...pin, process.execPath, '--import', 'tsx', join(root, 'apps/loadtest/src/reference/server.ts'), '--port', String(port), '--host', '127.0.0.1'];
      env = {};
    } else {
      argv = [...pin, process.execPath, ...(options.nodeArgs ?? []), join(root, 'apps/gateway/dist/main.js')];
      env = benchGatewayEnv(port, redis === null ? null : redis.url, config === 'd' ? 2 : 0);
    }
    const [command, ...args] = argv as [string, ...string[]];
    // taskset execs the program: the child's PID is the server's own.
    const { child, output } = spawnTracked(command, args, env, root);
    const url = `http://127.0.0.1:${port}`;
    const redisServer = redis;
    const stop = async (): Promise<void> => {
      const workers = [...knownWorkers, ...(child.pid === undefined ? [] : childPids(child.pid))];
      await stopChild(child, 'SIGTERM', 8000);
      // Cluster workers normally exit with their primary; any left over are ours, stopped by PID.
      for (const pid of workers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await redisServer?.dispose();
    };
    try {
      await waitUntilLive(url, child, output);
    } catch (error) {
      await stop();
      throw error;
    }
    const pid = child.pid!;
    return {
      config,
      url,
      pid,
      redisPort: redisServer?.port ?? null,
      isPinned,
      output,
      watched: () => {
        const list: WatchedProcess[] = [];
        if (config === 'd') {
          // Scanning /proc costs a few ms: look again only until both workers are known, then now and then.
          if (knownWorkers.size < 2 || discoveries++ % 20 === 0) for (const worker of childPids(pid)) knownWorkers.add(worker);
          list.push({ pid, role: 'primary', holdsSockets: true });
          for (const worker of knownWorkers) list.push({ pid: worker, role: 'worker', holdsSockets: true });
        } else {
          list.push({ pid, role: 'server', holdsSockets: true });
        }
        if (redisServer?.pid !== undefined) list.push({ pid: redisServer.pid, role: 'redis', holdsSockets: false });
        return list;
      },
      stop,
    };
  } catch (error) {
    await redis?.dispose();
    throw error;
  }
}
