import type { JsonObject } from '@gamebuddies/core';
import { Bot, type BotSummary } from './bots/bot';
import { BOT_GAMES } from './bots/games';
import { RoomPlan } from './bots/room-plan';
import { validateLoadOptions } from './options';
import { ProgressLine, type ProgressStream } from './progress';
import { LoadRecorder } from './stats/load-recorder';
import { compareSnapshots, emptyServerSample, scrapeMetrics, type MetricsSnapshot } from './stats/server-metrics';
import { connectionFactory, type BotConnection } from './transport';
import type { LoadOptions, RunResult, StepResult } from './types';

/** Optional extras of a run, for programs and tests (the CLI uses the defaults). */
export interface RunHooks {
  /** Room options merged over the game's defaults, e.g. `{ answersPerPlayer: 5 }` for party-bench. */
  roomOptions?: JsonObject;
  /** Whether a room's host starts a new game when one ends, so the load holds (default true). */
  restartGames?: boolean;
  /** An acknowledgement (or handshake) slower than this counts as `timeout` (default 10 s). */
  actionTimeoutMs?: number;
  /** Called with each step's result as soon as it is measured. */
  onStep?: (step: StepResult) => void;
  /** Called once every bot has closed, with what each did. */
  onBots?: (bots: readonly BotSummary[]) => void;
  /** Where the progress line goes when `progress` is set (default stderr). */
  progressStream?: ProgressStream;
  /** Ends the run early: bots close and the steps measured so far are returned. */
  signal?: AbortSignal;
}

/** The per-action timeout: an acknowledgement later than this counts as `timeout`. */
export const ACTION_TIMEOUT_MS = 10_000;
/** Slack over the planned ramps, warm-ups and holds before a run is cut off. */
const HARD_CAP_SLACK_MS = 60_000;
/** How often the ramp launches its next batch of bots. */
const RAMP_TICK_MS = 10;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `promise` settles, `ms` passes or `signal` aborts, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number, signal: AbortSignal): Promise<void> {
  const limit = new AbortController();
  const onAbort = (): void => limit.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  await Promise.race([promise, sleep(ms, limit.signal)]);
  limit.abort();
  signal.removeEventListener('abort', onAbort);
}

/** The metrics URL of a run: `metricsUrl`, or `/metrics` on the target (http for a ws URL). */
export function metricsUrlOf(options: LoadOptions): string {
  if (options.metricsUrl !== undefined) return options.metricsUrl;
  const url = new URL('/metrics', options.url);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.toString();
}

/** The longest a run may take before it is cut off: its ramps, warm-ups and holds, plus a minute. */
export function hardCapMs(options: LoadOptions): number {
  let total = HARD_CAP_SLACK_MS;
  let previous = 0;
  for (const players of options.steps) {
    total += ((players - previous) / options.rampPerSecond) * 1000 + options.warmupMs + options.holdMs;
    previous = players;
  }
  return total;
}

/**
 * Runs a load: for each step, ramps new bots at `rampPerSecond` up to the step's player count (filling rooms one
 * at a time), waits `warmupMs`, then measures for `holdMs`; after the last step every bot closes. The run ends
 * by itself: a hard cap of {@link hardCapMs} cuts it off (returning the steps measured), and every action
 * times out after 10 s.
 * @throws LoadOptionsError for invalid options, a target off this machine without `allowRemote` included.
 */
