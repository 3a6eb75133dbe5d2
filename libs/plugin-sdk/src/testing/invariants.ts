import { assertJsonValue, GameBuddiesError, isGameBuddiesError } from '@gamebuddies/core';
import type { AnyGameDefinition } from '../define-game';
import { GameErrorCode, isGameError } from '../errors';
import { exportReplay, replayRoom } from '../replay';
import { createGameRuntime, type RoomStateOf } from '../runtime';
import { isDeepEqual } from './deep-equal';
import { createFakeClock } from './fake-clock';
import type { FuzzStep } from './fuzz';

/** Thrown by {@link checkRuntimeInvariants} at the first step where the runtime broke a guarantee. */
export class InvariantViolationError extends GameBuddiesError<typeof GameErrorCode.INVARIANT_VIOLATED> {
  constructor(message: string, details: { index: number; step: FuzzStep | null }, options?: { cause?: unknown }) {
    super(GameErrorCode.INVARIANT_VIOLATED, message, details, options);
  }
}

/** A run to check. */
export interface InvariantScenario {
  /** The room's options. */
  options?: unknown;
  /** The random seed (default `fuzz`). */
  seed?: string;
  /** The steps, e.g. from {@link fuzzStep}. */
  steps: readonly FuzzStep[];
}

/** What a checked run did. */
export interface InvariantReport<G> {
  /** The state after the last step. */
  state: RoomStateOf<G>;
  applied: number;
  refused: number;
}

/**
 * Plays `steps` against a fresh room and checks, after every step, that the runtime did not throw, left the
 * state it was given untouched, returned plain JSON state that reads back with `parseState` and JSON
 * messages, and refused only with a typed error while keeping the state; at the end, that the action log
 * replays to the same state.
 * @throws InvariantViolationError naming the step that broke a guarantee.
 */
export function checkRuntimeInvariants<G extends AnyGameDefinition>(game: G, scenario: InvariantScenario): InvariantReport<G> {
  const clock = createFakeClock();
  let runtime = createGameRuntime(game, { clock });
  let state = runtime.createRoom({ options: scenario.options, seed: scenario.seed ?? 'fuzz', recordsLog: true, maxLogEntries: scenario.steps.length + 1 });
  let applied = 0;
  let refused = 0;
  scenario.steps.forEach((step, index) => {
    const fail = (why: string, cause?: unknown): never => {
      throw new InvariantViolationError(`Step ${index} (${step.type}): ${why}`, { index, step }, { cause });
    };
    if (step.type === 'failover') {
      runtime = createGameRuntime(game, { clock });
      state = runtime.parseState(JSON.parse(JSON.stringify(state)));
      return;
    }
    if (step.type === 'advance') clock.advance(step.ms);
    const input = step.type === 'advance' ? { type: 'tick' as const } : step;
    const before = JSON.stringify(state);
    let result;
    try {
      result = runtime.apply(state, input);
    } catch (error) {
      return fail('the runtime threw', error);
    }
    if (JSON.stringify(state) !== before) fail('the runtime changed the state it was given');
    if (!result.isApplied) {
      refused++;
      if (result.state !== state) fail('a refusal returned another state');
      if (!isGameError(result.error) && !isGameBuddiesError(result.error, 'INVALID_ARGUMENT')) fail(`refused with an untyped error: ${String(result.error)}`, result.error);
      return;
    }
    applied++;
    try {
      assertJsonValue(result.messages, 'messages');
      state = runtime.parseState(result.state);
    } catch (error) {
      fail(`produced data that is not plain JSON: ${(error as Error).message}`, error);
    }
  });
  const replayed = replayRoom(game, exportReplay(state));
  if (!isDeepEqual(replayed, state)) throw new InvariantViolationError('Replaying the action log gave another state', { index: scenario.steps.length, step: null });
  return { state, applied, refused };
}
