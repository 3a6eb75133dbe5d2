import { GameBuddiesError, isGameBuddiesError } from '@gamebuddies/core';

/**
 * The error codes games and the gateway share. A player's request that the runtime refuses carries one of
 * these (or core's INVALID_ARGUMENT for a malformed player id or name). Codes are stable across releases.
 */
export const GameErrorCode = {
  /** The action needs the acting player's turn (`requiresTurn`), and it is someone else's. */
  NOT_YOUR_TURN: 'NOT_YOUR_TURN',
  /** The room is still in its lobby: the host has not started the game. */
  GAME_NOT_STARTED: 'GAME_NOT_STARTED',
  /** The host asked to start a game that is already running. */
  GAME_ALREADY_STARTED: 'GAME_ALREADY_STARTED',
  /** The game has ended; only a new start (a rematch) changes it now. */
  GAME_OVER: 'GAME_OVER',
  /** The action's payload failed its schema; `details.issues` lists why. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The room's options failed the game's options schema; `details.issues` lists why. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** The game refused the action (a rule says no), or the game's code failed while handling it. */
  ACTION_FAILED: 'ACTION_FAILED',
  /** The game has no action of that name. */
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  /** Only the room's host may do that. */
  HOST_ONLY: 'HOST_ONLY',
  /** A spectator sent an action that only players may send. */
  NOT_A_PLAYER: 'NOT_A_PLAYER',
  /** The player is not a member of the room. */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** A player with this id is already a member of the room. */
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  /** No seat is free and the room admits no (more) spectators. */
  ROOM_FULL: 'ROOM_FULL',
  /** The game cannot start with this few players. */
  NOT_ENOUGH_PLAYERS: 'NOT_ENOUGH_PLAYERS',
  /** The game produced state, an event or a result that is not plain JSON data; nothing was changed. */
  INVALID_STATE: 'INVALID_STATE',
  /** A stored room runtime state could not be read, or belongs to another game. */
  INVALID_ROOM_STATE: 'INVALID_ROOM_STATE',
  /** A game definition breaks the SDK's rules (bad player counts, an asynchronous schema, ...). */
  INVALID_GAME_DEFINITION: 'INVALID_GAME_DEFINITION',
  /** Replaying an action log did not reproduce the recorded run. */
  REPLAY_DIVERGED: 'REPLAY_DIVERGED',
  /** (Test harness) a guarded secret reached a member who may not see it. */
  SECRET_LEAKED: 'SECRET_LEAKED',
  /** (Test harness) the runtime broke one of its guarantees (it threw, mutated its input, stored non-JSON...). */
  INVARIANT_VIOLATED: 'INVARIANT_VIOLATED',
} as const;

/** One of the {@link GameErrorCode} strings. */
export type GameErrorCodeName = (typeof GameErrorCode)[keyof typeof GameErrorCode];

/** One problem a schema found in a payload or in options, as plain data. */
export interface SchemaIssue {
  /** What is wrong, in the schema library's words. */
  message: string;
  /** Where: property names and array indexes from the root of the value (empty for the root). */
  path: (string | number)[];
}

const gameErrorCodes: ReadonlySet<string> = new Set(Object.values(GameErrorCode));

/** True when `error` is a GameBuddies error whose code is one of {@link GameErrorCode}. */
export function isGameError(error: unknown): error is GameBuddiesError {
  return isGameBuddiesError(error) && gameErrorCodes.has(error.code);
}

/** Thrown (by a game, or by the runtime for `requiresTurn` actions) when a player acts out of turn. */
export class NotYourTurnError extends GameBuddiesError<typeof GameErrorCode.NOT_YOUR_TURN> {
  constructor(message = 'It is not your turn', details?: Record<string, unknown>) {
    super(GameErrorCode.NOT_YOUR_TURN, message, details);
  }
}

/** Returned when an action arrives before the host started the game. */
export class GameNotStartedError extends GameBuddiesError<typeof GameErrorCode.GAME_NOT_STARTED> {
  constructor(message = 'The game has not started yet') {
    super(GameErrorCode.GAME_NOT_STARTED, message);
  }
}

/** Returned when the host starts a game that is already running. */
export class GameAlreadyStartedError extends GameBuddiesError<typeof GameErrorCode.GAME_ALREADY_STARTED> {
  constructor(message = 'The game is already running') {
    super(GameErrorCode.GAME_ALREADY_STARTED, message);
  }
}

/** Returned when an action arrives after the game ended. */
export class GameOverError extends GameBuddiesError<typeof GameErrorCode.GAME_OVER> {
  constructor(message = 'The game is over') {
    super(GameErrorCode.GAME_OVER, message);
  }
}

/** Returned when an action's payload fails its schema. `details`: `{ action, issues }`. */
export class InvalidPayloadError extends GameBuddiesError<typeof GameErrorCode.INVALID_PAYLOAD> {
  constructor(action: string, issues: SchemaIssue[]) {
    super(GameErrorCode.INVALID_PAYLOAD, `The payload of "${action}" is invalid: ${describeIssues(issues)}`, { action, issues });
  }
}

