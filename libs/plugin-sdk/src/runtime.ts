import { randomUUID } from 'node:crypto';
import { assertJsonValue, InvalidArgumentError, isGameBuddiesError, systemClock, type Clock, type GameBuddiesError, type JsonValue } from '@gamebuddies/core';
import type { AnyGameDefinition, GameOptionsOf, GameResultOf, GameStateOf, GameViewOf } from './define-game';
import { ActionFailedError, InvalidOptionsError, InvalidRoomStateError, type SchemaIssue } from './errors';
import { findMember } from './membership';
import { buildMessages, buildSync, type RoomMessage, type SyncMessage } from './messages';
import { seedRandomState } from './random';
import type { RoomInput } from './room-input';
import { parseRoomState, ROOM_STATE_FORMAT, type RoomRuntimeState, type StoredTimer } from './room-state';
import { applyRoomInput, isRefusableInput, readRoomInput } from './room-transitions';
import { RoomStep, type UntypedRoomState } from './room-step';
import { validateWithSchema } from './schema';
import { dueTimers, earliestDueAt } from './timers';

/** The room runtime state of a game definition `G`, with the game's types. */
export type RoomStateOf<G> = RoomRuntimeState<GameStateOf<G>, GameOptionsOf<G>, GameResultOf<G>>;

/** A message of a game definition `G`, with the game's view and result types. */
export type RoomMessageOf<G> = RoomMessage<GameViewOf<G>, GameResultOf<G>>;

/** An input the runtime applied: the next state to store and the messages to deliver. */
export interface AppliedStep<G> {
  isApplied: true;
  /** The next state (the input state itself when nothing changed). */
  state: RoomStateOf<G>;
  /** What to send, each to the member named in `to`. */
  messages: RoomMessageOf<G>[];
  /** Errors of game code that was contained (a failing timer or leave hook): log them, tell nobody. */
  warnings: GameBuddiesError[];
}

/** An input the runtime refused: the state is unchanged and `error` is for the member who sent it. */
export interface RefusedStep<G> {
  isApplied: false;
  /** The input state, unchanged. */
  state: RoomStateOf<G>;
  messages: [];
  /** A typed error (code from GameErrorCode, or INVALID_ARGUMENT); ACTION_FAILED errors may have a `cause`. */
  error: GameBuddiesError;
}

/** The outcome of applying one input. */
export type StepResult<G> = AppliedStep<G> | RefusedStep<G>;

/** How a runtime is built. Nothing here is global: two runtimes in one process are independent. */
export interface RuntimeOptions {
  /** The platform's clock (default: the system clock). */
  clock?: Clock;
  /** Makes a seed for rooms created without one (default: a random UUID). */
  createSeed?: () => string;
  /**
   * Whether every state, view, event and result game code produces is checked to be plain JSON (default
   * true). Turn it off only for a game whose tests ran with it on.
   */
  checksState?: boolean;
  /** How many timers one tick may fire before it stops (guards against a timer loop; default 1000). */
  maxTimersPerTick?: number;
}

/** How a room starts. */
export interface CreateRoomInput {
  /** The options, validated by the game's schema (the schema's output is stored). */
  options?: unknown;
  /** The random seed; by default `RuntimeOptions.createSeed()`. */
  seed?: string;
  /** Record every applied input, for replays and bug reports (default false). */
  recordsLog?: boolean;
  /** The most entries the log keeps (default 5000); past it the log is marked truncated. */
  maxLogEntries?: number;
}

/**
 * Runs one game for the gateway: every method takes a room's stored state and returns the next state and the
 * messages to send, with no I/O and no state of its own. The gateway stores the state (compare-and-set on
 * the room's version) and then delivers the messages.
 */
export interface GameRuntime<G> {
  /** The game this runtime runs. */
  readonly game: G;
  /** A new room in its lobby. @throws InvalidOptionsError when the options fail the game's schema. */
  createRoom(input?: CreateRoomInput): RoomStateOf<G>;
  /** Applies any input; the methods below are shorthands for it. */
  apply(state: RoomStateOf<G>, input: RoomInput): StepResult<G>;
  /** Adds a member: a player while seats are free (see the game's `lateJoin`), else a spectator. */
  join(state: RoomStateOf<G>, playerId: string, name: string, options?: { asSpectator?: boolean }): StepResult<G>;
  /** Removes a member for good; the host role passes on if they held it. */
  leave(state: RoomStateOf<G>, playerId: string): StepResult<G>;
  /** Marks a member disconnected; they keep their place and state. */
  disconnect(state: RoomStateOf<G>, playerId: string): StepResult<G>;
  /** Marks a member connected again; everyone, them included, gets a fresh sync. */
  reconnect(state: RoomStateOf<G>, playerId: string): StepResult<G>;
  /** The host starts the game (or a rematch after it ended): runs `setup`. */
  start(state: RoomStateOf<G>, playerId: string): StepResult<G>;
  /** The host removes `targetId`, who receives a `kicked` message. */
  kick(state: RoomStateOf<G>, playerId: string, targetId: string): StepResult<G>;
  /** A member sends an action. */
  act(state: RoomStateOf<G>, playerId: string, action: string, payload?: JsonValue): StepResult<G>;
  /** Fires every timer due now, in order; a no-op (no messages, same state) when none is due. */
  fireDueTimers(state: RoomStateOf<G>): StepResult<G>;
  /** Closes the room: the game may `end` in `onDispose`, timers are dropped, the phase becomes `ended`. */
  dispose(state: RoomStateOf<G>): StepResult<G>;
  /** When the next timer is due (ms since the epoch), or null: the gateway sets one real timer for it. */
  nextTimerAt(state: RoomStateOf<G>): number | null;
  /** The timers due now, in firing order. */
  dueTimers(state: RoomStateOf<G>): StoredTimer[];
  /**
   * The sync for one member, e.g. when their socket connects to this server after a failover.
   * @throws NotInRoomError; ActionFailedError when the game's view fails.
   */
  syncFor(state: RoomStateOf<G>, playerId: string): SyncMessage<GameViewOf<G>, GameResultOf<G>>;
  /** Reads back a stored state (any server, any time). @throws InvalidRoomStateError. */
  parseState(value: unknown): RoomStateOf<G>;
}

