/**
 * The bench's findings: figures derived from the trials of each set-up (medians of the repeated runs), the
 * ratios between set-ups, the issue's targets with how far each is met or missed, and the markdown report.
 */
import { fmt, fmtMs, markdownTable, renderStepTable } from '../report';
import type { StepResult } from '../types';
import type { CoreCalibration } from './calibrate';
import type { SelfTimeEntry } from './cpuprofile';
import { median, type KneeResult } from './knee';
import { CONFIG_LABELS, type ConfigId } from './servers';
import type { TrialResult, Workload } from './trial';

/** What one set-up's runs at one player count give, as medians. */
export interface DerivedFigures {
  players: number;
  runs: number;
  /** How many of the runs passed. */
  passedRuns: number;
  p95OwnViewMs: number | null;
  /** Server CPU (every server process) per push a bot received, µs. */
  cpuMicrosPerPush: number | null;
  /** Node processes' RSS growth from idle to the end of the window, per connected player, KB. */
  rssPerPlayerKb: number | null;
  /** Node processes' whole RSS per connected player, KB. */
  totalRssPerPlayerKb: number | null;
  bytesPerPush: number | null;
  /** Server CPU per join during the ramp, ms (actions during the ramp taken off). */
  cpuMsPerJoin: number | null;
  rawCpuMsPerJoin: number | null;
  joinsPerSecond: number | null;
  redisCommandsPerAction: number | null;
  cpuCores: number | null;
  /** How busy the bots' core was (1 = fully). */
  botCoreBusy: number | null;
}

/** Everything the bench learned about one set-up. */
export interface ConfigOutcome {
  config: ConfigId;
  label: string;
  isPinned: boolean;
  search: KneeResult | null;
  trials: TrialResult[];
  /** Failing runs disturbed by other work on the server's core, replaced by a second run (not in the figures). */
  disturbed: TrialResult[];
  /** The largest passing count (null when none passed). */
  found: number | null;
  /** The smallest failing count above it (null when every count tried passed). */
  next: number | null;
  /** True when the largest count of the search passed: the limit is at least `found`. */
  isCeiling: boolean;
  atFound: DerivedFigures | null;
  atNext: DerivedFigures | null;
  notes: string[];
}