/** Thrown when a room's options fail the game's options schema. `details`: `{ issues }`. */
export class InvalidOptionsError extends GameBuddiesError<typeof GameErrorCode.INVALID_OPTIONS> {
  constructor(issues: SchemaIssue[]) {
    super(GameErrorCode.INVALID_OPTIONS, `The game options are invalid: ${describeIssues(issues)}`, { issues });
  }
}

/**
 * A game throws this to refuse an action by its rules ("that card does not match"); the message is shown to
 * the acting player. The runtime also returns it, with a generic message and the original error as `cause`,
 * when a game's code throws something unexpected.
 */
export class ActionFailedError extends GameBuddiesError<typeof GameErrorCode.ACTION_FAILED> {
  constructor(message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(GameErrorCode.ACTION_FAILED, message, details, options);
  }
}

/** Returned when a player sends an action the game does not define. `details`: `{ action }`. */
export class UnknownActionError extends GameBuddiesError<typeof GameErrorCode.UNKNOWN_ACTION> {
  constructor(action: string) {
    super(GameErrorCode.UNKNOWN_ACTION, `This game has no action "${action}"`, { action });
  }
}

/** Returned when someone other than the host uses a host control. `details`: `{ action }`. */
export class HostOnlyError extends GameBuddiesError<typeof GameErrorCode.HOST_ONLY> {
  constructor(action: string) {
    super(GameErrorCode.HOST_ONLY, `Only the host can ${action}`, { action });
  }
}

/** Returned when a spectator sends an action reserved to players. `details`: `{ action }`. */
export class NotAPlayerError extends GameBuddiesError<typeof GameErrorCode.NOT_A_PLAYER> {
  constructor(action: string) {
    super(GameErrorCode.NOT_A_PLAYER, `Spectators cannot ${action}`, { action });
  }
}

/** Returned when the given player is not a member of the room. `details`: `{ playerId }`. */
export class NotInRoomError extends GameBuddiesError<typeof GameErrorCode.NOT_IN_ROOM> {
  constructor(playerId: string) {
    super(GameErrorCode.NOT_IN_ROOM, `Player ${playerId} is not in this room`, { playerId });
  }
}

/** Returned when a player joins a room they are already in. `details`: `{ playerId }`. */
export class AlreadyInRoomError extends GameBuddiesError<typeof GameErrorCode.ALREADY_IN_ROOM> {
  constructor(playerId: string) {
    super(GameErrorCode.ALREADY_IN_ROOM, `Player ${playerId} is already in this room`, { playerId });
  }
}

/** Returned when a join finds no free seat and no spectator place. `details`: `{ maxPlayers, maxSpectators }`. */
export class RoomFullError extends GameBuddiesError<typeof GameErrorCode.ROOM_FULL> {
  constructor(details: { maxPlayers: number; maxSpectators: number }) {
    super(GameErrorCode.ROOM_FULL, 'The room is full', details);
  }
}

/** Returned when the host starts with fewer players than the game needs. `details`: `{ players, minPlayers }`. */
export class NotEnoughPlayersError extends GameBuddiesError<typeof GameErrorCode.NOT_ENOUGH_PLAYERS> {
  constructor(details: { players: number; minPlayers: number }) {
    super(GameErrorCode.NOT_ENOUGH_PLAYERS, `The game needs at least ${details.minPlayers} players`, details);
  }
}

/** Returned when a game produces state, an event or a result that is not plain JSON. `details`: `{ path }`. */
export class InvalidStateError extends GameBuddiesError<typeof GameErrorCode.INVALID_STATE> {
  constructor(message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(GameErrorCode.INVALID_STATE, message, details, options);
  }
}

/** Thrown when a stored room runtime state cannot be read or belongs to another game. */
export class InvalidRoomStateError extends GameBuddiesError<typeof GameErrorCode.INVALID_ROOM_STATE> {
  constructor(message: string, details?: Record<string, unknown>) {
    super(GameErrorCode.INVALID_ROOM_STATE, message, details);
  }
}

/** Thrown when a game definition breaks the SDK's rules. */
export class GameDefinitionError extends GameBuddiesError<typeof GameErrorCode.INVALID_GAME_DEFINITION> {
  constructor(message: string, details?: Record<string, unknown>) {
    super(GameErrorCode.INVALID_GAME_DEFINITION, message, details);
  }
}

/** Thrown when a replayed log entry is refused or the log cannot be replayed. `details`: `{ index, entry? }`. */
export class ReplayDivergedError extends GameBuddiesError<typeof GameErrorCode.REPLAY_DIVERGED> {
  constructor(message: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super(GameErrorCode.REPLAY_DIVERGED, message, details, options);
  }
}

function describeIssues(issues: SchemaIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
