import type { JsonObject, JsonValue } from '@gamebuddies/core';
import { GameDefinitionError } from './errors';
import type { Random } from './random';
import type { MemberRole } from './room-state';
import { isStandardSchema, type Schema } from './schema';

/** A member of the room as game code sees it. */
export interface MemberInfo {
  readonly id: string;
  readonly name: string;
  readonly role: MemberRole;
  readonly isConnected: boolean;
}

/** Who a view is for. */
export interface Viewer {
  readonly id: string;
  readonly role: MemberRole;
}

/** A scheduled timer as game code sees it. */
export interface TimerInfo {
  readonly name: string;
  /** When it fires (or fired), ms since the epoch. */
  readonly dueAt: number;
  readonly data: JsonValue;
}

/** Why a player left: on their own, or removed by the host. */
export type LeaveReason = 'left' | 'kicked';

/** What a player who joins after the start becomes. */
export type LateJoinPolicy = 'player' | 'spectator';

/**
 * Chooses the {@link LateJoinPolicy} from the room's options. (Declared as a method so that a definition with
 * specific options still counts as an {@link AnyGameDefinition}.)
 */
export type LateJoinRule<TOptions> = { choose(options: TOptions): LateJoinPolicy }['choose'];

/**
 * What game code may use besides the state: the room's members, time, randomness, timers, events and the
 * end of the game. It is valid only during the call it was passed to.
 */
export interface GameContext<TOptions = JsonObject, TResult = JsonValue> {
  /** The room's options, as validated by the game's schema. */
  readonly options: TOptions;
  /** Members with a seat, in join order (disconnected ones included). */
  readonly players: readonly MemberInfo[];
  /** Members who only watch. */
  readonly spectators: readonly MemberInfo[];
  /** The host's id, or null. */
  readonly hostId: string | null;
  /** The room's seeded generator; its position is saved with the room. */
  readonly random: Random;
  /** The current time from the platform's clock (for a timer: the time it was due). */
  now(): number;
  /**
   * Schedules (or reschedules) the timer `name` to fire `delayMs` from now with `data` (plain JSON, checked at
   * run time); its deadline is saved in the room's state and `onTimer` receives it.
   * @throws InvalidArgumentError for an empty name or a negative or non-finite delay; InvalidStateError for
   * data that is not plain JSON.
   */
  schedule(name: string, delayMs: number, data?: unknown): void;
  /** Cancels the timer `name`. Returns false when none was scheduled. */
  cancel(name: string): boolean;
  /** The timer `name`, or null when none is scheduled. */
  timer(name: string): TimerInfo | null;
  /**
   * Sends an event with `data` (plain JSON, checked at run time) to every connected member. Never put a
   * secret in it: events bypass `view`.
   * @throws InvalidStateError when `data` is not plain JSON.
   */
  emit(name: string, data?: unknown): void;
  /**
   * Sends an event to one member (dropped if they are disconnected).
   * @throws InvalidArgumentError when `playerId` is not a member; InvalidStateError when `data` is not JSON.
   */
  emitTo(playerId: string, name: string, data?: unknown): void;
  /**
   * Ends the game with `result` once the current call returns: timers are cleared and actions are refused
   * with GAME_OVER until the host starts again.
   * @throws InvalidStateError when `result` is not plain JSON.
   */
  end(result: TResult): void;
}

/** The context of an action handler: a {@link GameContext} that also says who acted. */
export interface ActionContext<TOptions = JsonObject, TResult = JsonValue> extends GameContext<TOptions, TResult> {
  /** The member who sent the action. */
  readonly actorId: string;
}

