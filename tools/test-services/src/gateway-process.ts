import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { trackChild } from './child-processes';
import { findFreePort } from './free-port';
import { WORKSPACE_ROOT } from './workspace';

/** The gateway app, run from source. */
const appRoot = join(WORKSPACE_ROOT, 'apps', 'gateway');

/** A real gateway process (run from source through tsx's require hook), on a free loopback port. */
export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) and how long after `since` it came. */
  exited(since: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

/** Starts the gateway's main.ts in a child process and waits until it listens. Stop it with `child.kill()`. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = env['PORT'] === undefined ? await findFreePort() : Number(env['PORT']);
  // One process (tsx's require hook, not its CLI, which would put a parent in between): kill -9 and SIGSTOP
  // must reach the gateway itself.
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(appRoot, 'src/main.ts')], {
    env: { ...process.env, TSX_TSCONFIG_PATH: join(appRoot, 'tsconfig.json'), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const deadline = Date.now() + 30_000;
  // Ready when it answers its liveness probe, whatever the log level.
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the gateway did not start:\n${output}`);
    const isLive = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (isLive) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited: async (since) => {
      const { code, signal, at } = await exit;
      return { code, signal, afterMs: at - since };
    },
  };
}
