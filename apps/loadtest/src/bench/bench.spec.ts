import { readFileSync } from 'node:fs';
import type { LatencySummary, StepResult } from '../types';
import { spreadOf } from './calibrate';
import { shortLocation, topSelfTime, type CpuProfile } from './cpuprofile';
import { judgeStep, median, searchKnee } from './knee';
import { parseBenchArgs } from './main';
import { clockTicksPerSecond, connectionPhases, coreBusyBetween, cpuSecondsBetween, parseCoreBusyTicks, interpolate, parseProcStat, parseStatusRssBytes, ProcSampler, readProcess } from './proc';
import { commandDeltas, encodeCommand, parseCommandStats, readReply, totalCalls } from './redis-stats';
import { checkTargets, deriveFigures, type ConfigOutcome } from './summary';
import { redisFigures, type TrialResult } from './trial';

function latency(p95: number): LatencySummary {
  return { count: 500, p50: p95 / 2, p95, p99: p95, p999: p95, max: p95 };
}

function step(players: number, p95: number, overrides: Partial<StepResult> = {}): StepResult {
  return {
    players,
    connected: players,
    roomSize: 10,
    game: 'party-bench',
    transport: 'light',
    windowMs: 12_000,
    connect: latency(3),
    ack: latency(p95),
    ownView: latency(p95),
    actionsPerSecond: players / 2,
    pushesPerSecond: players * 5,
    bytesPerSecond: players * 5 * 110,
    errors: {},
    drops: 0,
    server: { cpu: null, rssBytes: null, gcSecondsPerSecond: null, gcMaxSeconds: null },
    ...overrides,
  };
}

