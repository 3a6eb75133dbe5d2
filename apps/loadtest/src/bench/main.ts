/**
 * The load bench (`npx nx run loadtest:bench`): for each set-up (a: reference Socket.IO server, b: gateway in
 * memory, c: gateway on Redis, d: gateway cluster on Redis), finds the largest player count that passes
 * (p95 action-to-own-view < 50 ms, no errors, no drops), repeats the runs around it, and writes JSON, markdown
 * and an SVG chart. One command, stops by itself; every process it starts is stopped by PID.
 *
 * Flags: `--only b` (or `a,c`), `--quick` (a smoke run), `--runs N` (runs per point, default 3), `--out DIR`
 * (default apps/loadtest/reports), `--write-benchmarks` (also apps/loadtest/BENCHMARKS.md), `--profile`
 * (a CPU profile of b at its largest passing step), `--budget-minutes M` (default 28), `--reuse FILE` (carry the
 * set-ups not run now over from an earlier run's JSON, e.g. to measure c and d again after a disturbed run).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join, relative } from 'node:path';
import { requireBinary, WORKSPACE_ROOT } from '@gamebuddies/test-services';
import { renderChart } from '../report';
import { calibrate, type CoreCalibration } from './calibrate';
import { topSelfTime, type CpuProfile } from './cpuprofile';
import { searchKnee } from './knee';
import { clockTicksPerSecond, readCoreBusyTicks } from './proc';
import { BOT_CORE, CONFIG_IDS, CONFIG_LABELS, pinProcess, SERVER_CORE, type ConfigId, type RunningServer } from './servers';
import { chartSteps, deriveFigures, renderBenchmarkMarkdown, type BenchReport, type ConfigOutcome } from './summary';
import { runTrial, type TrialContext, type TrialResult, type Workload } from './trial';

/** The bench's command-line options. */
export interface BenchOptions {
  only: ConfigId[];
  isQuick: boolean;
  runs: number;
  outDir: string;
  writeBenchmarks: boolean;
  profile: boolean;
  budgetMs: number;
  /** A previous bench JSON whose set-ups not run now are carried into this report. */
  reuse: string | null;
}

/**
 * Parses the bench's arguments.
 * @throws Error naming a bad flag or value.
 */
export function parseBenchArgs(args: string[], root = WORKSPACE_ROOT): BenchOptions {
  const options: BenchOptions = { only: [...CONFIG_IDS], isQuick: false, runs: 3, outDir: join(root, 'apps/loadtest/reports'), writeBenchmarks: false, profile: false, budgetMs: 28 * 60_000, reuse: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--only': {
        const ids = value().split(',').map((s) => s.trim().toLowerCase());
        const bad = ids.filter((id) => !(CONFIG_IDS as readonly string[]).includes(id));
        if (bad.length > 0 || ids.length === 0) throw new Error(`--only takes a, b, c and d (got ${bad.join(', ')})`);
        options.only = CONFIG_IDS.filter((id) => ids.includes(id));
        break;
      }
      case '--quick':
        options.isQuick = true;
        break;
      case '--runs': {
        const runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1 || runs > 9) throw new Error('--runs takes 1 to 9');
        options.runs = runs;
        break;
      }
      case '--out':
        options.outDir = value();
        break;
      case '--write-benchmarks':
        options.writeBenchmarks = true;
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--budget-minutes': {
        const minutes = Number(value());
        if (!(minutes > 0)) throw new Error('--budget-minutes takes a positive number');
        options.budgetMs = minutes * 60_000;
        break;
      }
      case '--reuse':
        options.reuse = value();
        break;
      case '--':
        break;
      default:
        throw new Error(`unknown flag ${arg} (flags: --only a,b,c,d --quick --runs N --out DIR --write-benchmarks --profile --budget-minutes M --reuse FILE)`);
    }
  }
  if (options.isQuick && !args.includes('--runs')) options.runs = 1;
  return options;
}

const FULL: { workload: Workload; coarse: number[] } = {
  workload: { roomSize: 10, thinkMs: 2000, rampPerSecond: 500, warmupMs: 3000, holdMs: 12_000 },
  coarse: [1000, 2000, 4000, 8000, 12_000],
};
const QUICK: { workload: Workload; coarse: number[] } = {
  workload: { roomSize: 10, thinkMs: 2000, rampPerSecond: 500, warmupMs: 1000, holdMs: 4000 },
  coarse: [100, 200, 400],
};

