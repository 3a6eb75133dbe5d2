import type { ServerSample } from '../types';

/** One sample line of the Prometheus text format. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The figures a run reads from the server, at one moment. */
export interface MetricsSnapshot {
  /** When it was taken, ms (performance.now()). */
  at: number;
  cpuSeconds: number | null;
  rssBytes: number | null;
  gcSeconds: number | null;
  /** Cumulative GC pause counts by bucket upper bound (`le`, seconds; +Inf included), all kinds together. */
  gcBuckets: Map<number, number>;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format into samples (comments and malformed lines are skipped). */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (match === null) continue;
    const value = parseSampleValue(match[3] ?? '');
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

function parseSampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Sums the samples whose name ends with `suffix` (any prefix: `gamebuddies_process_cpu…`), or null when none. */
function sumBySuffix(samples: readonly MetricSample[], suffix: string): number | null {
  let total: number | null = null;
  for (const sample of samples) if (sample.name === suffix || sample.name.endsWith(`_${suffix}`)) total = (total ?? 0) + sample.value;
  return total;
}

/**
 * Reads CPU, RSS and GC figures from prom-client's default metrics, matching names by suffix so any prefix
 * works. Missing metrics are null.
 */
export function toMetricsSnapshot(samples: readonly MetricSample[], at: number): MetricsSnapshot {
  const gcBuckets = new Map<number, number>();
  for (const sample of samples) {
    if (!(sample.name === 'nodejs_gc_duration_seconds_bucket' || sample.name.endsWith('_nodejs_gc_duration_seconds_bucket'))) continue;
    const le = parseSampleValue(sample.labels['le'] ?? '');
    if (Number.isNaN(le)) continue;
    gcBuckets.set(le, (gcBuckets.get(le) ?? 0) + sample.value);
  }
  return {
    at,
    cpuSeconds: sumBySuffix(samples, 'process_cpu_seconds_total'),
    rssBytes: sumBySuffix(samples, 'process_resident_memory_bytes'),
    gcSeconds: sumBySuffix(samples, 'nodejs_gc_duration_seconds_sum'),
    gcBuckets,
  };
}

/**
 * Fetches `url` and reads its metrics, or resolves null when the server does not answer in time (a scrape
 * must never fail a run).
 */
export async function scrapeMetrics(url: string, timeoutMs = 5000): Promise<MetricsSnapshot | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const text = await response.text();
    return toMetricsSnapshot(parsePrometheusText(text), performance.now());
  } catch {
    return null;
  }
}

/** A sample of no figures (metrics off, or a scrape failed). */
export function emptyServerSample(): ServerSample {
  return { cpu: null, rssBytes: null, gcSecondsPerSecond: null, gcMaxSeconds: null };
}

/**
 * What the server did between two snapshots: CPU cores used, RSS at the end, GC seconds per second and the
 * upper bound of the longest pause (the smallest bucket that holds every pause of the window; 0 without
 * pauses; the largest finite bound when some pause exceeded every bucket).
 */
export function compareSnapshots(start: MetricsSnapshot | null, end: MetricsSnapshot | null): ServerSample {
  if (start === null || end === null) return { ...emptyServerSample(), rssBytes: end?.rssBytes ?? null };
  const seconds = Math.max(1e-9, (end.at - start.at) / 1000);
  const rate = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.max(0, b - a) / seconds);
  return {
    cpu: rate(start.cpuSeconds, end.cpuSeconds),
    rssBytes: end.rssBytes,
    gcSecondsPerSecond: rate(start.gcSeconds, end.gcSeconds),
    gcMaxSeconds: longestPauseBound(start.gcBuckets, end.gcBuckets),
  };
}

function longestPauseBound(start: Map<number, number>, end: Map<number, number>): number | null {
  if (end.size === 0) return null;
  const bounds = [...end.keys()].sort((a, b) => a - b);
  const delta = (le: number): number => (end.get(le) ?? 0) - (start.get(le) ?? 0);
  const total = delta(Infinity);
  if (total <= 0) return 0;
  const finite = bounds.filter((le) => Number.isFinite(le));
  for (const le of finite) if (delta(le) >= total) return le;
  return finite.at(-1) ?? null;
}