function medianOf(runs: TrialResult[], pick: (run: TrialResult) => number | null | undefined): number | null {
  return median(runs.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
}

/** The median figures of the runs at one count (runs without a step are left out of every median). */
export function deriveFigures(players: number, runs: TrialResult[]): DerivedFigures {
  const measured = runs.filter((r) => r.step !== null);
  const stepOf = (r: TrialResult): StepResult => r.step!;
  return {
    players,
    runs: runs.length,
    passedRuns: runs.filter((r) => r.verdict.passed).length,
    p95OwnViewMs: medianOf(measured, (r) => (stepOf(r).ownView.count > 0 ? stepOf(r).ownView.p95 : null)),
    cpuMicrosPerPush: medianOf(measured, (r) => (r.cpuCores !== null && stepOf(r).pushesPerSecond > 0 ? (r.cpuCores / stepOf(r).pushesPerSecond) * 1e6 : null)),
    rssPerPlayerKb: medianOf(measured, (r) =>
      r.nodeRssBytes !== null && r.nodeIdleRssBytes !== null && stepOf(r).connected > 0 ? (r.nodeRssBytes - r.nodeIdleRssBytes) / stepOf(r).connected / 1024 : null,
    ),
    totalRssPerPlayerKb: medianOf(measured, (r) => (r.nodeRssBytes !== null && stepOf(r).connected > 0 ? r.nodeRssBytes / stepOf(r).connected / 1024 : null)),
    bytesPerPush: medianOf(measured, (r) => (stepOf(r).pushesPerSecond > 0 ? stepOf(r).bytesPerSecond / stepOf(r).pushesPerSecond : null)),
    cpuMsPerJoin: medianOf(measured, (r) => r.ramp?.cpuMsPerJoin),
    rawCpuMsPerJoin: medianOf(measured, (r) => r.ramp?.rawCpuMsPerJoin),
    joinsPerSecond: medianOf(measured, (r) => r.ramp?.joinsPerSecond),
    redisCommandsPerAction: medianOf(measured, (r) => r.redis?.commandsPerAction),
    cpuCores: medianOf(measured, (r) => r.cpuCores),
    botCoreBusy: medianOf(measured, (r) => r.botCoreBusy),
  };
}

/** A target of the issue and how this run did against it. */
export interface TargetCheck {
  target: string;
  /** What was measured, in words. */
  measured: string;
  /** null when it could not be judged (a set-up missing). */
  isMet: boolean | null;
  /** How much room is left (met) or how much is missing (missed), in words. */
  margin: string;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

/** `×1.23` */
function times(value: number | null): string {
  return value === null ? '–' : `×${fmt(value, 2)}`;
}

/** The ratios between set-ups: players at the largest passing step and CPU per push, b/a, c/b, d/b. */
export function ratios(outcomes: Partial<Record<ConfigId, ConfigOutcome>>): { pair: string; players: number | null; cpuPerPush: number | null; note: string }[] {
  const pairs: [ConfigId, ConfigId][] = [['b', 'a'], ['c', 'b'], ['d', 'b']];
  return pairs
    .filter(([x, y]) => outcomes[x] !== undefined && outcomes[y] !== undefined)
    .map(([x, y]) => {
      const ox = outcomes[x]!;
      const oy = outcomes[y]!;
      const notes: string[] = [];
      if (ox.isCeiling) notes.push(`${x} reached the search's ceiling (a lower bound)`);
      if (oy.isCeiling) notes.push(`${y} reached the search's ceiling`);
      return { pair: `${x}/${y}`, players: ratio(ox.found, oy.found), cpuPerPush: ratio(ox.atFound?.cpuMicrosPerPush, oy.atFound?.cpuMicrosPerPush), note: notes.join('; ') };
    });
}

function percentMissing(needed: number, got: number): string {
  return `${fmt(Math.abs(needed - got) / Math.abs(needed) * 100, 0)}%`;
}

/** Checks the issue's targets against the outcomes. */
export function checkTargets(outcomes: Partial<Record<ConfigId, ConfigOutcome>>): TargetCheck[] {
  const a = outcomes.a;
  const b = outcomes.b;
  const c = outcomes.c;
  const checks: TargetCheck[] = [];
  const unknown = (target: string, why: string): TargetCheck => ({ target, measured: why, isMet: null, margin: '–' });

  {
    const target = "b's largest passing step ≥ 1.25 × a's";
    if (a?.found == null || b?.found == null) checks.push(unknown(target, 'a or b has no passing step'));
    else {
      const needed = 1.25 * a.found;
      const r = b.found / a.found;
      const isMet = b.found >= needed;
      checks.push({
        target,
        measured: `${fmt(b.found)} vs ${fmt(a.found)} players (${times(r)})${b.isCeiling ? ', b at the ceiling' : ''}${a.isCeiling ? ', a at the ceiling' : ''}`,
        isMet,
        margin: isMet ? `${fmt(b.found - needed)} players above ${fmt(needed)}` : `missed by ${fmt(needed - b.found)} players (${percentMissing(needed, b.found)} short of ${fmt(needed)})`,
      });
    }
  }
  {
    const target = "b's CPU per push ≤ 0.5 × a's";
    const bx = b?.atFound?.cpuMicrosPerPush ?? null;
    const ax = a?.atFound?.cpuMicrosPerPush ?? null;
    if (ax === null || bx === null) checks.push(unknown(target, 'a or b has no CPU per push'));
    else {
      const limit = 0.5 * ax;
      const isMet = bx <= limit;
      checks.push({
        target,
        measured: `${fmt(bx, 1)} µs vs ${fmt(ax, 1)} µs (${times(bx / ax)})`,
        isMet,
        margin: isMet ? `${fmt(limit - bx, 1)} µs below ${fmt(limit, 1)} µs` : `missed by ${fmt(bx - limit, 1)} µs (${fmt(bx / limit, 2)}× the limit of ${fmt(limit, 1)} µs)`,
      });
    }
  }
  {
    const target = "b's RSS per player ≤ 16 KB";
    const kb = b?.atFound?.rssPerPlayerKb ?? null;
    if (kb === null) checks.push(unknown(target, 'b has no RSS figure'));
    else {
      const isMet = kb <= 16;
      checks.push({
        target,
        measured: `${fmt(kb, 1)} KB above idle (${fmt(b?.atFound?.totalRssPerPlayerKb, 1)} KB with the idle process)`,
        isMet,
        margin: isMet ? `${fmt(16 - kb, 1)} KB to spare` : `missed by ${fmt(kb - 16, 1)} KB (${percentMissing(16, kb)} over)`,
      });
    }
  }
  {
    const target = "c's largest passing step ≥ 0.6 × b's";
    if (b?.found == null || c?.found == null) checks.push(unknown(target, 'b or c has no passing step'));
    else {
      const needed = 0.6 * b.found;
      const isMet = c.found >= needed;
      checks.push({
        target,
        measured: `${fmt(c.found)} vs ${fmt(b.found)} players (${times(c.found / b.found)})${b.isCeiling ? ', b at the ceiling' : ''}`,
        isMet,
        margin: isMet ? `${fmt(c.found - needed)} players above ${fmt(needed)}` : `missed by ${fmt(needed - c.found)} players (${percentMissing(needed, c.found)} short of ${fmt(needed)})`,
      });
    }
  }
  for (const id of ['b', 'c', 'd'] as const) {
    const o = outcomes[id];
    if (o === undefined) continue;
    const target = `${id}: server CPU per join ≤ 1 ms at 500 joins/s`;
    const ms = o.atFound?.cpuMsPerJoin ?? null;
    if (ms === null) {
      checks.push(unknown(target, 'no ramp measured'));
      continue;
    }
    const isMet = ms <= 1;
    checks.push({
      target,
      measured: `${fmt(ms, 2)} ms per join at ${fmt(o.atFound?.joinsPerSecond)} joins/s (${fmt(o.atFound?.rawCpuMsPerJoin, 2)} ms before taking off the actions)`,
      isMet,
      margin: isMet ? `${fmt(1 - ms, 2)} ms to spare` : `missed by ${fmt(ms - 1, 2)} ms`,
    });
  }
  return checks;
}

/** Everything a bench run produced. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpus: string; cores: number; node: string; kernel: string };
  mode: 'full' | 'quick';
  workload: Workload;
  coarse: number[];
  runsPerPoint: number;
  outcomes: Partial<Record<ConfigId, ConfigOutcome>>;
  calibration: { start: CoreCalibration[]; end: CoreCalibration[] };
  profile: { players: number; file: string; top: SelfTimeEntry[] } | null;
  /** File name of the chart next to the markdown. */
  chartFile: string;
  notes: string[];
}

function yesNo(isMet: boolean | null): string {
  return isMet === null ? 'not judged' : isMet ? '**met**' : '**missed**';
}

function stepsOf(trials: TrialResult[]): StepResult[] {
  return trials.filter((t) => t.step !== null).map((t) => t.step!).sort((x, y) => x.players - y.players);
}

/** The steps to chart for a set-up: one per player count, the run with the median p95. */
export function chartSteps(trials: TrialResult[]): StepResult[] {
  const byPlayers = new Map<number, StepResult[]>();
  for (const step of stepsOf(trials)) byPlayers.set(step.players, [...(byPlayers.get(step.players) ?? []), step]);
  return [...byPlayers.values()].map((steps) => {
    const sorted = [...steps].sort((x, y) => x.ownView.p95 - y.ownView.p95);
    return sorted[(sorted.length - 1) >> 1]!;
  });
}

/** Renders the whole report as markdown. */
export function renderBenchmarkMarkdown(report: BenchReport): string {
  const out: string[] = [];
  const ids = (Object.keys(report.outcomes) as ConfigId[]).sort();
  const w = report.workload;
  out.push('# Load benchmarks');
  out.push('');
  out.push(
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${report.machine.cpus} (${report.machine.cores} cores), Node ${report.machine.node}, Linux ${report.machine.kernel}, ` +
      `with \`${report.command}\`${report.mode === 'quick' ? ' (**quick mode: a smoke run, not a measurement**)' : ''}.`,
  );
  out.push('');
  out.push(
    `Workload: party-bench, rooms of ${w.roomSize}, one answer per player every ${fmt(w.thinkMs)} ms (±25%), light transport (raw WebSocket), ` +
      `ramp ${fmt(w.rampPerSecond)} players/s, then ${fmt(w.warmupMs / 1000, 1)} s of warm-up (discarded) and ${fmt(w.holdMs / 1000, 1)} s measured. ` +
      `A step passes with p95 action-to-own-view < 50 ms, no errors, no drops and everyone connected. ` +
      `Search: ${report.coarse.map((n) => fmt(n)).join(', ')} players until the first failure, then bisection to about 10%; then ${report.runsPerPoint} run${report.runsPerPoint === 1 ? "" : "s"} (a fresh server each, ` +
      `the search's run counting as one) at the largest passing count and the next, and medians of those.`,
  );
  out.push('');
  out.push(
    'Servers are pinned to core 0 (`taskset -c 0`, their redis-server too), the bots to core 1. Server CPU and RSS come from `/proc/<pid>/stat` and ' +
      '`/proc/<pid>/status` of every server process (gateway, cluster workers, redis-server) over the CLI\'s measured window; Redis commands from ' +
      '`INFO commandstats` deltas over the same window. The `/metrics` scrape of the CLI is kept in the JSON for comparison only.',
  );
  out.push('');

  out.push('## Summary');
  out.push('');
  out.push(
    markdownTable(
      ['set-up', 'largest passing step', 'p95 own view there (ms)', 'next step (fails)', 'server CPU (cores)', "bots' core busy", 'CPU per push (µs)', 'RSS per player (KB, above idle / whole)', 'bytes per push', 'CPU per join (ms)', 'Redis commands per action'],
      ids.map((id) => {
        const o = report.outcomes[id]!;
        const f = o.atFound;
        return [
          o.label,
          o.found === null ? 'none' : `${o.isCeiling ? '≥ ' : ''}${fmt(o.found)}${f !== null ? ` (${f.passedRuns}/${f.runs} runs pass)` : ''}`,
          fmtMs(f?.p95OwnViewMs),
          o.next === null ? '–' : `${fmt(o.next)} (p95 ${fmtMs(o.atNext?.p95OwnViewMs)})`,
          fmt(f?.cpuCores, 2),
          f?.botCoreBusy == null ? '–' : `${fmt(f.botCoreBusy * 100)}%`,
          fmt(f?.cpuMicrosPerPush, 1),
          `${fmt(f?.rssPerPlayerKb, 1)} / ${fmt(f?.totalRssPerPlayerKb, 1)}`,
          fmt(f?.bytesPerPush),
          f?.cpuMsPerJoin == null ? '–' : `${fmt(f.cpuMsPerJoin, 2)} at ${fmt(f.joinsPerSecond)}/s`,
          fmt(f?.redisCommandsPerAction, 1),
        ];
      }),
    ),
  );
  out.push('');
  const r = ratios(report.outcomes);
  if (r.length > 0) {
    out.push('### Ratios');
    out.push('');
    out.push(markdownTable(['ratio', 'largest passing step', 'CPU per push', 'note'], r.map((x) => [x.pair, times(x.players), times(x.cpuPerPush), x.note || '–'])));
    out.push('');
  }
  out.push('### Targets');
  out.push('');
  out.push(markdownTable(['target', 'measured', 'verdict', 'margin'], checkTargets(report.outcomes).map((t) => [t.target, t.measured, yesNo(t.isMet), t.margin])));
  out.push('');
  out.push(`![p95 own-view latency and RSS against players](${report.chartFile})`);
  out.push('');

  for (const id of ids) {
    const o = report.outcomes[id]!;
    out.push(`## ${o.label}`);
    out.push('');
    if (o.search !== null) {
      out.push(`Search: ${o.search.probes.map((p) => `${fmt(p.players)} ${p.passed ? 'pass' : 'fail'}`).join(' → ')}${o.search.isCut ? ' (cut short by the time budget)' : ''}.`);
      out.push('');
    }
    out.push(renderStepTable(stepsOf(o.trials)));
    out.push('');
    const failures = o.trials.filter((t) => !t.verdict.passed);
    if (failures.length > 0) {
      const context = (t: TrialResult): string => {
        const parts: string[] = [];
        if (t.foreignCores !== null) parts.push(`other work on the server's core ${fmt(t.foreignCores * 100)}%`);
        if (t.botCoreBusy !== null) parts.push(`bots' core ${fmt(t.botCoreBusy * 100)}% busy`);
        return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
      };
      out.push('Failing runs: ' + failures.map((t) => `${fmt(t.players)}: ${t.verdict.reasons.join(', ')}${context(t)}`).join('; ') + '.');
      out.push('');
    }
    const at = o.trials.filter((t) => t.players === o.found && t.step !== null);
    const sample = at[(at.length - 1) >> 1];
    if (sample !== undefined) {
      out.push(
        `Processes at ${fmt(o.found)} players (one run): ` +
          sample.roles.map((role) => `${role.role} ${fmt(role.cpuCores * 100)}% CPU, ${fmt(role.rssBytes / 2 ** 20)} MB RSS (${fmt(role.idleRssBytes / 2 ** 20)} MB idle)`).join('; ') +
          '.',
      );
      if (sample.redis !== null) {
        out.push('');
        out.push(
          `Redis per action: ${sample.redis.byCommand
            .slice(0, 8)
            .map((c) => `${c.command} ${fmt(c.perAction, 2)}`)
            .join(', ')} (${fmt(sample.redis.commandsPerSecond)} commands/s).`,
        );
      }
      out.push('');
    }
    for (const note of o.notes) out.push(`- ${note}`);
    if (o.notes.length > 0) out.push('');
  }

  out.push('## Machine noise');
  out.push('');
  out.push('A fixed CPU-bound loop (30 M rounds of integer hashing and a square root) timed three times on each core at the start and at the end.');
  out.push('');
  const calibrationRows = (['start', 'end'] as const).flatMap((when) =>
    report.calibration[when].map((c) => [when, String(c.core), c.runsMs.map((ms) => fmt(ms)).join(', '), fmt(c.medianMs), `${fmt(c.spread * 100, 1)}%`]),
  );
  out.push(markdownTable(['when', 'core', 'runs (ms)', 'median (ms)', 'spread'], calibrationRows));
  out.push('');
  const medians = [...report.calibration.start, ...report.calibration.end].map((c) => c.medianMs);
  if (medians.length > 1) {
    const mid = median(medians) ?? 1;
    out.push(`Across all: ${fmt(((Math.max(...medians) - Math.min(...medians)) / mid) * 100, 1)}% between the slowest and fastest median; differences between set-ups smaller than that are noise.`);
    out.push('');
  }

  if (report.profile !== null) {
    out.push(`## Profile: b at ${fmt(report.profile.players)} players`);
    out.push('');
    out.push(`Top self time from \`node --cpu-prof\` (\`${report.profile.file}\`):`);
    out.push('');
    out.push(markdownTable(['function', 'where', 'self ms', 'share'], report.profile.top.map((e) => [e.functionName, e.location || '(native)', fmt(e.selfMs), `${fmt(e.percent, 1)}%`])));
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('## Notes');
    out.push('');
    for (const note of report.notes) out.push(`- ${note}`);
    out.push('');
  }
  out.push(`Run ${report.startedAt} to ${report.finishedAt}. Regenerate with \`npx nx run loadtest:bench -- --write-benchmarks\`.`);
  out.push('');
  out.push('Redis commands per action above count every command Redis ran, those inside the update script included; what a gateway sends per action is counted in `apps/gateway/tests/redis-hot-path.spec.ts`. How the hot path was rebuilt, with before and after figures from one run and the profiles: [HOT-PATH.md](HOT-PATH.md).');
  return `${out.join('\n')}\n`;
}

/** The configuration labels, re-exported for the CLI. */
export { CONFIG_LABELS };
