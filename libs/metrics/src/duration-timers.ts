import type { Histogram, LabelValues } from 'prom-client';

/**
 * Runs `work` (a function, or a promise already started) and observes its duration in seconds in `histogram`
 * with `labels`, whether it resolves, rejects or throws. Returns or rethrows what `work` did.
 */
export async function observeDuration<T, L extends string>(
  histogram: Histogram<L>,
  labels: LabelValues<L>,
  work: (() => Promise<T> | T) | Promise<T>,
): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    return await (typeof work === 'function' ? work() : work);
  } finally {
    end();
  }
}