/** One action players can send. The runtime checks everything declared here before `handle` runs. */
export interface ActionDefinition<TState, TOptions, TResult, TPayload> {
  /** The payload's schema (any Standard Schema). Without one, the action takes no payload. */
  payload?: Schema<TPayload>;
  /** Only the host may send it (HOST_ONLY otherwise). The host may send it even as a spectator. */
  isHostOnly?: boolean;
  /** Only the player whose turn it is (per the game's `whoseTurn`) may send it (NOT_YOUR_TURN otherwise). */
  requiresTurn?: boolean;
  /** Spectators may send it too (by default they get NOT_A_PLAYER). */
  allowsSpectators?: boolean;
  /**
   * Returns the next state. Throw an ActionFailedError (or another SDK error) to refuse the action: the room
   * stays as it was and the player receives the error. `state` is a private copy: mutating it is allowed.
   */
  handle(state: TState, payload: TPayload, ctx: ActionContext<TOptions, TResult>): TState;
}

/** The payload types of a game's actions, by action name. */
export type ActionPayloads = Record<string, unknown>;

/** The action definitions of a game, typed from their payload types. */
export type ActionDefinitions<TState, TOptions, TResult, TActions> = {
  [K in keyof TActions]: ActionDefinition<TState, TOptions, TResult, TActions[K]>;
};

/**
 * A game: plain data and pure functions. Every function receives the state and returns the next one; the
 * state must be plain JSON data (no functions, class instances, `undefined` or cycles).
 */
export interface GameDefinition<TState, TOptions, TView, TResult, TActions> {
  /** A stable id: lower-case letters, digits and dashes, e.g. `school-quiz`. */
  id: string;
  /** A display name. */
  name: string;
  /** The game's version (semver), stored with each room. */
  version: string;
  /** The fewest players the host can start with. */
  minPlayers: number;
  /** The most players with a seat; joiners beyond it become spectators. */
  maxPlayers: number;
  /** The most spectators (default 20; 0 admits none). */
  maxSpectators?: number;
  /** What joiners become once the game runs (default `spectator`); may depend on the options. */
  lateJoin?: LateJoinPolicy | LateJoinRule<TOptions>;
  /** The options' schema (any Standard Schema). Without one, options must be an empty object. */
  options?: Schema<TOptions>;
  /** Builds the initial state when the host starts the game (`ctx.players` are the players). */
  setup(options: TOptions, ctx: GameContext<TOptions, TResult>): TState;
  /** The actions players can send, by name. */
  actions: ActionDefinitions<TState, TOptions, TResult, TActions>;
  /** Whose turn it is, for actions with `requiresTurn` (null: nobody's). */
  whoseTurn?(state: TState): string | null;
  /**
   * What one member may see: hide answers, hands and decks here. Every message a member receives passes here.
   * It is called once per member after every change, with the room's own state, not a copy: read it, never
   * change it (with the runtime's checks on, the default, it is frozen and a change throws). Return new data
   * or parts of the state as they are.
   */
  view(state: TState, viewer: Viewer): TView;
  /** A member joined while the game runs (they are in `ctx.players` or `ctx.spectators` already). */
  onPlayerJoined?(state: TState, event: { player: MemberInfo }, ctx: GameContext<TOptions, TResult>): TState;
  /** A member left or was kicked while the game runs (they are no longer in `ctx`). */
  onPlayerLeft?(state: TState, event: { player: MemberInfo; reason: LeaveReason }, ctx: GameContext<TOptions, TResult>): TState;
  /** A member lost their connection while the game runs; they keep their place. */
  onPlayerDisconnected?(state: TState, event: { player: MemberInfo }, ctx: GameContext<TOptions, TResult>): TState;
  /** A disconnected member is back while the game runs. */
  onPlayerReconnected?(state: TState, event: { player: MemberInfo }, ctx: GameContext<TOptions, TResult>): TState;
  /** A timer the game scheduled is due. `ctx.now()` is its due time. */
  onTimer?(state: TState, timer: TimerInfo, ctx: GameContext<TOptions, TResult>): TState;
  /** The platform is closing the room while the game runs (e.g. everybody left); a last chance to `end`. */
  onDispose?(state: TState, ctx: GameContext<TOptions, TResult>): TState;
}