const DEFAULT_MAX_LOG_ENTRIES = 5000;
const DEFAULT_MAX_TIMERS_PER_TICK = 1000;

/** Builds the runtime of `game`. Its clock and seed source are the only things it reads from outside. */
export function createGameRuntime<G extends AnyGameDefinition>(game: G, options: RuntimeOptions = {}): GameRuntime<G> {
  const clock = options.clock ?? systemClock;
  const createSeed = options.createSeed ?? randomUUID;
  const checksState = options.checksState ?? true;
  const maxTimersPerTick = options.maxTimersPerTick ?? DEFAULT_MAX_TIMERS_PER_TICK;
  type State = RoomStateOf<G>;

  const apply = (state: State, rawInput: RoomInput): StepResult<G> => {
    const at = clock.now();
    try {
      const untyped = state as UntypedRoomState;
      if (untyped.gameId !== game.id) throw new InvalidRoomStateError(`This state belongs to ${String(untyped.gameId)}, not ${game.id}`);
      const input = readRoomInput(rawInput);
      const step = new RoomStep(untyped, at, isRefusableInput(input), checksState);
      applyRoomInput(step, game, input, maxTimersPerTick);
      if (!step.isChanged) return { isApplied: true, state, messages: [], warnings: step.warnings };
      step.record({ ...input, at });
      const messages = buildMessages(game, step) as RoomMessageOf<G>[];
      return { isApplied: true, state: step.room as State, messages, warnings: step.warnings };
    } catch (error) {
      return { isApplied: false, state, messages: [], error: toRefusal(error) };
    }
  };

  return {
    game,
    createRoom(input = {}) {
      const validated = validateOptions(game, input.options);
      const log = input.recordsLog === true ? { entries: [], maxEntries: input.maxLogEntries ?? DEFAULT_MAX_LOG_ENTRIES, isTruncated: false } : null;
      return newRoomState(game, { options: validated, seed: input.seed ?? createSeed(), createdAt: clock.now(), log }) as State;
    },
    apply,
    join: (state, playerId, name, joinOptions = {}) =>
      apply(state, { type: 'join', playerId, name, ...(joinOptions.asSpectator === true ? { asSpectator: true } : {}) }),
    leave: (state, playerId) => apply(state, { type: 'leave', playerId }),
    disconnect: (state, playerId) => apply(state, { type: 'disconnect', playerId }),
    reconnect: (state, playerId) => apply(state, { type: 'reconnect', playerId }),
    start: (state, playerId) => apply(state, { type: 'start', playerId }),
    kick: (state, playerId, targetId) => apply(state, { type: 'kick', playerId, targetId }),
    act: (state, playerId, action, payload) =>
      apply(state, payload === undefined ? { type: 'action', playerId, action } : { type: 'action', playerId, action, payload }),
    fireDueTimers: (state) => apply(state, { type: 'tick' }),
    dispose: (state) => apply(state, { type: 'dispose' }),
    nextTimerAt: (state) => earliestDueAt(state.timers),
    dueTimers: (state) => dueTimers(state.timers, clock.now()),
    syncFor(state, playerId) {
      const untyped = state as UntypedRoomState;
      return buildSync(game, untyped, findMember(untyped, playerId), checksState) as SyncMessage<GameViewOf<G>, GameResultOf<G>>;
    },
    parseState: (value) => parseRoomState(value, game.id) as State,
  };
}

/** The parts a new room state is made of. */
export interface NewRoomParts {
  options: unknown;
  seed: string;
  createdAt: number;
  log: RoomRuntimeState['log'];
}

/** A room in its lobby, with no members. The options must already be validated. */
export function newRoomState(game: AnyGameDefinition, parts: NewRoomParts): UntypedRoomState {
  if (typeof parts.seed !== 'string') throw new InvalidArgumentError('seed must be a string');
  return {
    format: ROOM_STATE_FORMAT,
    gameId: game.id,
    gameVersion: game.version,
    options: parts.options,
    createdAt: parts.createdAt,
    phase: 'lobby',
    hostId: null,
    members: [],
    game: null,
    result: null,
    seed: parts.seed,
    random: seedRandomState(parts.seed),
    timers: [],
    timerSeq: 0,
    log: parts.log,
  };
}

function validateOptions(game: AnyGameDefinition, options: unknown): unknown {
  let value: unknown = options ?? {};
  if (game.options !== undefined) {
    const result = validateWithSchema(game.options, value, 'the options');
    if (!result.isValid) throw new InvalidOptionsError(result.issues);
    value = result.value;
  } else if (typeof value !== 'object' || value === null || Object.keys(value).length > 0) {
    throw new InvalidOptionsError([{ message: 'This game takes no options', path: [] }]);
  }
  try {
    assertJsonValue(value, 'options');
  } catch (error) {
    const issue: SchemaIssue = { message: (error as Error).message, path: [] };
    throw new InvalidOptionsError([issue]);
  }
  return value;
}

function toRefusal(error: unknown): GameBuddiesError {
  return isGameBuddiesError(error) ? error : new ActionFailedError('The room could not apply this request', undefined, { cause: error });
}
