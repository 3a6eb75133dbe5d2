import type { GatewayProcess } from '@gamebuddies/test-services';
import type { BotSummary } from '../src/bots';
import { LoadOptionsError } from '../src/options';
import { runLoad, type RunHooks } from '../src/run';
import type { LoadOptions } from '../src/types';
import { startLoadTarget, stopGateway } from './gateway';

/** A short run's options against `url`. */
function shortRun(url: string, overrides: Partial<LoadOptions>): LoadOptions {
  return {
    url,
    steps: [10],
    roomSize: 5,
    game: 'party-bench',
    thinkMs: 50,
    rampPerSecond: 200,
    holdMs: 2000,
    warmupMs: 300,
    transport: 'light',
    scrapeMetrics: true,
    allowRemote: false,
    progress: false,
    ...overrides,
  };
}

/** Runs a load and collects what every bot did. */
async function runWithBots(options: LoadOptions, hooks: RunHooks = {}) {
  let bots: readonly BotSummary[] = [];
  const result = await runLoad(options, { ...hooks, onBots: (summaries) => (bots = summaries) });
  return { result, bots };
}

describe('a load run against a real gateway', () => {
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    gateway = await startLoadTarget();
  });

  afterAll(async () => {
    await stopGateway(gateway);
  });

  it('plays party-bench with 50 bots until every game ends, without an error, and measures the window', async () => {
    const options = shortRun(gateway!.url, { steps: [50], roomSize: 10, thinkMs: 100, holdMs: 2500 });
    const { result, bots } = await runWithBots(options, { roomOptions: { answersPerPlayer: 5 }, restartGames: false });

    expect(result.options).toEqual(options);
    expect(result.steps).toHaveLength(1);
    const [step] = result.steps;
    expect(step).toMatchObject({ players: 50, connected: 50, roomSize: 10, game: 'party-bench', transport: 'light', errors: {}, drops: 0 });
    expect(bots).toHaveLength(50);
    expect(new Set(bots.map((bot) => bot.roomCode)).size).toBe(5);
    for (const bot of bots) {
      expect(bot).toMatchObject({ isSeated: true, gamesFinished: 1, movesAccepted: 5, errors: {} });
      expect(bot.isConnected).toBe(false); // every bot closed at the end
    }
    expect(step!.connect.count).toBe(50);
    expect(step!.windowMs).toBeGreaterThanOrEqual(2400);
    // The server's metrics were scraped at both ends of the window.
    expect(step!.server.rssBytes).toBeGreaterThan(10_000_000);
    expect(step!.server.cpu).not.toBeNull();
  });

  it('measures acks, own views and pushes while games go on, step after step', async () => {
    const lines: string[] = [];
    const progressStream = { write: (text: string) => lines.push(text), isTTY: false };
    const { result, bots } = await runWithBots(shortRun(gateway!.url, { steps: [10, 20], holdMs: 1500, transport: 'socket.io-client', progress: true }), { progressStream });
    expect(result.steps.map((step) => [step.players, step.connected])).toEqual([
      [10, 10],
      [20, 20],
    ]);
    for (const step of result.steps) {
      expect(step.errors).toEqual({});
      expect(step.ack.count).toBeGreaterThan(50);
      expect(step.ownView.count).toBeGreaterThan(0.9 * step.ack.count);
      expect(step.ack.p50).toBeGreaterThan(0);
      expect(step.ack.p50).toBeLessThanOrEqual(step.ack.p99);
      expect(step.ack.p99).toBeLessThanOrEqual(step.ack.max);
      expect(step.actionsPerSecond).toBeGreaterThan(30);
      expect(step.pushesPerSecond).toBeGreaterThan(step.actionsPerSecond);
      expect(step.bytesPerSecond).toBeGreaterThan(step.pushesPerSecond * 20);
    }
    expect(result.steps[1]!.connect.count).toBe(10); // only the step's new bots connected in it
    expect(bots.filter((bot) => bot.isSeated)).toHaveLength(20);
    // One progress line a second: players connected, actions per second, p95 ack, errors.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^step 2\/2 players 20\/20 \| \d+ actions\/s \| ack p95 [\d.]+ ms \| errors 0\n$/);
  });

  it('plays school-quiz games to their end', async () => {
    const { bots, result } = await runWithBots(shortRun(gateway!.url, { game: 'school-quiz', steps: [9], roomSize: 3, holdMs: 4500 }), {
      roomOptions: { questionCount: 2, roundSeconds: 5, revealSeconds: 1 },
      restartGames: false,
    });
    expect(result.steps[0]!.errors).toEqual({});
    for (const bot of bots) expect(bot).toMatchObject({ isSeated: true, gamesFinished: 1, movesAccepted: 2, errors: {} });
  });

  it('plays crazy-eights games to their end, moving only on its turn', async () => {
    const { bots, result } = await runWithBots(shortRun(gateway!.url, { game: 'crazy-eights', steps: [6], roomSize: 2, thinkMs: 20, holdMs: 4000 }), {
      roomOptions: { handSize: 3 },
      restartGames: false,
    });
    expect(result.steps[0]!.errors).toEqual({});
    for (const bot of bots) expect(bot).toMatchObject({ isSeated: true, gamesFinished: 1, errors: {} });
    expect(bots.reduce((sum, bot) => sum + bot.movesAccepted, 0)).toBeGreaterThanOrEqual(6);
  });

  it('counts refusals by code and drops when the server goes away', async () => {
    const doomed = await startLoadTarget();
    try {
      // A room size past the game's limit never reaches the server.
      await expect(runLoad(shortRun(doomed.url, { game: 'crazy-eights', roomSize: 7 }))).rejects.toThrow(LoadOptionsError);
      const run = runWithBots(shortRun(doomed.url, { steps: [4], roomSize: 2, holdMs: 3000, warmupMs: 0, scrapeMetrics: false }), { roomOptions: { maxPlayers: 0 } });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await stopGateway(doomed);
      const { result } = await run;
      expect(result.steps[0]!.errors['INVALID_OPTIONS']).toBe(2);
      expect(result.steps[0]!.drops).toBe(4);
      expect(result.steps[0]!.errors['disconnect']).toBe(4);
      expect(result.steps[0]!.connected).toBe(0);
    } finally {
      await stopGateway(doomed);
    }
  });

  it('counts acknowledgements that do not come in time as timeouts, and stops when its signal aborts', async () => {
    const frozen = await startLoadTarget();
    try {
      const stop = new AbortController();
      const began = Date.now();
      const run = runWithBots(shortRun(frozen.url, { steps: [4], roomSize: 2, thinkMs: 50, holdMs: 60_000, warmupMs: 0, scrapeMetrics: false }), {
        actionTimeoutMs: 500,
        signal: stop.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      frozen.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 1200));
      frozen.child.kill('SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      stop.abort();
      const { result, bots } = await run;
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(result.steps).toHaveLength(1);
      expect(result.steps[0]!.windowMs).toBeLessThan(10_000);
      expect(result.steps[0]!.errors['timeout']).toBeGreaterThanOrEqual(1);
      expect(bots.every((bot) => !bot.isConnected)).toBe(true);
    } finally {
      frozen.child.kill('SIGCONT');
      await stopGateway(frozen);
    }
  });

  it('refuses a target off this machine unless allowRemote', async () => {
    await expect(runLoad(shortRun('http://192.0.2.10:3000', {}))).rejects.toThrow(/not this machine/);
    await expect(runLoad(shortRun('http://[::1]:1', { metricsUrl: 'http://example.com/metrics' }))).rejects.toThrow(/metricsUrl/);
  });
});
