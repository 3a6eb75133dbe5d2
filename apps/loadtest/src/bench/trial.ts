/**
 * One trial: a fresh server of one set-up, the load generator CLI ramping to one player count and holding it,
 * and the server's processes measured from /proc (and Redis from `INFO commandstats`) over the CLI's measured
 * window. The server is stopped by PID whatever happens.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild, trackChild } from '@gamebuddies/test-services';
import type { RunResult, StepResult } from '../types';
import { judgeStep, type Verdict } from './knee';
import { connectionPhases, coreBusyBetween, cpuSecondsBetween, interpolate, ProcSampler, seriesOf, summedSeries, type ConnectionPhases } from './proc';
import { commandDeltas, RawRedis, totalCalls } from './redis-stats';
import { BOT_CORE, SERVER_CORE, startServer, type ConfigId, type RunningServer } from './servers';

/** The workload and timing of every trial. */
export interface Workload {
  roomSize: number;
  thinkMs: number;
  rampPerSecond: number;
  /** Discarded time after the ramp before measuring, ms. */
  warmupMs: number;
  /** Measured time after the warm-up, ms (the CLI's `--hold`). */
  holdMs: number;
}

/** What one trial needs besides the player count. */
export interface TrialContext {
  workspaceRoot: string;
  /** Where the CLI's JSON goes. */
  workDir: string;
  workload: Workload;
  /** Extra node arguments for the gateway (profiling). */
  nodeArgs?: string[];
  /** Called with every server started, so a signal handler can stop it; and with null once it is stopped. */
  onServer?: (server: RunningServer | null) => void;
  /** Called with the CLI's PID while it runs (null after). */
  onCli?: (pid: number | null) => void;
  log: (line: string) => void;
}

/** CPU and memory of one role's processes over the measured window. */
export interface RoleFigures {
  role: string;
  pids: number[];
  /** CPU over the window / window length (1 = one core). */
  cpuCores: number;
  /** RSS at the end of the window, bytes. */
  rssBytes: number;
  /** RSS before the first bot connected, bytes. */
  idleRssBytes: number;
}

/** Server-side figures of the ramp (joins). */
export interface RampFigures {
  seconds: number;
  joins: number;
  joinsPerSecond: number;
  /** Server CPU seconds over the ramp, every process. */
  cpuSeconds: number;
  /** CPU per join with nothing taken off. */
  rawCpuMsPerJoin: number;
  /**
   * CPU per join after taking off the players' actions during the ramp (the hold's CPU rate times half the
   * ramp: on a linear ramp half the players are connected on average).
   */
  cpuMsPerJoin: number;
}

/** Redis commands over the measured window. */
export interface RedisFigures {
  commandsPerSecond: number;
  commandsPerAction: number | null;
  /** Calls per action by command, largest first. */
  byCommand: { command: string; perAction: number | null; perSecond: number }[];
}

/** Everything one trial measured. */
export interface TrialResult {
  config: ConfigId;
  players: number;
  /** ISO time the trial started. */
  startedAt: string;
  /** The CLI's step, with `server.cpu` and `server.rssBytes` replaced by the /proc figures (null when the CLI failed). */
  step: StepResult | null;
  /** The CLI's own `/metrics` scrape, kept for comparison. */
  scraped: StepResult['server'] | null;
  verdict: Verdict;
  window: { start: number; end: number; source: 'teardown' | 'cli-exit' } | null;
  roles: RoleFigures[];
  /** All server processes: CPU cores over the window. */
  cpuCores: number | null;
  /** Node processes only (gateway, workers or the reference server): RSS at window end and idle. */
  nodeRssBytes: number | null;
  nodeIdleRssBytes: number | null;
  ramp: RampFigures | null;
  redis: RedisFigures | null;
  isPinned: boolean;
  /**
   * CPU on the server's core that was not the server's over the window (other processes of the machine, and
   * kernel network work not charged to a process), in cores; null for the unpinned cluster. A large value means
   * the run was disturbed.
   */
  foreignCores: number | null;
  /** How busy the bots' core was over the window (1 = fully): near 1, the load generator may be the limit. */
  botCoreBusy: number | null;
  durationMs: number;
  /** What went wrong, if the trial could not measure. */
  error?: string;
}

