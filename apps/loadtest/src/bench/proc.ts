/**
 * Server CPU and memory read from Linux's /proc: the authoritative figures of the bench (the `/metrics`
 * scrape of the load generator is a second opinion). Pure parsers plus a sampler that records cumulative CPU
 * ticks, RSS and open file descriptors of a set of processes over time.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat the bench reads. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** CPU time in user mode, clock ticks. */
  utimeTicks: number;
  /** CPU time in kernel mode, clock ticks. */
  stimeTicks: number;
  threads: number;
}

/**
 * Parses the text of /proc/<pid>/stat. The command name may hold spaces and parentheses, so the fields are
 * counted from the last `)`.
 * @throws Error when the text is not a stat line.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc stat field ${n} is not a number: ${text.slice(0, 80)}`);
    return value;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    utimeTicks: field(14),
    stimeTicks: field(15),
    threads: field(20),
  };
}

/**
 * Reads the resident set size in bytes from the text of /proc/<pid>/status (`VmRSS:  12345 kB`).
 * @throws Error when the line is missing (a kernel thread or a zombie has none).
 */
export function parseStatusRssBytes(text: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  if (match === null) throw new Error('no VmRSS line in /proc status');
  return Number(match[1]) * 1024;
}

let cachedTicks: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, nearly always 100). */
export function clockTicksPerSecond(): number {
  if (cachedTicks === undefined) {
    try {
      cachedTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      cachedTicks = 100;
    }
  }
  return cachedTicks;
}

/** One reading of one process. */
export interface ProcReading {
  /** user + system CPU, clock ticks, cumulative since the process started. */
  cpuTicks: number;
  rssBytes: number;
  /** Open file descriptors (sockets included), or null when they cannot be listed. */
  fds: number | null;
}

/** Reads one process now, or null when it is gone. */
export function readProcess(pid: number, countFds = false): ProcReading | null {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const rssBytes = parseStatusRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
    let fds: number | null = null;
    if (countFds) {
      try {
        fds = readdirSync(`/proc/${pid}/fd`).length;
      } catch {
        fds = null;
      }
    }
    return { cpuTicks: stat.utimeTicks + stat.stimeTicks, rssBytes, fds };
  } catch {
    return null;
  }
}

/** The PIDs whose parent is `pid` (found by scanning /proc), e.g. a cluster primary's workers. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8')).ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** A process the sampler watches, under a role name for the report. */
export interface WatchedProcess {
  pid: number;
  /** `server`, `worker`, `redis`, … */
  role: string;
  /** Whether its open descriptors are counted (the processes that hold the players' sockets). */
  holdsSockets: boolean;
}

/** All watched processes at one moment. */
export interface ProcSample {
  /** ms since the epoch. */
  at: number;
  readings: Record<number, ProcReading>;
  /** Busy clock ticks of each core since boot (from /proc/stat), by core number. */
  coreBusyTicks: number[];
}

/**
 * Parses /proc/stat into the busy ticks of each core (everything but idle and iowait), by core number: what
 * every process on the machine, ours or not, kept the core busy with.
 */
export function parseCoreBusyTicks(text: string): number[] {
  const busy: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const fields = (match[2] ?? '').trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal [guest guest_nice], guest time already in user
    const total = fields.slice(0, 8).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
    busy[Number(match[1])] = total - (fields[3] ?? 0) - (fields[4] ?? 0);
  }
  return busy;
}

/** The busy ticks of every core now, or an empty list when /proc/stat cannot be read. */
export function readCoreBusyTicks(): number[] {
  try {
    return parseCoreBusyTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return [];
  }
}

/** How busy one core was between two moments (1 = fully), from the samples' /proc/stat readings, or null. */
export function coreBusyBetween(samples: ProcSample[], core: number, from: number, to: number, ticksPerSecond = clockTicksPerSecond()): number | null {
  const series: SeriesPoint[] = [];
  for (const sample of samples) {
    const value = sample.coreBusyTicks[core];
    if (value !== undefined) series.push({ at: sample.at, value });
  }
  const a = interpolate(series, from);
  const b = interpolate(series, to);
  return a === null || b === null || to <= from ? null : (b - a) / ticksPerSecond / ((to - from) / 1000);
}

