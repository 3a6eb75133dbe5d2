import { InvalidArgumentError } from '@gamebuddies/core';
import type { AnyGameDefinition } from './define-game';
import { ReplayDivergedError } from './errors';
import type { LogEntry, ReplayLog, RoomInput } from './room-input';
import type { RoomRuntimeState } from './room-state';
import { createGameRuntime, newRoomState, type RoomStateOf, type RuntimeOptions } from './runtime';
import { copyPlainData } from './json-copy';

/**
 * The replay log of a room that records its inputs (`createRoom({ recordsLog: true })`): attach it to a bug
 * report, and {@link replayRoom} rebuilds the same state.
 * @throws InvalidArgumentError when the room does not record, or its log was truncated.
 */
export function exportReplay(state: RoomRuntimeState<unknown, unknown, unknown>): ReplayLog {
  if (state.log === null) throw new InvalidArgumentError('This room does not record its inputs (createRoom with recordsLog: true)');
  if (state.log.isTruncated) throw new InvalidArgumentError('This room recorded more inputs than its log keeps; it cannot be replayed');
  return copyPlainData({
    gameId: state.gameId,
    gameVersion: state.gameVersion,
    options: state.options,
    seed: state.seed,
    createdAt: state.createdAt,
    maxLogEntries: state.log.maxEntries,
    entries: state.log.entries,
  }) as ReplayLog;
}

/**
 * Rebuilds a room from its options, seed and recorded inputs, each applied at its recorded time: the result
 * equals the recorded room's state, game state, random position and timers included.
 * @throws ReplayDivergedError when the log is for another game or an entry is refused.
 */
export function replayRoom<G extends AnyGameDefinition>(game: G, log: ReplayLog, options: Omit<RuntimeOptions, 'clock'> = {}): RoomStateOf<G> {
  if (log.gameId !== game.id) throw new ReplayDivergedError(`The log is for ${log.gameId}, not ${game.id}`, { index: -1 });
  let now = log.createdAt;
  const runtime = createGameRuntime(game, { ...options, clock: { now: () => now } });
  let state = newRoomState(game, {
    options: copyPlainData(log.options),
    seed: log.seed,
    createdAt: log.createdAt,
    log: { entries: [], maxEntries: log.maxLogEntries, isTruncated: false },
  }) as RoomStateOf<G>;
  log.entries.forEach((entry, index) => {
    now = entry.at;
    const result = runtime.apply(state, toInput(entry));
    if (!result.isApplied) {
      throw new ReplayDivergedError(`Entry ${index} (${entry.type}) was refused with ${result.error.code}`, { index, entry, code: result.error.code }, { cause: result.error });
    }
    state = result.state;
  });
  return state;
}

function toInput(entry: LogEntry): RoomInput {
  const { at: _at, ...input } = entry;
  return input as RoomInput;
}
