import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../types';

/** The longest latency a histogram tracks, in µs (values above are clamped): 10 minutes. */
const HIGHEST_US = 600_000_000;

/**
 * Latencies in an HdrHistogram, recorded in microseconds (so sub-millisecond loopback latencies keep their
 * resolution) and summarised in milliseconds.
 */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false });

  /** Records one latency given in milliseconds (fractions kept to the µs; negatives count as 0). */
  record(ms: number): void {
    this.histogram.recordValue(Math.min(HIGHEST_US, Math.max(0, Math.round(ms * 1000))));
  }

  /** How many latencies were recorded since the last reset. */
  get count(): number {
    return this.histogram.totalCount;
  }

  /** Forgets every recorded value. */
  reset(): void {
    this.histogram.reset();
  }

  /** p50/p95/p99/p99.9/max in ms (all 0 when nothing was recorded). */
  summary(): LatencySummary {
    const h = this.histogram;
    const ms = (us: number): number => Math.round(us) / 1000;
    if (h.totalCount === 0) return emptySummary();
    return {
      count: h.totalCount,
      p50: ms(h.getValueAtPercentile(50)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
    };
  }
}

/** A summary of no values. */
export function emptySummary(): LatencySummary {
  return { count: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0 };
}
