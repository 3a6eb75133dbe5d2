import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryOnFreePorts, findFreePort } from './free-port';
import { ServiceProcess } from './service-process';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** A fixed port; by default a free one is found. */
  port?: number;
  /** Extra redis-server arguments, e.g. `['--maxmemory', '64mb']`, or `['--sentinel']` for a Sentinel. */
  args?: string[];
  /**
   * The text of a configuration file, written once into the server's own folder and passed before the arguments.
   * A Sentinel needs one, which it rewrites with what it learns.
   */
  config?: string;
  /** How long to wait for the server to accept connections (default 10 s). */
  startTimeoutMs?: number;
}

/**
 * A real redis-server on 127.0.0.1 that this process started and owns. It keeps no data on disk, so a restart
 * comes back empty, as a crashed cache node would.
 */
export class RedisServer {
  private process: ServiceProcess | undefined;
  /** The server's working folder (its `--dir`): Cluster's nodes.conf and a Sentinel's config live here. */
  readonly dir: string;

  private constructor(
    readonly port: number,
    private readonly args: string[],
    private readonly config: string | undefined,
    private readonly startTimeoutMs: number,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'gb-redis-'));
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server's PID while it runs. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** True while the process is alive. */
  get isRunning(): boolean {
    return this.process?.isRunning ?? false;
  }

  /** Starts a server on a free port (retrying if another process takes the port first). */
  static start(options: RedisServerOptions = {}): Promise<RedisServer> {
    return retryOnFreePorts(async () => {
      const port = options.port ?? (await findFreePort());
      const server = new RedisServer(port, options.args ?? [], options.config, options.startTimeoutMs ?? 10_000);
      try {
        await server.spawn();
        return server;
      } catch (error) {
        await server.dispose();
        throw error;
      }
    }, options.port === undefined ? 5 : 1);
  }

  /** Starts the same server again on the same port after {@link stop} or {@link kill}. */
  async restart(): Promise<void> {
    if (this.isRunning) await this.stop();
    await this.spawn();
  }

  /** Stops the server gracefully (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM');
  }

  /** Kills the server at once (SIGKILL), as a crash would, and waits for it to exit. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, as in a long GC pause or a partition. */
  pause(): void {
    this.process?.signal('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    this.process?.signal('SIGCONT');
  }

  /** Stops the server and removes its working directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async spawn(): Promise<void> {
    const configFile = join(this.dir, 'redis.conf');
    if (this.config !== undefined && !existsSync(configFile)) writeFileSync(configFile, this.config);
    const isSentinel = this.args.includes('--sentinel');
    this.process = await ServiceProcess.start({
      binary: 'redis-server',
      args: [
        ...(this.config === undefined ? [] : [configFile]),
        '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--dir', this.dir, '--daemonize', 'no', '--protected-mode', 'yes', ...this.args,
      ],
      // A Sentinel never prints "Ready to accept connections"; it announces its id once it listens.
      isReady: (output) => output.includes(isSentinel ? 'Sentinel ID is' : 'Ready to accept connections'),
      startTimeoutMs: this.startTimeoutMs,
    });
  }
}

/** Starts a real redis-server on a free loopback port. Stop it with `dispose()` in `afterAll`. */
export function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  return RedisServer.start(options);
}
