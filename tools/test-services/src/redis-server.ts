import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries';
import { stopChild, trackChild } from './child-processes';
import { findFreePort } from './free-port';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** A fixed port; by default a free one is found. */
  port?: number;
  /** Extra redis-server arguments, e.g. `['--maxmemory', '64mb']`. */
  args?: string[];
  /** How long to wait for "Ready to accept connections" (default 10 s). */
  startTimeoutMs?: number;
}

/**
 * A real redis-server on 127.0.0.1 that this process started and owns. It keeps no data on disk, so a restart
 * comes back empty, as a crashed cache node would.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir: string;
  private log = '';

  private constructor(
    readonly port: number,
    private readonly args: string[],
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
    return this.child?.pid;
  }

  /** True while the process is alive. */
  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a server on a free port (retrying if another process takes the port first). */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const binary = requireBinary('redis-server');
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = options.port ?? (await findFreePort());
      const server = new RedisServer(port, options.args ?? [], options.startTimeoutMs ?? 10_000);
      try {
        await server.spawn(binary);
        return server;
      } catch (error) {
        lastError = error;
        await server.stop();
        if (options.port !== undefined) break;
      }
    }
    throw lastError;
  }

  /** Starts the same server again on the same port after {@link stop} or {@link kill}. */
  async restart(): Promise<void> {
    if (this.isRunning) await this.stop();
    await this.spawn(requireBinary('redis-server'));
  }

  /** Stops the server gracefully (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    this.resume();
    if (this.child) await stopChild(this.child, 'SIGTERM');
  }

  /** Kills the server at once (SIGKILL), as a crash would, and waits for it to exit. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGKILL');
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, as in a long GC pause or a partition. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the server and removes its working directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(binary: string): Promise<void> {
    const args = [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--daemonize', 'no', '--protected-mode', 'yes', ...this.args,
    ];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    this.child = child;
    this.log = '';
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`redis-server on port ${this.port} did not start in ${this.startTimeoutMs} ms:\n${this.log}`)), this.startTimeoutMs);
      const onData = (chunk: Buffer): void => {
        this.log = (this.log + chunk.toString()).slice(-4000);
        if (this.log.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
      child.once('exit', (code, signal) => fail(new Error(`redis-server on port ${this.port} exited (${code ?? signal}):\n${this.log}`)));
      child.once('error', fail);
    });
  }
}

/** Starts a real redis-server on a free loopback port. Stop it with `dispose()` in `afterAll`. */
export function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  return RedisServer.start(options);
}
