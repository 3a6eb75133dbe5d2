import { BOT_GAMES, BOT_GAME_IDS } from './bots/games';
import { BOT_TRANSPORTS, DEFAULT_LOAD_OPTIONS, LoadOptionsError, validateLoadOptions } from './options';
import type { BotGame, BotTransport, LoadOptions } from './types';

/** What the command line asks for. */
export type CliCommand =
  | { kind: 'help' }
  | {
      kind: 'run';
      options: LoadOptions;
      /** Files to write: the RunResult as JSON, the step table as markdown, the chart as SVG. */
      outputs: { json?: string; markdown?: string; svg?: string };
      /** No progress line and no summary on stdout. */
      isQuiet: boolean;
    };

/** A command line that cannot run; the message says what is wrong (the CLI exits with code 2). */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** The `--help` text. */
export const USAGE = `gamebuddies-loadtest: bots that play real games against a GameBuddies server and report latency percentiles

Usage: gamebuddies-loadtest [flags]

  --url URL              server to load (default ${DEFAULT_LOAD_OPTIONS.url}); only 127.0.0.1, ::1 or localhost
                         unless --allow-remote
  --players N            one step of N players (default 100)
  --steps A,B,C          several steps, each adding players to the last (e.g. 1000,2000,4000)
  --room-size N          players per room (default ${DEFAULT_LOAD_OPTIONS.roomSize})
  --game ID              ${BOT_GAME_IDS.join(' | ')} (default ${DEFAULT_LOAD_OPTIONS.game})
  --think-ms N           mean pause between one bot's moves, jittered ±25% (default ${DEFAULT_LOAD_OPTIONS.thinkMs})
  --ramp N               new connections per second while ramping (default ${DEFAULT_LOAD_OPTIONS.rampPerSecond})
  --warmup DURATION      discarded time after each ramp before measuring (default 3s)
  --hold DURATION        measured time of each step (default 20s)
  --transport T          ${BOT_TRANSPORTS.join(' | ')} (default ${DEFAULT_LOAD_OPTIONS.transport})
  --metrics-url URL      where the server's Prometheus metrics are (default <url>/metrics)
  --no-metrics           do not scrape the server's metrics
  --allow-remote         allow a target other than this machine (only a server you own)
  --json FILE            write the run's result (RunResult) as JSON
  --markdown FILE        write the step table as markdown
  --svg FILE             write the latency/memory chart as SVG
  --quiet                no progress line, no summary
  --help                 this text

DURATION: a number with ms, s or m (20s, 500ms, 2m); a bare number is milliseconds.
Exit codes: 0 done, 1 the run failed, 2 bad flags.
`;

/** Flags that take a value, by name. */
const VALUE_FLAGS = new Set([
  'url',
  'players',
  'steps',
  'room-size',
  'game',
  'think-ms',
  'ramp',
  'hold',
  'warmup',
  'transport',
  'metrics-url',
  'json',
  'markdown',
  'svg',
]);
/** Flags that stand alone. */
const SWITCHES = new Set(['no-metrics', 'allow-remote', 'quiet', 'help']);

/** Parses a duration: `20s`, `500ms`, `2m`, or a bare number of milliseconds. @throws CliUsageError. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) throw new CliUsageError(`--${flag}: expected a duration such as 20s, 500ms or 2m (got ${JSON.stringify(text)})`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return Math.round(unit === 'm' ? value * 60_000 : unit === 's' ? value * 1000 : value);
}

function parseCount(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text.trim())) throw new CliUsageError(`--${flag}: expected a whole number (got ${JSON.stringify(text)})`);
  const value = Number(text);
  if (value < min) throw new CliUsageError(`--${flag}: must be at least ${min} (got ${value})`);
  return value;
}

/**
 * Reads the command line (without `node` and the script) into a run, or `help`.
 * @throws CliUsageError for an unknown flag, a missing or bad value, conflicting flags, or options the run
 * would refuse (a non-loopback URL without --allow-remote among them).
 */
export function parseCliArgs(argv: readonly string[], isTty = false): CliCommand {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new CliUsageError(`unexpected argument ${JSON.stringify(arg)} (flags start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (SWITCHES.has(name)) {
      if (eq !== -1) throw new CliUsageError(`--${name} takes no value`);
      switches.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) throw new CliUsageError(`--${name} needs a value`);
      if (values.has(name)) throw new CliUsageError(`--${name} given twice`);
      values.set(name, value);
    } else {
      throw new CliUsageError(`unknown flag --${name} (see --help)`);
    }
  }
  if (switches.has('help')) return { kind: 'help' };
  if (values.has('players') && values.has('steps')) throw new CliUsageError('give --players or --steps, not both');

  const steps = values.has('steps')
    ? (values.get('steps') ?? '').split(',').map((part) => parseCount(part, 'steps', 1))
    : [parseCount(values.get('players') ?? '100', 'players', 1)];
  const game = values.get('game') ?? DEFAULT_LOAD_OPTIONS.game;
  if (!(game in BOT_GAMES)) throw new CliUsageError(`--game: unknown game ${JSON.stringify(game)} (one of ${BOT_GAME_IDS.join(', ')})`);
  const transport = values.get('transport') ?? DEFAULT_LOAD_OPTIONS.transport;
  if (!(BOT_TRANSPORTS as readonly string[]).includes(transport)) throw new CliUsageError(`--transport: one of ${BOT_TRANSPORTS.join(', ')} (got ${JSON.stringify(transport)})`);
  const isQuiet = switches.has('quiet');
  const metricsUrl = values.get('metrics-url');
  const options: LoadOptions = {
    url: values.get('url') ?? DEFAULT_LOAD_OPTIONS.url,
    steps,
    roomSize: parseCount(values.get('room-size') ?? String(DEFAULT_LOAD_OPTIONS.roomSize), 'room-size', 1),
    game: game as BotGame,
    thinkMs: parseCount(values.get('think-ms') ?? String(DEFAULT_LOAD_OPTIONS.thinkMs), 'think-ms', 0),
    rampPerSecond: parseCount(values.get('ramp') ?? String(DEFAULT_LOAD_OPTIONS.rampPerSecond), 'ramp', 1),
    holdMs: parseDuration(values.get('hold') ?? String(DEFAULT_LOAD_OPTIONS.holdMs), 'hold'),
    warmupMs: parseDuration(values.get('warmup') ?? String(DEFAULT_LOAD_OPTIONS.warmupMs), 'warmup'),
    transport: transport as BotTransport,
    scrapeMetrics: !switches.has('no-metrics'),
    ...(metricsUrl === undefined ? {} : { metricsUrl }),
    allowRemote: switches.has('allow-remote'),
    progress: !isQuiet && isTty,
  };
  try {
    validateLoadOptions(options);
  } catch (error) {
    if (error instanceof LoadOptionsError) throw new CliUsageError(error.problems.join('\n'));
    throw error;
  }
  const outputs: { json?: string; markdown?: string; svg?: string } = {};
  for (const key of ['json', 'markdown', 'svg'] as const) {
    const file = values.get(key);
    if (file !== undefined) outputs[key] = file;
  }
  return { kind: 'run', options, outputs, isQuiet };
}
