import { getHeapStatistics } from 'node:v8';
import { assertNoProblems, checkIdentity, fractionProblem, type CommonCheckOptions } from './check-options';
import type { HealthCheck } from './health-check';
import { percent, roundTo } from './format';

/** Options of {@link heapCheck}. */
export interface HeapCheckOptions extends CommonCheckOptions {
  /** The share of the heap limit above which the check fails (default 0.9). */
  maxFraction?: number;
}

/**
 * Compares the V8 heap in use with the heap size limit (`v8.getHeapStatistics()`, i.e. what
 * `--max-old-space-size` allows, not the heap allocated so far) and fails above `maxFraction` of it. Figures:
 * `usedBytes`, `limitBytes`, `fraction`, `maxFraction`. Name `heap` by default.
 * @throws InvalidArgumentError when `maxFraction` is not in (0, 1].
 */
export function heapCheck(options: HeapCheckOptions = {}): HealthCheck {
  const { maxFraction = 0.9 } = options;
  assertNoProblems('heapCheck options', [fractionProblem('maxFraction', maxFraction)]);
  return {
    ...checkIdentity(options, 'heap'),
    run() {
      const { used_heap_size: usedBytes, heap_size_limit: limitBytes } = getHeapStatistics();
      const fraction = usedBytes / limitBytes;
      const figures = { usedBytes, limitBytes, fraction: roundTo(fraction, 6), maxFraction };
      return fraction > maxFraction
        ? { status: 'fail', figures, message: `the heap uses ${percent(fraction)} of its limit, over the ${percent(maxFraction)} allowed` }
        : { status: 'pass', figures };
    },
  };
}