/**
 * Samples a changing set of processes every `intervalMs` until stopped. `discover` is called on each tick and
 * returns the processes to watch now (so cluster workers are picked up once they exist).
 */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  readonly processes = new Map<number, WatchedProcess>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly discover: () => WatchedProcess[],
    private readonly intervalMs = 250,
  ) {}

  /** Takes one sample now and then one every interval. */
  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes a last sample and stops. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  /** Takes one sample of every process `discover` names. */
  sample(): void {
    const readings: Record<number, ProcReading> = {};
    for (const watched of this.discover()) {
      this.processes.set(watched.pid, watched);
      const reading = readProcess(watched.pid, watched.holdsSockets);
      if (reading !== null) readings[watched.pid] = reading;
    }
    this.samples.push({ at: Date.now(), readings, coreBusyTicks: readCoreBusyTicks() });
  }
}

/** A time series of one number. */
export interface SeriesPoint {
  at: number;
  value: number;
}

/** The value of a cumulative series at `at`, linearly interpolated between the samples around it. */
export function interpolate(series: SeriesPoint[], at: number): number | null {
  if (series.length === 0) return null;
  const first = series[0]!;
  const last = series[series.length - 1]!;
  if (at <= first.at) return first.value;
  if (at >= last.at) return last.value;
  let lo = 0;
  let hi = series.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (series[mid]!.at <= at) lo = mid;
    else hi = mid;
  }
  const a = series[lo]!;
  const b = series[hi]!;
  return b.at === a.at ? b.value : a.value + ((b.value - a.value) * (at - a.at)) / (b.at - a.at);
}

/** One process's series of a reading's field. */
export function seriesOf(samples: ProcSample[], pid: number, field: keyof ProcReading): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const sample of samples) {
    const value = sample.readings[pid]?.[field];
    if (typeof value === 'number') points.push({ at: sample.at, value });
  }
  return points;
}

/**
 * CPU seconds one process used between two moments (from its cumulative ticks, interpolated), or 0 when the
 * process was not seen.
 */
export function cpuSecondsBetween(samples: ProcSample[], pid: number, from: number, to: number, ticksPerSecond = clockTicksPerSecond()): number {
  const series = seriesOf(samples, pid, 'cpuTicks');
  const a = interpolate(series, from);
  const b = interpolate(series, to);
  return a === null || b === null ? 0 : (b - a) / ticksPerSecond;
}

/** The sum over processes of one field at each sample (processes missing from a sample add nothing). */
export function summedSeries(samples: ProcSample[], pids: number[], field: keyof ProcReading): SeriesPoint[] {
  return samples.map((sample) => ({
    at: sample.at,
    value: pids.reduce((sum, pid) => sum + (sample.readings[pid]?.[field] ?? 0), 0),
  }));
}

/** Where the players were connected, read from the open descriptors of the socket-holding processes. */
export interface ConnectionPhases {
  /** First sample with clearly more descriptors than at the start: the ramp has begun. */
  rampStart: number;
  /** First sample with nearly all the players' descriptors: the ramp is over. */
  rampEnd: number;
  /** Last sample before the descriptors fall clearly below their peak (the bots leaving), or null. */
  teardownStart: number | null;
  baseline: number;
  peak: number;
}

/**
 * Finds the ramp and the teardown in a series of open descriptor counts: the ramp starts when the count rises
 * 2% of `players` above its first value and ends when it reaches 98% of `players` above it (or its peak, when
 * fewer connected); the teardown begins after the last sample at or above 95% of the peak's rise.
 * Returns null when the count never rose.
 */
export function connectionPhases(fds: SeriesPoint[], players: number): ConnectionPhases | null {
  if (fds.length < 2) return null;
  const baseline = fds[0]!.value;
  let peak = baseline;
  let peakIndex = 0;
  fds.forEach((p, i) => {
    if (p.value > peak) {
      peak = p.value;
      peakIndex = i;
    }
  });
  const rise = peak - baseline;
  if (rise <= 0) return null;
  const startLevel = baseline + Math.max(1, Math.min(0.02 * players, 0.02 * rise));
  const endLevel = baseline + Math.min(0.98 * players, rise);
  const rampStartPoint = fds.find((p) => p.value >= startLevel) ?? fds[0]!;
  const rampEndPoint = fds.find((p) => p.value >= endLevel) ?? fds[peakIndex]!;
  const holdLevel = baseline + 0.95 * rise;
  let lastHeld = -1;
  for (let i = fds.length - 1; i >= peakIndex; i--) {
    if (fds[i]!.value >= holdLevel) {
      lastHeld = i;
      break;
    }
  }
  const teardownStart = lastHeld >= 0 && lastHeld < fds.length - 1 ? fds[lastHeld]!.at : null;
  return { rampStart: rampStartPoint.at, rampEnd: rampEndPoint.at, teardownStart, baseline, peak };
}
