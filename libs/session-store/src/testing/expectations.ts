import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@gamebuddies/core';

/** The `code` of the error `call` fails with, or `'RESOLVED'` when it succeeds. */
export function failureCode(call: () => Promise<unknown>): Promise<string> {
  return Promise.resolve()
    .then(call)
    .then(
      () => 'RESOLVED',
      (error: unknown) => String((error as { code?: unknown } | null)?.code),
    );
}

/** The error `call` fails with; fails the test if it succeeds. */
export function failureOf(call: () => Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return Promise.resolve()
    .then(call)
    .then(
      () => Promise.reject(new Error('expected the call to fail, but it succeeded')),
      (error: unknown) => error as Error & { code?: string },
    );
}

/** Calls `attempt` until it resolves, every 50 ms, for up to `timeoutMs`; then rethrows its last error. */
export async function retryUntil<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(50);
  }
}

/** A logger that keeps every entry, to check what a store writes to its logs. */
export function recordingLogger(): Logger & { entries: unknown[] } {
  const entries: unknown[] = [];
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => void entries.push({ level, fields, message });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

export { sleep };
