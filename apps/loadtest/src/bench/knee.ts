/**
 * Finding the largest player count that still passes, without walking every step: a coarse pass that stops at
 * the first failing step, then bisection between the last passing and the first failing count.
 */
import type { StepResult } from '../types';

/** The pass rule of the bench: p95 action-to-own-view under the threshold, no errors, no drops, everyone connected. */
export interface PassRule {
  /** Default 50 ms. */
  p95OwnViewMs: number;
}

/** Why a step passed or failed, in words for the report. */
export interface Verdict {
  passed: boolean;
  reasons: string[];
}

/** Judges one step by the pass rule. */
export function judgeStep(step: StepResult, rule: PassRule = { p95OwnViewMs: 50 }): Verdict {
  const reasons: string[] = [];
  if (step.ownView.count === 0) reasons.push('no own-view samples');
  else if (!(step.ownView.p95 < rule.p95OwnViewMs)) reasons.push(`p95 own view ${step.ownView.p95.toFixed(1)} ms ≥ ${rule.p95OwnViewMs} ms`);
  const errors = Object.values(step.errors).reduce((s, n) => s + n, 0);
  if (errors > 0) reasons.push(`${errors} errors`);
  if (step.drops > 0) reasons.push(`${step.drops} drops`);
  if (step.connected < step.players) reasons.push(`${step.players - step.connected} not connected`);
  return { passed: reasons.length === 0, reasons };
}

/** Options for {@link searchKnee}. */
export interface KneeSearchOptions {
  /** Counts tried in order until one fails, e.g. `[1000, 2000, 4000, 8000, 12000]`. */
  coarse: number[];
  /** Bisection stops once the gap between passing and failing is at most this share of the passing count (default 0.1). */
  resolution?: number;
  /** Counts are rounded to multiples of this (the room size; default 10). */
  granularity?: number;
  /** At most this many bisection probes (default 6). */
  maxBisections?: number;
  /** Asked before each probe with its player count; true stops the search (e.g. out of time) with what is known. */
  shouldStop?: (players: number) => boolean;
}

/** One probe of the search. */
export interface KneeProbe {
  players: number;
  passed: boolean;
  phase: 'coarse' | 'bisect';
}

/** The search's outcome. */
export interface KneeResult {
  /** The largest count that passed, or null when even the first failed. */
  lastPass: number | null;
  /** The smallest count that failed above it, or null when every coarse count passed. */
  firstFail: number | null;
  probes: KneeProbe[];
  /** True when `shouldStop` ended the search before it converged. */
  isCut: boolean;
}

function roundTo(value: number, granularity: number): number {
  return Math.max(granularity, Math.round(value / granularity) * granularity);
}

/**
 * Probes player counts: the coarse list until the first failure, then bisects between the last passing count
 * (0 when the first coarse count failed) and the first failing one until the gap is within `resolution` of the
 * passing count or one `granularity` step (at most `maxBisections` probes). Bisection points are rounded to a multiple of 100 × `granularity`
 * / 10 when the gap allows it, so counts stay readable. `probe` may throw: that counts as a failure.
 */
export async function searchKnee(probe: (players: number) => Promise<boolean>, options: KneeSearchOptions): Promise<KneeResult> {
  const resolution = options.resolution ?? 0.1;
  const granularity = options.granularity ?? 10;
  const probes: KneeProbe[] = [];
  const run = async (players: number, phase: KneeProbe['phase']): Promise<boolean> => {
    let passed: boolean;
    try {
      passed = await probe(players);
    } catch {
      passed = false;
    }
    probes.push({ players, passed, phase });
    return passed;
  };
  let lastPass: number | null = null;
  let firstFail: number | null = null;
  for (const players of options.coarse) {
    if (options.shouldStop?.(players)) return { lastPass, firstFail, probes, isCut: true };
    if (await run(players, 'coarse')) lastPass = players;
    else {
      firstFail = players;
      break;
    }
  }
  if (firstFail === null) return { lastPass, firstFail, probes, isCut: false };
  const maxBisections = options.maxBisections ?? 6;
  for (let bisections = 0; bisections < maxBisections; bisections++) {
    const lo = lastPass ?? 0;
    const gap = firstFail - lo;
    if (gap <= granularity || (lo > 0 && gap <= resolution * lo)) break;
    const coarseGrain = gap >= 20 * granularity ? 10 * granularity : granularity;
    let mid = roundTo((lo + firstFail) / 2, coarseGrain);
    if (mid <= lo || mid >= firstFail) mid = roundTo((lo + firstFail) / 2, granularity);
    if (mid <= lo || mid >= firstFail) break;
    if (options.shouldStop?.(mid)) return { lastPass, firstFail, probes, isCut: true };
    if (await run(mid, 'bisect')) lastPass = mid;
    else firstFail = mid;
  }
  return { lastPass, firstFail, probes, isCut: false };
}

/** The median of numbers (the mean of the middle two for an even count), or null for none. */
export function median(values: number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
