import { BOT_GAMES, BOT_GAME_IDS } from './bots/games';
import type { BotTransport, LoadOptions } from './types';

/** The defaults of every option but `url` and `steps`. */
export const DEFAULT_LOAD_OPTIONS = {
  url: 'http://127.0.0.1:3000',
  roomSize: 10,
  game: 'party-bench',
  thinkMs: 2000,
  rampPerSecond: 500,
  holdMs: 20_000,
  warmupMs: 3000,
  transport: 'light',
  scrapeMetrics: true,
  allowRemote: false,
} as const satisfies Partial<LoadOptions>;

/** The transports, for flags and messages. */
export const BOT_TRANSPORTS: readonly BotTransport[] = ['light', 'socket.io-client'];

/** Hosts a run may target without `allowRemote`. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Options that cannot make a run; the message names every problem. */
export class LoadOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid load options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LoadOptionsError';
  }
}

/** Whether `url`'s host is this machine's loopback (127.0.0.1, ::1 or localhost). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Checks a run's options: numbers in range, steps growing, room size within the game's limits, and the
 * target (and metrics URL) on loopback unless `allowRemote`.
 * @throws LoadOptionsError naming every problem at once.
 */
export function validateLoadOptions(options: LoadOptions): void {
  const problems: string[] = [];
  const positiveInteger = (value: number, name: string, min = 1): void => {
    if (!Number.isSafeInteger(value) || value < min) problems.push(`${name}: must be an integer of at least ${min} (got ${String(value)})`);
  };
  for (const [name, value] of [['url', options.url], ['metricsUrl', options.metricsUrl]] as const) {
    if (value === undefined) continue;
    let parsed: URL | null = null;
    try {
      parsed = new URL(value);
    } catch {
      problems.push(`${name}: not a URL (got ${JSON.stringify(value)})`);
    }
    if (parsed === null) continue;
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) problems.push(`${name}: must be http(s) or ws(s) (got ${parsed.protocol})`);
    else if (!options.allowRemote && !isLoopbackUrl(value)) {
      problems.push(`${name}: ${parsed.hostname} is not this machine (127.0.0.1, ::1, localhost); pass allowRemote (--allow-remote) to load another host you own`);
    }
  }
  if (!Array.isArray(options.steps) || options.steps.length === 0) problems.push('steps: give at least one player count');
  else {
    options.steps.forEach((players, i) => positiveInteger(players, `steps[${i}]`));
    if (options.steps.some((players, i) => i > 0 && players <= (options.steps[i - 1] ?? 0))) problems.push(`steps: each step must add players (got ${options.steps.join(',')})`);
  }
  const rules = BOT_GAMES[options.game];
  if (rules === undefined) problems.push(`game: unknown game ${JSON.stringify(options.game)} (known: ${BOT_GAME_IDS.join(', ')})`);
  positiveInteger(options.roomSize, 'roomSize');
  if (rules !== undefined && Number.isSafeInteger(options.roomSize) && (options.roomSize < rules.minPlayers || options.roomSize > rules.maxPlayers)) {
    problems.push(`roomSize: ${options.game} takes ${rules.minPlayers}–${rules.maxPlayers} players (got ${options.roomSize})`);
  }
  positiveInteger(options.thinkMs, 'thinkMs', 0);
  positiveInteger(options.rampPerSecond, 'rampPerSecond');
  positiveInteger(options.holdMs, 'holdMs');
  positiveInteger(options.warmupMs, 'warmupMs', 0);
  if (!BOT_TRANSPORTS.includes(options.transport)) problems.push(`transport: one of ${BOT_TRANSPORTS.join(', ')} (got ${JSON.stringify(options.transport)})`);
  if (problems.length > 0) throw new LoadOptionsError(problems);
}