/** Any game definition, whatever its types. */
export type AnyGameDefinition = GameDefinition<unknown, unknown, unknown, unknown, ActionPayloads>;

/** The state type of a game definition. */
export type GameStateOf<G> = G extends GameDefinition<infer S, infer _O, infer _V, infer _R, infer _A> ? S : never;
/** The options type of a game definition. */
export type GameOptionsOf<G> = G extends GameDefinition<infer _S, infer O, infer _V, infer _R, infer _A> ? O : never;
/** The view type of a game definition. */
export type GameViewOf<G> = G extends GameDefinition<infer _S, infer _O, infer V, infer _R, infer _A> ? V : never;
/** The result type of a game definition. */
export type GameResultOf<G> = G extends GameDefinition<infer _S, infer _O, infer _V, infer R, infer _A> ? R : never;
/** The action payload types of a game definition, by action name. */
export type GameActionsOf<G> = G extends GameDefinition<infer _S, infer _O, infer _V, infer _R, infer A> ? A : never;

/** The default number of spectators a room admits. */
export const DEFAULT_MAX_SPECTATORS = 20;

const GAME_ID = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Declares a game. Types flow from the schemas and from `setup`'s return type, so handlers are typed without
 * annotations.
 * @throws GameDefinitionError when the definition breaks a rule (id format, player counts, missing functions,
 * a schema that is not a Standard Schema).
 */
export function defineGame<TState, TOptions = Record<string, never>, TView = unknown, TResult = unknown, TActions extends ActionPayloads = ActionPayloads>(
  definition: GameDefinition<TState, TOptions, TView, TResult, TActions>,
): GameDefinition<TState, TOptions, TView, TResult, TActions> {
  const fail = (message: string, field: string): never => {
    throw new GameDefinitionError(`Game "${String(definition.id)}": ${message}`, { field });
  };
  if (typeof definition.id !== 'string' || !GAME_ID.test(definition.id)) fail('id must be lower-case letters, digits and dashes', 'id');
  if (typeof definition.name !== 'string' || definition.name.trim() === '') fail('name must be a non-empty string', 'name');
  if (typeof definition.version !== 'string' || definition.version.trim() === '') fail('version must be a non-empty string', 'version');
  const { minPlayers, maxPlayers, maxSpectators = DEFAULT_MAX_SPECTATORS } = definition;
  if (!Number.isSafeInteger(minPlayers) || minPlayers < 1) fail('minPlayers must be an integer of at least 1', 'minPlayers');
  if (!Number.isSafeInteger(maxPlayers) || maxPlayers < minPlayers) fail('maxPlayers must be an integer of at least minPlayers', 'maxPlayers');
  if (!Number.isSafeInteger(maxSpectators) || maxSpectators < 0) fail('maxSpectators must be an integer of at least 0', 'maxSpectators');
  if (definition.options !== undefined && !isStandardSchema(definition.options)) fail('options must be a Standard Schema', 'options');
  for (const name of ['setup', 'view'] as const) {
    if (typeof definition[name] !== 'function') fail(`${name} must be a function`, name);
  }
  if (typeof definition.actions !== 'object' || definition.actions === null) fail('actions must be an object', 'actions');
  for (const [name, action] of Object.entries<ActionDefinition<TState, TOptions, TResult, unknown>>(definition.actions)) {
    if (typeof action?.handle !== 'function') fail(`action "${name}" needs a handle function`, `actions.${name}`);
    if (action.payload !== undefined && !isStandardSchema(action.payload)) fail(`the payload of "${name}" must be a Standard Schema`, `actions.${name}`);
    if (action.requiresTurn === true && typeof definition.whoseTurn !== 'function') fail(`action "${name}" requires a turn but whoseTurn is missing`, 'whoseTurn');
  }
  return definition;
}
