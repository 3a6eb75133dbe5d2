import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, trackChild } from '@gamebuddies/test-services';

const appRoot = join(__dirname, '..');
const tsxCli = require.resolve('tsx/cli');

/** A real gateway process (started from source with tsx), on a free loopback port. */
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
  const child = spawn(process.execPath, [tsxCli, '--tsconfig', join(appRoot, 'tsconfig.json'), join(appRoot, 'src/main.ts')], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
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
  while (!output.includes('gateway listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the gateway did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
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
