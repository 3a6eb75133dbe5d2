import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `fn` and returns the error it rejected with; fails the test if it resolved. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it became true. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Runs `tasks` with at most `concurrency` in flight; resolves to their results in order. */
export async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export { sleep };

type MaybeStoreError = { code?: string; details?: { outcome?: string } };

/**
 * Runs `fn` again while it fails with STORE_UNAVAILABLE `outcome: 'not-applied'` (the store is reconnecting;
 * nothing was applied, so trying again is safe), for up to `timeoutMs`.
 */
export async function whenAvailable<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  return retrying(fn, (error) => error.code === 'STORE_UNAVAILABLE' && error.details?.outcome === 'not-applied', timeoutMs);
}

/** Runs a read again while it fails with STORE_UNAVAILABLE of either outcome, for up to `timeoutMs`. */
export async function readWhenAvailable<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  return retrying(fn, (error) => error.code === 'STORE_UNAVAILABLE', timeoutMs);
}

async function retrying<T>(fn: () => Promise<T>, isRetryable: (error: MaybeStoreError) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error as MaybeStoreError) || Date.now() >= deadline) throw error;
      await sleep(50);
    }
  }
}
