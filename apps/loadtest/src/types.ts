/**
 * The shapes shared by the load generator (bots, CLI) and the bench (reference server, orchestration,
 * reports). Everything the bench reads from a run is here.
 */

/** How bots talk to the server. */
export type BotTransport = 'light' | 'socket.io-client';

/** The games bots can play. `party-bench` is the quiz workload: every answer updates the actor's score. */
export type BotGame = 'party-bench' | 'school-quiz' | 'crazy-eights';

/** One load run: ramp to each step's player count, hold, measure, go on to the next step, stop. */
export interface LoadOptions {
  /** Server URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Player counts to reach, in order (each step adds players to the previous one). */
  steps: number[];
  /** Players per room (default 10). */
  roomSize: number;
  game: BotGame;
  /** Mean time between one bot's actions in ms (default 2000; each wait is jittered ±25%). */
  thinkMs: number;
  /** New connections per second while ramping (default 500). */
  rampPerSecond: number;
  /** How long each step is held and measured after its ramp, in ms (default 20000). */
  holdMs: number;
  /** Discarded warm-up at the start of each hold, in ms (default 3000). */
  warmupMs: number;
  transport: BotTransport;
  /** Scrape `<url>/metrics` (prom-client text) during the run for CPU, RSS and GC (default true). */
  scrapeMetrics: boolean;
  /** Metrics URL when it is not `<url>/metrics` (e.g. the reference server's). */
  metricsUrl?: string;
  /** Targets other than 127.0.0.1/::1/localhost are refused unless this is set. */
  allowRemote: boolean;
  /** Prints a live progress line to stderr (default true on a TTY). */
  progress: boolean;
}

/** Latency summary in milliseconds, from an HdrHistogram. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** What the server's `/metrics` said over one step's measured window. */
export interface ServerSample {
  /** CPU used over the window / window length (1.0 = one full core). Null when not scraped. */
  cpu: number | null;
  /** Resident set size at the end of the window, bytes. */
  rssBytes: number | null;
  /** GC pause seconds per second of the window. */
  gcSecondsPerSecond: number | null;
  /** Longest GC pause bucket seen (upper bound, seconds), or null. */
  gcMaxSeconds: number | null;
}

/** The measurements of one step. */
export interface StepResult {
  players: number;
  /** Players connected at the end of the hold. */
  connected: number;
  roomSize: number;
  game: BotGame;
  transport: BotTransport;
  /** Measured window length, ms. */
  windowMs: number;
  connect: LatencySummary;
  /** Action sent to its acknowledgement. */
  ack: LatencySummary;
  /** Action sent to the first push that carries the acting player's own new view. */
  ownView: LatencySummary;
  actionsPerSecond: number;
  /** Pushes (every server-to-client event) received per second, all bots together. */
  pushesPerSecond: number;
  /** Bytes of server-to-client frames per second, all bots together. */
  bytesPerSecond: number;
  /** Errors by stable code (`ROUND_CLOSED`, `RATE_LIMITED`, `connect_error`, `timeout`, …). */
  errors: Record<string, number>;
  /** Connections that closed without the bot asking. */
  drops: number;
  server: ServerSample;
}

/** A whole run. */
export interface RunResult {
  startedAt: string;
  options: LoadOptions;
  steps: StepResult[];
}
