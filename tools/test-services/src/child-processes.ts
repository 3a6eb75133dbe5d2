import type { ChildProcess } from 'node:child_process';

/**
 * Every child the helpers started and have not yet seen exit. When the test process exits for any reason they
 * are killed by PID, so no redis-server outlives its test run. Only our own children are ever signalled.
 */
const running = new Set<ChildProcess>();
let isExitHookInstalled = false;

/** Records a started child so it is killed when this process exits. */
export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) if (c.pid !== undefined && c.exitCode === null) c.kill('SIGKILL');
    });
  }
}

/** Sends `signal` to the child and resolves when it has exited; escalates to SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
