/**
 * Machine noise: a fixed CPU-bound loop timed on each core, at the start and the end of the bench. The spread
 * of its times says how much of a difference between two results the machine itself could explain.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './knee';

const run = promisify(execFile);

/** The loop: integer hashing and a square root, 30 million times; prints its own time in ms. */
const LOOP = `
const t0 = process.hrtime.bigint();
let h = 0x811c9dc5, acc = 0;
for (let i = 0; i < 30_000_000; i++) { h = Math.imul(h ^ i, 16777619); acc += Math.sqrt(h >>> 8); }
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ms, check: acc > 0 }));
`;

/** The timings of one core. */
export interface CoreCalibration {
  core: number;
  runsMs: number[];
  medianMs: number;
  /** (slowest − fastest) / median, 0–1. */
  spread: number;
}

/** Spread of a set of timings: (max − min) / median, or 0 for fewer than two. */
export function spreadOf(values: number[]): number {
  const mid = median(values);
  if (values.length < 2 || mid === null || mid === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / mid;
}

/**
 * Times the loop `runs` times on each of `cores` (pinned with taskset, one process per run).
 * @throws Error when taskset or node fails.
 */
export async function calibrate(cores: number[], runs = 3): Promise<CoreCalibration[]> {
  const results: CoreCalibration[] = [];
  for (const core of cores) {
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run('taskset', ['-c', String(core), process.execPath, '-e', LOOP]);
      runsMs.push((JSON.parse(stdout) as { ms: number }).ms);
    }
    results.push({ core, runsMs, medianMs: median(runsMs) ?? 0, spread: spreadOf(runsMs) });
  }
  return results;
}