/** Other work on the server's core (in cores) above which a failing run is run again. */
const DISTURBED_CORES = 0.2;

/** How many times a disturbed failing run is run again. */
const MAX_RERUNS = 2;

/**
 * Waits (up to `maxWaitMs`) until neither core is more than 15% busy over a second, so that a trial does not
 * start while other work (another test suite on this machine) holds a core. Nothing of the bench's runs then.
 */
async function waitForQuiet(say: (line: string) => void, maxWaitMs = 90_000): Promise<void> {
  const began = Date.now();
  let hasSaid = false;
  for (;;) {
    const before = readCoreBusyTicks();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = readCoreBusyTicks();
    const busiest = Math.max(0, ...after.map((ticks, core) => (ticks - (before[core] ?? ticks)) / clockTicksPerSecond()));
    if (busiest <= 0.15) return;
    if (Date.now() - began > maxWaitMs) {
      say(`the machine is still busy (${Math.round(busiest * 100)}% of a core) after ${maxWaitMs / 1000} s: going on`);
      return;
    }
    if (!hasSaid) say(`waiting for the machine to quiet down (${Math.round(busiest * 100)}% of a core busy with other work)`);
    hasSaid = true;
  }
}

/** A trial's expected wall time: ramp, warm-up, hold, and about ten seconds of start and stop. */
function expectedTrialMs(players: number, workload: Workload): number {
  return (players / workload.rampPerSecond) * 1000 + workload.warmupMs + workload.holdMs + 10_000;
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function describeTrial(t: TrialResult): string {
  const s = t.step;
  if (s === null) return `${t.config} ${t.players}: FAIL (${t.verdict.reasons.join(', ')})`;
  return (
    `${t.config} ${t.players}: ${t.verdict.passed ? 'pass' : 'FAIL'} p95 own view ${s.ownView.p95.toFixed(1)} ms, ack p95 ${s.ack.p95.toFixed(1)} ms, ` +
    `${Math.round(s.actionsPerSecond)} actions/s, ${Math.round(s.pushesPerSecond)} pushes/s, CPU ${t.cpuCores === null ? '?' : Math.round(t.cpuCores * 100)}%, ` +
    `RSS ${t.nodeRssBytes === null ? '?' : Math.round(t.nodeRssBytes / 2 ** 20)} MB, other work on core ${SERVER_CORE} ${t.foreignCores === null ? '–' : `${Math.round(t.foreignCores * 100)}%`}, bots' core ${t.botCoreBusy === null ? '–' : `${Math.round(t.botCoreBusy * 100)}%`}${t.redis === null ? '' : `, ${t.redis.commandsPerAction?.toFixed(1) ?? '?'} redis cmds/action`}` +
    `${t.verdict.passed ? '' : ` (${t.verdict.reasons.join(', ')})`}`
  );
}

/** Runs the search and the repeats of one set-up within its deadline. */
async function benchConfig(config: ConfigId, context: TrialContext, coarse: number[], runs: number, deadline: number): Promise<ConfigOutcome> {
  const trials: TrialResult[] = [];
  const notes: string[] = [];
  const fitsBefore = (players: number): boolean => Date.now() + expectedTrialMs(players, context.workload) < deadline;
  const disturbed: TrialResult[] = [];
  const trial = async (players: number): Promise<TrialResult> => {
    let result: TrialResult;
    for (let attempt = 1; ; attempt++) {
      await waitForQuiet(log);
      result = await runTrial(config, players, context);
      log(describeTrial(result));
      // A failure while other work held the server's core says nothing about the server: run it again.
      if (result.verdict.passed || (result.foreignCores ?? 0) <= DISTURBED_CORES || attempt > MAX_RERUNS) break;
      disturbed.push(result);
      log(`${config} ${players}: ${((result.foreignCores ?? 0) * 100).toFixed(0)}% of core ${SERVER_CORE} went to other work: running it again`);
    }
    trials.push(result);
    return result;
  };
  const search = await searchKnee(async (players) => (await trial(players)).verdict.passed, {
    coarse,
    resolution: 0.1,
    granularity: context.workload.roomSize,
    shouldStop: (players) => !fitsBefore(players),
  });
  if (search.isCut) notes.push('The search was cut short by the time budget: the limit is only bracketed.');
  const found = search.lastPass;
  const next = search.firstFail;
  for (const players of [found, next]) {
    if (players === null) continue;
    while (trials.filter((t) => t.players === players).length < runs) {
      if (!fitsBefore(players)) {
        notes.push(`Only ${trials.filter((t) => t.players === players).length} of ${runs} runs at ${players} players fit in the time budget.`);
        break;
      }
      await trial(players);
    }
  }
  const at = (players: number | null): ReturnType<typeof deriveFigures> | null => (players === null ? null : deriveFigures(players, trials.filter((t) => t.players === players)));
  const atFound = at(found);
  if (atFound !== null && atFound.passedRuns * 2 <= atFound.runs) notes.push(`At ${found} players only ${atFound.passedRuns} of ${atFound.runs} runs passed: the limit is noisy here.`);
  if (disturbed.length > 0) {
    notes.push(
      `Run again because other work held core ${SERVER_CORE} during a failing run: ${disturbed.map((t) => `${t.players} (${Math.round((t.foreignCores ?? 0) * 100)}% of the core)`).join(', ')}; the first runs are in the JSON (\`disturbed\`), not in the figures.`,
    );
  }
  const botBound = trials.filter((t) => !t.verdict.passed && (t.botCoreBusy ?? 0) > 0.9);
  if (botBound.length > 0) {
    notes.push(`The bots' core was over 90% busy in failing runs at ${[...new Set(botBound.map((t) => t.players))].join(', ')} players: there the load generator, not only the server, may set the limit.`);
  }
  if (config === 'd') notes.push('Cluster mode is not pinned: the primary, both workers and redis-server float over both cores and share core 1 with the bots.');
  if (config === 'c') notes.push('redis-server runs pinned to core 0 with the gateway: they share one core.');
  return {
    config,
    label: CONFIG_LABELS[config],
    isPinned: config !== 'd',
    search,
    trials,
    disturbed,
    found,
    next,
    isCeiling: found !== null && next === null && found === coarse[coarse.length - 1],
    atFound,
    atNext: at(next),
    notes,
  };
}

/** Runs b once at `players` with `--cpu-prof` and returns the top self-time entries. */
async function profileGateway(players: number, context: TrialContext, dir: string): Promise<BenchReport['profile']> {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const result = await runTrial('b', players, { ...context, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  log(`profile run: ${describeTrial(result)}`);
  const fresh = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && !before.has(f))
    .map((f) => join(dir, f))
    .sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs);
  const file = fresh[0];
  if (file === undefined) {
    log('the profile run wrote no .cpuprofile (did the gateway exit cleanly?)');
    return null;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return { players, file: relative(WORKSPACE_ROOT, file), top: topSelfTime(profile, 15) };
}

function machine(): BenchReport['machine'] {
  const list = cpus();
  return { cpus: list[0]?.model.trim() ?? 'unknown CPU', cores: list.length, node: process.version, kernel: release() };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const began = Date.now();
  const deadline = began + options.budgetMs;
  const root = WORKSPACE_ROOT;
  const cli = join(root, 'apps/loadtest/dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${relative(root, cli)} is missing: build it first (npx nx run loadtest:build)`);
  if (options.only.some((id) => id !== 'a') && !existsSync(join(root, 'apps/gateway/dist/main.js'))) {
    throw new Error('apps/gateway/dist/main.js is missing: build it first (npx nx run gateway:build)');
  }
  if (options.only.some((id) => id === 'c' || id === 'd')) requireBinary('redis-server');
  requireBinary('taskset');
  if (cpus().length < 2) log(`warning: ${cpus().length} core(s): servers and bots will share a core`);
  // The bench itself (sampling /proc, reading Redis) stays off the server's core.
  try {
    pinProcess(process.pid, BOT_CORE);
  } catch {
    log('could not pin the bench to core 1');
  }

  // Whatever runs now is stopped by PID on Ctrl-C.
  const running = { server: null as RunningServer | null, cliPid: null as number | null };
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (isStopping) return;
    isStopping = true;
    log(`${signal}: stopping what the bench started`);
    if (running.cliPid !== null) {
      try {
        process.kill(running.cliPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const server = running.server;
    void (server === null ? Promise.resolve() : server.stop()).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const plan = options.isQuick ? QUICK : FULL;
  const stamp = new Date(began).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  mkdirSync(options.outDir, { recursive: true });
  const context: TrialContext = {
    workspaceRoot: root,
    workDir: join(options.outDir, 'runs'),
    workload: plan.workload,
    onServer: (server) => (running.server = server),
    onCli: (pid) => (running.cliPid = pid),
    log,
  };
  const notes: string[] = [];

  log(`calibrating cores ${SERVER_CORE} and ${BOT_CORE}`);
  const calibrationStart: CoreCalibration[] = await calibrate([SERVER_CORE, BOT_CORE]);
  log(calibrationStart.map((c) => `core ${c.core}: ${c.medianMs.toFixed(0)} ms (spread ${(c.spread * 100).toFixed(1)}%)`).join(', '));

  const outcomes: BenchReport['outcomes'] = {};
  const reserveMs = (options.profile ? 60_000 : 0) + 15_000;
  for (const [index, config] of options.only.entries()) {
    const left = options.only.length - index;
    const configDeadline = Date.now() + (deadline - reserveMs - Date.now()) / left;
    log(`${CONFIG_LABELS[config]}: until ${new Date(configDeadline).toISOString().slice(11, 19)}`);
    outcomes[config] = await benchConfig(config, context, plan.coarse, options.runs, configDeadline);
  }

  const ran = [...options.only];
  let carriedProfile: BenchReport['profile'] = null;
  if (options.reuse !== null) {
    const previous = JSON.parse(readFileSync(options.reuse, 'utf8')) as BenchReport;
    const carried = CONFIG_IDS.filter((id) => !ran.includes(id) && previous.outcomes[id] !== undefined);
    for (const id of carried) outcomes[id] = previous.outcomes[id];
    if (carried.includes('b')) carriedProfile = previous.profile;
    if (carried.length > 0) notes.push(`${carried.join(', ')}: carried over from the run of ${previous.startedAt} (its machine-noise figures: ${previous.calibration.start.map((c) => `core ${c.core} ${Math.round(c.medianMs)} ms`).join(', ')} at its start).`);
  }
  const shown = CONFIG_IDS.filter((id) => outcomes[id] !== undefined);

  let profile: BenchReport['profile'] = carriedProfile;
  if (options.profile) {
    const players = outcomes.b?.found ?? null;
    if (players === null) notes.push('--profile: b was not run or has no passing step, so nothing was profiled.');
    else profile = await profileGateway(players, context, join(options.outDir, `profile-${stamp}`));
  }

  log('calibrating again');
  const calibrationEnd = await calibrate([SERVER_CORE, BOT_CORE]);

  if (options.only.includes('d')) notes.push('d (cluster) is not pinned to one core; its figures include scheduling across both cores, shared with the bots.');
  if (Date.now() > deadline) notes.push(`The bench ran past its budget of ${Math.round(options.budgetMs / 60_000)} minutes.`);
  const chartName = `bench-${stamp}.svg`;
  const report: BenchReport = {
    startedAt: new Date(began).toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npx nx run loadtest:bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machine(),
    mode: options.isQuick ? 'quick' : 'full',
    workload: plan.workload,
    coarse: plan.coarse,
    runsPerPoint: options.runs,
    outcomes,
    calibration: { start: calibrationStart, end: calibrationEnd },
    profile,
    chartFile: chartName,
    notes,
  };
  const svg = renderChart(
    shown.map((id) => ({ label: CONFIG_LABELS[id], steps: chartSteps(outcomes[id]?.trials ?? []) })),
    { title: `party-bench, rooms of ${plan.workload.roomSize}, think ${plan.workload.thinkMs} ms` },
  );
  const base = join(options.outDir, `bench-${stamp}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outDir, chartName), svg);
  writeFileSync(`${base}.md`, renderBenchmarkMarkdown(report));
  for (const ext of ['json', 'md']) copyFileSync(`${base}.${ext}`, join(options.outDir, `bench-latest.${ext}`));
  log(`wrote ${relative(root, base)}.{json,md,svg}`);
  if (options.writeBenchmarks) {
    const dir = join(root, 'apps/loadtest');
    writeFileSync(join(dir, 'benchmarks.svg'), svg);
    writeFileSync(join(dir, 'BENCHMARKS.md'), renderBenchmarkMarkdown({ ...report, chartFile: 'benchmarks.svg' }));
    log('wrote apps/loadtest/BENCHMARKS.md and apps/loadtest/benchmarks.svg');
  }
  process.stdout.write(`\n${readFileSync(`${base}.md`, 'utf8').split('## ')[1] ?? ''}\n`);
}

// Only as a program: the spec imports parseBenchArgs.
if (/bench[\\/]main\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
