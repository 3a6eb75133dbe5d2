/** Latency and throughput of one operation run by `concurrency` workers for `durationMs`. */
export interface Measurement {
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/**
 * Runs `operation(worker, i)` in `concurrency` loops until `durationMs` has passed (or `maxOps` ran), timing
 * every call. Workers are independent so that contention is only what the operation itself causes.
 */
export async function measure(
  concurrency: number,
  durationMs: number,
  operation: (worker: number, i: number) => Promise<unknown>,
  maxOps = 1_000_000,
): Promise<Measurement> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let issued = 0;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; issued < maxOps && process.hrtime.bigint() < deadline; i++) {
      issued++;
      const t0 = process.hrtime.bigint();
      await operation(w, i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { ops: latencies.length, opsPerSecond: latencies.length / elapsedS, p50Ms: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99) };
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs a measurement `rounds` times and keeps the round with the median throughput. */
export async function medianOf(rounds: number, run: () => Promise<Measurement>): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let r = 0; r < rounds; r++) results.push(await run());
  results.sort((a, b) => a.opsPerSecond - b.opsPerSecond);
  return results[Math.floor(results.length / 2)] as Measurement;
}
