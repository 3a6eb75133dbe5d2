import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { requireBinary } from './binaries';
import { stopChild, trackChild } from './child-processes';

/** Options for {@link ServiceProcess.start}. */
export interface ServiceProcessOptions {
  /** The binary, found on PATH by {@link requireBinary}. */
  binary: string;
  args: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Whether the service answers yet; gets what the process printed so far (the last 8,000 characters). */
  isReady: (output: string) => boolean | Promise<boolean>;
  /** How long to wait for `isReady` (default 10 s). */
  startTimeoutMs?: number;
  /** A folder of the service's own (its configuration, sockets, logs), removed once it has stopped or failed to start. */
  folder?: string;
}

/**
 * A long-running child (redis-server, haproxy, nginx) that this process started, tracked so that it is killed
 * by PID when the test process exits, with the tail of what it printed for error messages.
 */
export class ServiceProcess {
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
    private readonly folder: string | undefined,
  ) {
    const append = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
  }

  /**
   * Starts the binary and waits until `isReady` says it serves.
   * @throws Error with its output when it exits first, or is not ready in time (it is then stopped).
   */
  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const child = spawn(requireBinary(options.binary), options.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    trackChild(child);
    const service = new ServiceProcess(child, options.binary, options.folder);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const failure = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 25))]);
        if (failure) throw new Error(`${service.name} could not be started: ${failure.message}`);
        if (!service.isRunning) {
          throw new Error(`${service.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${service.output()}`);
        }
        if (await options.isReady(service.log)) return service;
        if (Date.now() > deadline) throw new Error(`${service.name} was not ready within ${timeoutMs} ms:\n${service.output()}`);
      }
    } catch (error) {
      await service.stop();
      throw error;
    }
  }

  /** The process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the process is alive. */
  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last 8,000 characters the process printed (stdout and stderr). */
  output(): string {
    return this.log;
  }

  /** Sends a signal (SIGSTOP, SIGCONT, SIGHUP, ...) without waiting for anything. */
  signal(signal: NodeJS.Signals): void {
    if (this.isRunning) this.child.kill(signal);
  }

  /**
   * Sends `signal` (SIGTERM by default; SIGKILL escalates after 5 s), waits until the process has exited, and
   * removes its folder if it has one.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (signal !== 'SIGKILL') this.signal('SIGCONT');
    // A child that never started has no PID and may never emit 'exit': there is nothing to wait for.
    if (this.child.pid !== undefined) await stopChild(this.child, signal);
    if (this.folder !== undefined) rmSync(this.folder, { recursive: true, force: true });
  }
}
