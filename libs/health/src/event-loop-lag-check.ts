import { createHistogram, performance } from 'node:perf_hooks';
import { assertNoProblems, checkIdentity, positiveNumberProblem, type CommonCheckOptions } from './check-options';
import type { DisposableHealthCheck } from './health-check';
import { roundTo } from './format';

/** Options of {@link eventLoopLagCheck}. */
export interface EventLoopLagCheckOptions extends CommonCheckOptions {
  /** The lag above which the check fails, in ms (default 200). */
  maxLagMs?: number;
  /** How often the loop is sampled, in ms (default 20). */
  resolutionMs?: number;
  /** Which figure is compared with `maxLagMs` (default `p99`: one long pause in a busy window does not fail it). */
  statistic?: 'p50' | 'p99' | 'max';
}

const STATISTICS: ReadonlySet<unknown> = new Set(['p50', 'p99', 'max']);
const NS_PER_MS = 1e6;

/**
 * Measures how late the event loop runs: a timer due every `resolutionMs` records how late it fired into a
 * `perf_hooks` histogram, and each run reports the p50, p99 and max lag since the previous run (figures
 * `p50LagMs`, `p99LagMs`, `maxLagMs`, `samples`, `limitMs`), failing when the chosen statistic exceeds
 * `maxLagMs`. A run also counts the interval in progress, so a stall that has just ended is reported at once.
 *
 * Why not `monitorEventLoopDelay`: its `reset()` forgets the interval in progress, so a stall that begins
 * right after a report never shows in the next one, and its samples land only in the next timers phase, after
 * a probe that arrives straight after a stall has already answered.
 *
 * The timer is unref'd (it never keeps the process alive); call `dispose()` to stop it.
 * @throws InvalidArgumentError when `maxLagMs` or `resolutionMs` is not a positive number or `statistic` unknown.
 */
export function eventLoopLagCheck(options: EventLoopLagCheckOptions = {}): DisposableHealthCheck {
  const { maxLagMs = 200, resolutionMs = 20, statistic = 'p99' } = options;
  assertNoProblems('eventLoopLagCheck options', [
    positiveNumberProblem('maxLagMs', maxLagMs),
    positiveNumberProblem('resolutionMs', resolutionMs),
    STATISTICS.has(statistic) ? undefined : `statistic must be 'p50', 'p99' or 'max', got ${JSON.stringify(statistic)}`,
  ]);
  const histogram = createHistogram();
  // When the timer should fire next. Lateness is how far past this the loop got to run.
  let expectedAt = performance.now() + resolutionMs;
  const recordLateness = (now: number): void => {
    histogram.record(Math.max(1, Math.round((now - expectedAt) * NS_PER_MS))); // integers from 1: 1 ns reads as 0 ms
  };
  const timer = setInterval(() => {
    const now = performance.now();
    recordLateness(now);
    expectedAt = now + resolutionMs;
  }, resolutionMs);
  timer.unref();
  let isDisposed = false;

  return {
    ...checkIdentity(options, 'eventLoopLag'),
    run() {
      if (isDisposed) return { status: 'fail', message: 'the event-loop lag check was disposed' };
      // A tick that is overdue counts now, or a stall that has just ended would wait for the next report.
      // The tick then measures only what comes after this moment.
      const now = performance.now();
      if (now > expectedAt) {
        recordLateness(now);
        expectedAt = now;
      }
      const samples = histogram.count;
      const figures = {
        p50LagMs: roundTo(histogram.percentile(50) / NS_PER_MS, 2),
        p99LagMs: roundTo(histogram.percentile(99) / NS_PER_MS, 2),
        maxLagMs: samples === 0 ? 0 : roundTo(histogram.max / NS_PER_MS, 2),
        samples,
        limitMs: maxLagMs,
      };
      histogram.reset();
      const observed = figures[`${statistic}LagMs`];
      return observed > maxLagMs
        ? { status: 'fail', figures, message: `event-loop lag ${statistic} is ${observed} ms, over the ${maxLagMs} ms limit` }
        : { status: 'pass', figures };
    },
    dispose() {
      isDisposed = true;
      clearInterval(timer);
      histogram.reset();
    },
  };
}
