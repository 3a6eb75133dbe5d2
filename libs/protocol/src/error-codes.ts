/**
 * The error codes a client can receive from the gateway, besides the game codes of `@gamebuddies/plugin-sdk`
 * (NOT_YOUR_TURN, GAME_NOT_STARTED, …) and the store codes (ROOM_NOT_FOUND, STORE_UNAVAILABLE, …) that pass
 * through unchanged. Stable across releases. {@link WireErrorCode} lists every code a client can receive.
 */
export const GatewayErrorCode = {
  /** The payload does not match the event's schema (or is nested too deep); `details.issues` says where. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** Too many events too fast from this connection; slow down (`details.retryAfterMs`). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Too many wrong room codes from this connection or address; wait `details.retryAfterMs`. */
  TOO_MANY_WRONG_CODES: 'TOO_MANY_WRONG_CODES',
  /** The event needs a session: call `session:open` first (or again: the session ended). */
  SESSION_REQUIRED: 'SESSION_REQUIRED',
  /** The event needs the player to be in a room. */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** The player is already in a room: leave it first (`details.room`). */
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  /** The player a host tried to kick is not in the room (`details.playerId`). */
  TARGET_NOT_IN_ROOM: 'TARGET_NOT_IN_ROOM',
  /** No game with that id is enabled on this server. */
  UNKNOWN_GAME: 'UNKNOWN_GAME',
  /** The room has as many members as it may hold. */
  ROOM_FULL: 'ROOM_FULL',
  /** This session has created as many rooms as it may for now (`details.retryAfterMs`). */
  ROOM_LIMIT_REACHED: 'ROOM_LIMIT_REACHED',
  /** The server has as many players or rooms as it may hold. */
  SERVER_FULL: 'SERVER_FULL',
  /** The server is shutting down: reconnect (the load balancer sends you elsewhere). */
  SERVER_DRAINING: 'SERVER_DRAINING',
  /** The room (or the player's own other tab) was busy with other changes; nothing changed: retry after `details.retryAfterMs`. */
  ROOM_BUSY: 'ROOM_BUSY',
  /** Something failed on the server; nothing was changed. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

/** A gateway error code. */
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/**
 * Every error code a client can receive, each with one meaning: the gateway's own, the game refusals the
 * plugin runtime answers, and the store codes that reach a player. Anything else a server produces is
 * answered as INTERNAL_ERROR (and logged), so a client can rely on this list.
 */
export const WireErrorCode = {
  ...GatewayErrorCode,
  /** The action needs the acting player's turn, and it is someone else's. */
  NOT_YOUR_TURN: 'NOT_YOUR_TURN',
  /** The room is still in its lobby: the host has not started the game. */
  GAME_NOT_STARTED: 'GAME_NOT_STARTED',
  /** The host asked to start a game that is already running. */
  GAME_ALREADY_STARTED: 'GAME_ALREADY_STARTED',
  /** The game has ended; only a new start (a rematch) changes it now. */
  GAME_OVER: 'GAME_OVER',
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
  /** The game cannot start with this few players. */
  NOT_ENOUGH_PLAYERS: 'NOT_ENOUGH_PLAYERS',
  /** The game produced something that is not plain JSON data; nothing was changed. */
  INVALID_STATE: 'INVALID_STATE',
  /** No room has that code (or it ended). */
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  /** The code is not a room code (wrong length or letters). */
  INVALID_ROOM_CODE: 'INVALID_ROOM_CODE',
  /** The change would make the room larger than the store allows; nothing was changed. */
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  /**
   * The shared store did not answer. `details.outcome` is `not-applied` (nothing changed: retry) or `unknown`
   * (it may have been applied: `room:sync` before retrying).
   */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;

/** A code a client can receive. */
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

const wireErrorCodes: ReadonlySet<string> = new Set(Object.values(WireErrorCode));

/** True when `code` is one of {@link WireErrorCode}. */
export function isWireErrorCode(code: string): code is WireErrorCode {
  return wireErrorCodes.has(code);
}

/** Codes whose request may succeed if sent again later, unchanged (after `details.retryAfterMs` when given). */
export const RETRYABLE_ERROR_CODES: ReadonlySet<WireErrorCode> = new Set<WireErrorCode>([
  WireErrorCode.RATE_LIMITED,
  WireErrorCode.ROOM_BUSY,
  WireErrorCode.SERVER_DRAINING,
  WireErrorCode.STORE_UNAVAILABLE,
  WireErrorCode.TOO_MANY_WRONG_CODES,
  WireErrorCode.ROOM_LIMIT_REACHED,
]);