/** Arguments of the load generator CLI for one trial. */
export function cliArguments(url: string, players: number, workload: Workload, jsonFile: string): string[] {
  return [
    '--url', url,
    '--steps', String(players),
    '--room-size', String(workload.roomSize),
    '--game', 'party-bench',
    '--think-ms', String(workload.thinkMs),
    '--ramp', String(workload.rampPerSecond),
    '--warmup', `${workload.warmupMs}ms`,
    '--hold', `${workload.holdMs}ms`,
    '--transport', 'light',
    '--json', jsonFile,
    '--quiet',
  ];
}

/** How long a trial may take before the CLI is stopped: twice the plan plus a minute. */
export function trialTimeoutMs(players: number, workload: Workload): number {
  return 2 * ((players / workload.rampPerSecond) * 1000 + workload.warmupMs + workload.holdMs) + 60_000;
}

interface CommandSample {
  at: number;
  calls: Record<string, number>;
}

/** Samples Redis's command counters every `intervalMs` (one INFO in flight at a time). */
class CommandSampler {
  readonly samples: CommandSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private isBusy = false;

  constructor(private readonly redis: RawRedis) {}

  async start(intervalMs = 500): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    while (this.isBusy) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.sample();
  }

  private async sample(): Promise<void> {
    if (this.isBusy) return;
    this.isBusy = true;
    try {
      const calls = await this.redis.commandStats();
      this.samples.push({ at: Date.now(), calls });
    } catch {
      // a missed sample only widens the interpolation
    } finally {
      this.isBusy = false;
    }
  }
}

