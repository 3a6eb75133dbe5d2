import { spawn } from 'node:child_process';
import { requireBinary } from './binaries';
import { stopChild, trackChild } from './child-processes';

/** What a finished command printed and how it ended. */
export interface BinaryResult {
  /** The exit code, or null when a signal ended it (e.g. the timeout's SIGKILL). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options for {@link runBinary}. */
export interface RunBinaryOptions {
  /** Killed (SIGKILL, by PID) after this long; the result then has `code: null` (default 30 s). */
  timeoutMs?: number;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Runs a system binary to completion, e.g. `redis-cli`, `haproxy -c` or `promtool`, and returns what it printed.
 * A non-zero exit is a result, not an error.
 * @throws Error when the binary is not installed (with how to install it) or cannot be started.
 */
export function runBinary(name: string, args: string[], options: RunBinaryOptions = {}): Promise<BinaryResult> {
  const binary = requireBinary(name);
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => void stopChild(child, 'SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The outcome of checking a configuration file with the real tool (`haproxy -c`, `nginx -t`, `promtool check`). */
export interface ConfigCheck {
  /** True when the tool accepted the file. */
  isValid: boolean;
  /** Everything the tool printed, to show why it did not. */
  output: string;
}

/** Runs a checking command and reads its exit code as the verdict. */
export async function checkWithBinary(name: string, args: string[], options: RunBinaryOptions = {}): Promise<ConfigCheck> {
  const result = await runBinary(name, args, options);
  return { isValid: result.code === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