export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<RunResult> {
  validateLoadOptions(options);
  const rules = BOT_GAMES[options.game];
  const roomOptions: JsonObject = { ...rules.roomOptions(options.roomSize), ...hooks.roomOptions };
  const actionTimeoutMs = hooks.actionTimeoutMs ?? ACTION_TIMEOUT_MS;
  const createConnection = connectionFactory(options.transport);
  const metricsUrl = metricsUrlOf(options);
  const startedAt = new Date().toISOString();

  const stop = new AbortController();
  const cap = setTimeout(() => stop.abort(), hardCapMs(options));
  const onOuterAbort = (): void => stop.abort();
  hooks.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = stop.signal;

  const recorder = new LoadRecorder();
  const progress = options.progress ? new ProgressLine(recorder, hooks.progressStream ?? process.stderr) : null;
  const bots: { bot: Bot; connection: BotConnection; isCreator: boolean }[] = [];
  const steps: StepResult[] = [];
  let room: RoomPlan | null = null;

  const launch = (): Bot => {
    if (room === null || !room.isOpen) room = new RoomPlan(options.roomSize);
    const isCreator = room.assign();
    const connection = createConnection({ url: options.url, connectTimeoutMs: actionTimeoutMs });
    const bot = new Bot({
      name: `bot-${bots.length + 1}`,
      connection,
      gameId: options.game,
      rules,
      roomOptions,
      room,
      recorder,
      thinkMs: options.thinkMs,
      actionTimeoutMs,
      restartGames: hooks.restartGames ?? true,
    });
    bots.push({ bot, connection, isCreator });
    void bot.start(isCreator);
    return bot;
  };

  const receivedTotals = (): { frames: number; bytes: number; events: number } => {
    let frames = 0;
    let bytes = 0;
    let events = 0;
    for (const { connection } of bots) {
      frames += connection.framesReceived;
      bytes += connection.bytesReceived;
      events += connection.eventsReceived;
    }
    return { frames, bytes, events };
  };

  progress?.start();
  try {
    for (const [index, target] of options.steps.entries()) {
      if (signal.aborted) break;
      recorder.startStep();
      progress?.setTarget(target, `step ${index + 1}/${options.steps.length}`);
      const launched: Bot[] = [];
      const from = bots.length;
      const rampStart = performance.now();
      while (bots.length < target && !signal.aborted) {
        const due = Math.min(target, from + Math.floor(((performance.now() - rampStart) * options.rampPerSecond) / 1000) + 1);
        while (bots.length < due) launched.push(launch());
        if (bots.length < target) await sleep(RAMP_TICK_MS, signal);
      }
      (room as RoomPlan | null)?.seal();
      room = null;
      await within(Promise.all(launched.map((bot) => bot.ready)), actionTimeoutMs * 3, signal);
      await sleep(options.warmupMs, signal);
      if (signal.aborted) break;

      const metricsStart: MetricsSnapshot | null = options.scrapeMetrics ? await scrapeMetrics(metricsUrl) : null;
      const before = receivedTotals();
      const windowStart = performance.now();
      recorder.startWindow();
      await sleep(options.holdMs, signal);
      recorder.endWindow();
      const windowMs = performance.now() - windowStart;
      const after = receivedTotals();
      const metricsEnd = options.scrapeMetrics ? await scrapeMetrics(metricsUrl) : null;
      const seconds = windowMs / 1000;
      const step: StepResult = {
        players: target,
        connected: recorder.connected,
        roomSize: options.roomSize,
        game: options.game,
        transport: options.transport,
        windowMs: Math.round(windowMs),
        connect: recorder.connect.summary(),
        ack: recorder.ack.summary(),
        ownView: recorder.ownView.summary(),
        actionsPerSecond: recorder.windowActions / seconds,
        pushesPerSecond: (after.events - before.events) / seconds,
        bytesPerSecond: (after.bytes - before.bytes) / seconds,
        errors: { ...recorder.errors },
        drops: recorder.drops,
        server: options.scrapeMetrics ? compareSnapshots(metricsStart, metricsEnd) : emptyServerSample(),
      };
      steps.push(step);
      hooks.onStep?.(step);
    }
  } finally {
    clearTimeout(cap);
    hooks.signal?.removeEventListener('abort', onOuterAbort);
    progress?.stop();
    for (const { bot } of bots) bot.stop();
  }
  hooks.onBots?.(bots.map(({ bot, isCreator }) => bot.summary(isCreator)));
  return { startedAt, options, steps };
}