/** The figures of the Redis samples closest inside [from, to], scaled by their own time span. */
export function redisFigures(samples: CommandSample[], from: number, to: number, actionsPerSecond: number): RedisFigures | null {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 2) return null;
  const first = inside[0]!;
  const last = inside[inside.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return null;
  const deltas = commandDeltas(first.calls, last.calls);
  const commandsPerSecond = totalCalls(deltas) / seconds;
  const perAction = (perSecond: number): number | null => (actionsPerSecond > 0 ? perSecond / actionsPerSecond : null);
  return {
    commandsPerSecond,
    commandsPerAction: perAction(commandsPerSecond),
    byCommand: Object.entries(deltas)
      .map(([command, calls]) => ({ command, perSecond: calls / seconds, perAction: perAction(calls / seconds) }))
      .sort((a, b) => b.perSecond - a.perSecond),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the CLI pinned to {@link BOT_CORE}; resolves with its exit code (null when it was stopped) and output tail. */
async function runCli(context: TrialContext, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string; exitedAt: number }> {
  const cli = join(context.workspaceRoot, 'apps/loadtest/dist/cli.js');
  const child = spawn('taskset', ['-c', String(BOT_CORE), process.execPath, cli, ...args], { cwd: context.workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  context.onCli?.(child.pid ?? null);
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => {
    output += `\n[bench] the CLI ran past ${timeoutMs} ms: stopped\n`;
    void stopChild(child, 'SIGTERM', 3000);
  }, timeoutMs);
  try {
    const code = await exited;
    return { code, output, exitedAt: Date.now() };
  } finally {
    clearTimeout(timer);
    context.onCli?.(null);
  }
}

/**
 * Runs one trial at `players` on a fresh server of `config`.
 * Never throws for a failing server or CLI: the result says what failed (and fails the pass rule).
 */
export async function runTrial(config: ConfigId, players: number, context: TrialContext): Promise<TrialResult> {
  const began = Date.now();
  const startedAt = new Date(began).toISOString();
  const empty = (error: string, isPinned = config !== 'd'): TrialResult => ({
    config, players, startedAt, step: null, scraped: null, verdict: { passed: false, reasons: [error] }, window: null, roles: [],
    cpuCores: null, nodeRssBytes: null, nodeIdleRssBytes: null, ramp: null, redis: null, isPinned, foreignCores: null, botCoreBusy: null, durationMs: Date.now() - began, error,
  });
  let server: RunningServer;
  try {
    server = await startServer(config, { workspaceRoot: context.workspaceRoot, ...(context.nodeArgs === undefined ? {} : { nodeArgs: context.nodeArgs }) });
  } catch (error) {
    return empty(`server did not start: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
  }
  context.onServer?.(server);
  let redis: RawRedis | null = null;
  const sampler = new ProcSampler(() => server.watched(), 250);
  try {
    if (server.redisPort !== null) redis = await RawRedis.connect(server.redisPort);
    const commands = redis === null ? null : new CommandSampler(redis);
    sampler.start();
    await commands?.start();
    await sleep(1000);
    mkdirSync(context.workDir, { recursive: true });
    const jsonFile = join(context.workDir, `${config}-${players}-${began}.json`);
    const cli = await runCli(context, cliArguments(server.url, players, context.workload, jsonFile), trialTimeoutMs(players, context.workload));
    await sleep(300);
    sampler.stop();
    await commands?.stop();

    let run: RunResult;
    try {
      run = JSON.parse(readFileSync(jsonFile, 'utf8')) as RunResult;
      rmSync(jsonFile, { force: true });
    } catch {
      return empty(`the CLI wrote no result (exit ${cli.code}): ${cli.output.trim().split('\n').slice(-8).join(' / ').slice(0, 800)}`, server.isPinned);
    }
    const cliStep = run.steps[run.steps.length - 1];
    if (cliStep === undefined) return empty('the CLI result has no step', server.isPinned);

    const processes = [...sampler.processes.values()];
    const socketPids = processes.filter((p) => p.holdsSockets).map((p) => p.pid);
    const phases: ConnectionPhases | null = connectionPhases(summedSeries(sampler.samples, socketPids, 'fds'), players);
    const end = phases?.teardownStart ?? cli.exitedAt;
    const window = { start: end - cliStep.windowMs, end, source: phases?.teardownStart === null || phases === null ? ('cli-exit' as const) : ('teardown' as const) };
    const windowSeconds = cliStep.windowMs / 1000;

    const roleNames = [...new Set(processes.map((p) => p.role))];
    const roles: RoleFigures[] = roleNames.map((role) => {
      const pids = processes.filter((p) => p.role === role).map((p) => p.pid);
      const cpuSeconds = pids.reduce((sum, pid) => sum + cpuSecondsBetween(sampler.samples, pid, window.start, window.end), 0);
      const rssAt = (at: number): number => pids.reduce((sum, pid) => sum + (interpolate(seriesOf(sampler.samples, pid, 'rssBytes'), at) ?? 0), 0);
      const firstSample = sampler.samples[0]?.at ?? began;
      return { role, pids, cpuCores: cpuSeconds / windowSeconds, rssBytes: rssAt(window.end), idleRssBytes: rssAt(phases?.rampStart ?? firstSample) };
    });
    const cpuCores = roles.reduce((sum, r) => sum + r.cpuCores, 0);
    const nodeRoles = roles.filter((r) => r.role !== 'redis');
    const nodeRssBytes = nodeRoles.reduce((sum, r) => sum + r.rssBytes, 0);
    const nodeIdleRssBytes = nodeRoles.reduce((sum, r) => sum + r.idleRssBytes, 0);

    let ramp: RampFigures | null = null;
    if (phases !== null && phases.rampEnd > phases.rampStart && cliStep.connected > 0) {
      const seconds = (phases.rampEnd - phases.rampStart) / 1000;
      const allPids = processes.map((p) => p.pid);
      const cpuSeconds = allPids.reduce((sum, pid) => sum + cpuSecondsBetween(sampler.samples, pid, phases.rampStart, phases.rampEnd), 0);
      const actionCpu = cpuCores * seconds * 0.5;
      ramp = {
        seconds,
        joins: cliStep.connected,
        joinsPerSecond: cliStep.connected / seconds,
        cpuSeconds,
        rawCpuMsPerJoin: (cpuSeconds * 1000) / cliStep.connected,
        cpuMsPerJoin: (Math.max(0, cpuSeconds - actionCpu) * 1000) / cliStep.connected,
      };
    }
    const coreBusy = server.isPinned ? coreBusyBetween(sampler.samples, SERVER_CORE, window.start, window.end) : null;
    const foreignCores = coreBusy === null ? null : Math.max(0, coreBusy - cpuCores);
    const step: StepResult = { ...cliStep, server: { ...cliStep.server, cpu: cpuCores, rssBytes: nodeRssBytes } };
    return {
      config,
      players,
      startedAt,
      step,
      scraped: cliStep.server,
      verdict: judgeStep(step),
      window,
      roles,
      cpuCores,
      nodeRssBytes,
      nodeIdleRssBytes,
      ramp,
      redis: commands === null ? null : redisFigures(commands.samples, window.start, window.end, cliStep.actionsPerSecond),
      isPinned: server.isPinned,
      foreignCores,
      botCoreBusy: coreBusyBetween(sampler.samples, BOT_CORE, window.start, window.end),
      durationMs: Date.now() - began,
    };
  } catch (error) {
    return empty(`trial failed: ${error instanceof Error ? error.message : String(error)}`, server.isPinned);
  } finally {
    sampler.stop();
    redis?.close();
    await server.stop();
    context.onServer?.(null);
  }
}