describe('the knee search', () => {
  /** A fake server that passes every count up to `limit`. */
  function upTo(limit: number): { probe: (n: number) => Promise<boolean>; tried: number[] } {
    const tried: number[] = [];
    return { tried, probe: async (n) => (tried.push(n), n <= limit) };
  }

  it('stops the coarse pass at the first failure and bisects to within 10% of the passing count', async () => {
    const fake = upTo(5300);
    const result = await searchKnee(fake.probe, { coarse: [1000, 2000, 4000, 8000, 12_000] });
    expect(fake.tried.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(fake.tried).not.toContain(12_000);
    expect(result.lastPass).toBeLessThanOrEqual(5300);
    expect(result.firstFail).toBeGreaterThan(5300);
    expect(result.firstFail! - result.lastPass!).toBeLessThanOrEqual(0.1 * result.lastPass!);
    expect(result.probes.filter((p) => p.phase === 'bisect').length).toBeLessThanOrEqual(4);
    for (const n of fake.tried) expect(n % 10).toBe(0);
  });

  it('reports the ceiling when every coarse count passes, without bisecting', async () => {
    const fake = upTo(1e9);
    const result = await searchKnee(fake.probe, { coarse: [1000, 2000, 4000] });
    expect(result).toMatchObject({ lastPass: 4000, firstFail: null, isCut: false });
    expect(fake.tried).toEqual([1000, 2000, 4000]);
  });

  it('bisects below the first coarse count when even it fails, a bounded number of times', async () => {
    const fake = upTo(130);
    const result = await searchKnee(fake.probe, { coarse: [1000, 2000], maxBisections: 6 });
    expect(result.probes[0]).toEqual({ players: 1000, passed: false, phase: 'coarse' });
    expect(result.probes.length).toBeLessThanOrEqual(7);
    expect(result.lastPass === null || result.lastPass <= 130).toBe(true);
  });

  it('counts a probe that throws as a failure', async () => {
    const result = await searchKnee(async (n) => {
      if (n >= 400) throw new Error('server crashed');
      return true;
    }, { coarse: [100, 200, 400, 800] });
    expect(result.probes.find((p) => p.players === 400)?.passed).toBe(false);
    expect(result.lastPass).toBeGreaterThanOrEqual(200);
    expect(result.firstFail).toBeLessThanOrEqual(400);
  });

  it('stops when told to, saying so', async () => {
    let calls = 0;
    const result = await searchKnee(async () => (calls++, true), { coarse: [1, 2, 3, 4], shouldStop: () => calls >= 2 });
    expect(result).toMatchObject({ lastPass: 2, isCut: true });
  });

  it('passes a step only with p95 under 50 ms, no errors, no drops and everyone connected', () => {
    expect(judgeStep(step(1000, 49.9)).passed).toBe(true);
    expect(judgeStep(step(1000, 50)).reasons).toEqual(['p95 own view 50.0 ms ≥ 50 ms']);
    expect(judgeStep(step(1000, 10, { errors: { RATE_LIMITED: 2, timeout: 1 } })).reasons).toEqual(['3 errors']);
    expect(judgeStep(step(1000, 10, { drops: 1 })).passed).toBe(false);
    expect(judgeStep(step(1000, 10, { connected: 990 })).reasons).toEqual(['10 not connected']);
    expect(judgeStep(step(1000, 10, { ownView: { ...latency(1), count: 0 } })).passed).toBe(false);
  });

  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('/proc', () => {
  it("reads this test's own process: CPU ticks grow with work, RSS matches Node's own figure", () => {
    const stat = parseProcStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    expect(stat.pid).toBe(process.pid);
    expect(stat.ppid).toBe(process.ppid);
    expect(stat.threads).toBeGreaterThan(1);
    const before = readProcess(process.pid, true)!;
    const until = Date.now() + 150;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const after = readProcess(process.pid, true)!;
    expect(after.cpuTicks - before.cpuTicks).toBeGreaterThanOrEqual(5);
    expect(after.fds).toBeGreaterThan(2);
    const rss = process.memoryUsage.rss();
    expect(Math.abs(after.rssBytes - rss) / rss).toBeLessThan(0.2);
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  it('parses a command name holding spaces and parentheses', () => {
    const line = '4242 (node (worker) 1) S 17 4242 4242 0 -1 4194560 1 0 0 0 250 75 0 0 20 0 11 0 99 1 2 3';
    expect(parseProcStat(line)).toMatchObject({ pid: 4242, comm: 'node (worker) 1', state: 'S', ppid: 17, utimeTicks: 250, stimeTicks: 75, threads: 11 });
    expect(() => parseProcStat('garbage')).toThrow();
    expect(parseStatusRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nVmSwap:\t0 kB\n')).toBe(51200 * 1024);
    expect(() => parseStatusRssBytes('Name:\tkthreadd\n')).toThrow();
  });

  it('samples a process and interpolates its CPU between samples', async () => {
    const sampler = new ProcSampler(() => [{ pid: process.pid, role: 'self', holdsSockets: false }], 20);
    sampler.start();
    const until = Date.now() + 200;
    let x = 0;
    while (Date.now() < until) {
      x += Math.sqrt(x + 1);
      if (x > 1e12) x = 0;
      if (Date.now() % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
    sampler.stop();
    expect(sampler.samples.length).toBeGreaterThanOrEqual(2);
    const first = sampler.samples[0]!.at;
    const last = sampler.samples[sampler.samples.length - 1]!.at;
    const cpu = cpuSecondsBetween(sampler.samples, process.pid, first, last, 100);
    expect(cpu).toBeGreaterThan(0.05);
    expect(cpu).toBeLessThanOrEqual(((last - first) / 1000) * 1.5 + 0.02);
  });

  it('reads how busy each core is from /proc/stat, idle and iowait left out', () => {
    const text = 'cpu  500 0 300 9000 20 0 10 0 0 0\ncpu0 100 5 50 4000 10 1 4 0 0 0\ncpu1 400 0 250 5000 10 0 6 0 0 0\nintr 123\n';
    expect(parseCoreBusyTicks(text)).toEqual([160, 656]);
    const live = parseCoreBusyTicks(readFileSync('/proc/stat', 'utf8'));
    expect(live.length).toBeGreaterThanOrEqual(1);
    const samples = [0, 1000].map((at, i) => ({ at, readings: {}, coreBusyTicks: [i * 50, i * 100] }));
    expect(coreBusyBetween(samples, 0, 0, 1000, 100)).toBeCloseTo(0.5);
    expect(coreBusyBetween(samples, 1, 0, 1000, 100)).toBeCloseTo(1);
    expect(coreBusyBetween(samples, 2, 0, 1000, 100)).toBeNull();
  });

  it('interpolates a cumulative series linearly and clamps outside it', () => {
    const series = [{ at: 0, value: 0 }, { at: 10, value: 100 }, { at: 20, value: 120 }];
    expect(interpolate(series, 5)).toBe(50);
    expect(interpolate(series, 15)).toBe(110);
    expect(interpolate(series, -5)).toBe(0);
    expect(interpolate(series, 99)).toBe(120);
    expect(interpolate([], 1)).toBeNull();
  });

  it('finds the ramp and the teardown in the open descriptors', () => {
    const fds = [20, 20, 120, 320, 520, 800, 1015, 1020, 1020, 1018, 1020, 600, 30].map((value, i) => ({ at: i * 1000, value }));
    expect(connectionPhases(fds, 1000)).toEqual({ rampStart: 2000, rampEnd: 6000, teardownStart: 10_000, baseline: 20, peak: 1020 });
    expect(connectionPhases(fds.slice(0, 11), 1000)?.teardownStart).toBeNull();
    expect(connectionPhases([{ at: 0, value: 5 }, { at: 1, value: 5 }], 10)).toBeNull();
  });
});

describe('Redis command stats', () => {
  const before = ['# Commandstats', 'cmdstat_evalsha:calls=100,usec=900,usec_per_call=9.00,rejected_calls=0,failed_calls=0', 'cmdstat_info:calls=3,usec=30', 'cmdstat_publish:calls=50,usec=100'].join('\r\n');
  const after = ['# Commandstats', 'cmdstat_evalsha:calls=400,usec=3600', 'cmdstat_info:calls=9,usec=90', 'cmdstat_publish:calls=150,usec=300', 'cmdstat_client|setname:calls=2,usec=1'].join('\r\n');

  it('parses calls per command, leaving out the bench\'s own INFO', () => {
    expect(parseCommandStats(before)).toEqual({ evalsha: 100, info: 3, publish: 50 });
    const deltas = commandDeltas(parseCommandStats(before), parseCommandStats(after));
    expect(deltas).toEqual({ evalsha: 300, publish: 100, 'client|setname': 2 });
    expect(totalCalls(deltas)).toBe(402);
  });

  it('divides commands per second by actions per second over the window', () => {
    const samples = [
      { at: 0, calls: parseCommandStats(before) },
      { at: 1000, calls: parseCommandStats(before) },
      { at: 3000, calls: parseCommandStats(after) },
      { at: 9000, calls: { evalsha: 10_000 } },
    ];
    const figures = redisFigures(samples, 500, 3500, 50)!;
    expect(figures.commandsPerSecond).toBe(201);
    expect(figures.commandsPerAction).toBeCloseTo(4.02);
    expect(figures.byCommand[0]).toEqual({ command: 'evalsha', perSecond: 150, perAction: 3 });
    expect(redisFigures(samples, 8000, 9500, 50)).toBeNull();
  });

  it('speaks enough RESP for INFO', () => {
    expect(encodeCommand(['INFO', 'commandstats'])).toBe('*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n');
    expect(readReply(Buffer.from('$5\r\nhello\r\n+OK'))).toEqual({ value: 'hello', isError: false, length: 11 });
    expect(readReply(Buffer.from('$5\r\nhel'))).toBeNull();
    expect(readReply(Buffer.from('-ERR nope\r\n'))).toEqual({ value: 'ERR nope', isError: true, length: 11 });
  });
});

describe('the CPU profile', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
      { id: 2, callFrame: { functionName: 'emit', url: 'file:///work/main/node_modules/socket.io/dist/socket.js', lineNumber: 9 }, children: [4] },
      { id: 3, callFrame: { functionName: '', url: 'file:///work/main/libs/room-host/src/host.ts', lineNumber: 41 } },
      { id: 4, callFrame: { functionName: 'emit', url: 'file:///work/main/node_modules/socket.io/dist/socket.js', lineNumber: 9 } },
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    ],
    samples: [2, 3, 4, 4, 5, 2],
    timeDeltas: [0, 100, 200, 300, 400, 500],
  };

  it('sums self time per function, merging nodes of the same function, largest first', () => {
    const top = topSelfTime(profile, 3);
    expect(top.map((e) => [e.functionName, e.location, e.selfMs])).toEqual([
      ['emit', 'socket.io/dist/socket.js:10', 0.1 + 0.3 + 0.4 + 0.3],
      ['(garbage collector)', '', 0.5],
      ['(anonymous)', 'libs/room-host/src/host.ts:42', 0.2],
    ]);
    const all = topSelfTime(profile, 15);
    expect(all.reduce((s, e) => s + e.percent, 0)).toBeCloseTo(100);
  });

  it('refuses a profile whose samples and deltas disagree', () => {
    expect(() => topSelfTime({ ...profile, timeDeltas: [1] })).toThrow();
  });

  it('shortens locations', () => {
    expect(shortLocation('node:internal/streams/writable', 3)).toBe('node:internal/streams/writable:4');
    expect(shortLocation('file:///home/x/project/dist/main.js', 0)).toBe('dist/main.js:1');
    expect(shortLocation('', -1)).toBe('');
  });
});

describe('the bench arguments and findings', () => {
  it('parses its flags and names a bad one', () => {
    expect(parseBenchArgs(['--only', 'b,a', '--quick'], '/w')).toMatchObject({ only: ['a', 'b'], isQuick: true, runs: 1, outDir: '/w/apps/loadtest/reports' });
    expect(parseBenchArgs(['--runs', '5', '--profile', '--write-benchmarks'], '/w')).toMatchObject({ only: ['a', 'b', 'c', 'd'], runs: 5, profile: true, writeBenchmarks: true });
    expect(() => parseBenchArgs(['--only', 'x'])).toThrow(/--only/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown flag --fast/);
  });

  function trial(players: number, overrides: Partial<TrialResult> = {}): TrialResult {
    const s = step(players, 20);
    return {
      config: 'b', players, startedAt: '', step: s, scraped: s.server, verdict: { passed: true, reasons: [] }, window: null, roles: [],
      cpuCores: 0.5, nodeRssBytes: 100 * 2 ** 20 + players * 10 * 1024, nodeIdleRssBytes: 100 * 2 ** 20, ramp: null, redis: null, isPinned: true, foreignCores: 0, botCoreBusy: 0.5, durationMs: 0,
      ...overrides,
    };
  }

  function outcome(config: 'a' | 'b' | 'c', found: number, cpuMicrosPerPush: number, rssPerPlayerKb = 10): ConfigOutcome {
    const figures = deriveFigures(found, [trial(found)]);
    return { config, label: config, isPinned: true, search: null, trials: [], disturbed: [], found, next: found + 100, isCeiling: false, atFound: { ...figures, cpuMicrosPerPush, rssPerPlayerKb }, atNext: null, notes: [] };
  }

  it('derives CPU per push and RSS per player above idle from the runs', () => {
    const figures = deriveFigures(2000, [trial(2000), trial(2000, { cpuCores: 0.7 }), trial(2000, { cpuCores: 0.6 })]);
    // 0.6 cores / 10,000 pushes/s
    expect(figures.cpuMicrosPerPush).toBeCloseTo(60);
    expect(figures.rssPerPlayerKb).toBeCloseTo(10);
    expect(figures.bytesPerPush).toBeCloseTo(110);
    expect(figures.runs).toBe(3);
  });

  it('judges the targets and says by how much one is missed', () => {
    const checks = checkTargets({ a: outcome('a', 4000, 40), b: outcome('b', 4400, 30, 20), c: outcome('c', 3000, 50) });
    const byTarget = Object.fromEntries(checks.map((c) => [c.target, c]));
    expect(byTarget["b's largest passing step ≥ 1.25 × a's"]).toMatchObject({ isMet: false, margin: 'missed by 600 players (12% short of 5,000)' });
    expect(byTarget["b's CPU per push ≤ 0.5 × a's"]).toMatchObject({ isMet: false });
    expect(byTarget["b's RSS per player ≤ 16 KB"]).toMatchObject({ isMet: false, margin: 'missed by 4.0 KB (25% over)' });
    expect(byTarget["c's largest passing step ≥ 0.6 × b's"]).toMatchObject({ isMet: true });
    expect(checkTargets({ b: outcome('b', 100, 1) }).find((c) => c.target.startsWith("b's largest"))?.isMet).toBeNull();
  });

  it('measures machine noise as the spread of the runs', () => {
    expect(spreadOf([100, 110, 105])).toBeCloseTo(10 / 105);
    expect(spreadOf([100])).toBe(0);
  });
});
