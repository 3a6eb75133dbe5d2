/**
 * The error codes a client can receive from the gateway, besides the game codes of `@gamebuddies/plugin-sdk`
 * (NOT_YOUR_TURN, GAME_NOT_STARTED, …) and the store codes (ROOM_NOT_FOUND, STORE_UNAVAILABLE, …) that pass
 * through unchanged. Stable across releases.
 */
export const GatewayErrorCode = {
  /** The payload does not match the event's schema; `details.issues` says where. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** Too many events too fast from this connection; slow down. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Too many wrong room codes from this connection or address; wait `details.retryAfterMs`. */
  TOO_MANY_WRONG_CODES: 'TOO_MANY_WRONG_CODES',
  /** The event needs a session: call `session:open` first. */
  SESSION_REQUIRED: 'SESSION_REQUIRED',
  /** The event needs the player to be in a room. */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** The player is already in a room: leave it first. */
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  /** No game with that id is enabled on this server. */
  UNKNOWN_GAME: 'UNKNOWN_GAME',
  /** The room has as many members as it may hold. */
  ROOM_FULL: 'ROOM_FULL',
  /** The server has as many players as it may hold. */
  SERVER_FULL: 'SERVER_FULL',
  /** The server is shutting down: reconnect (the load balancer sends you elsewhere). */
  SERVER_DRAINING: 'SERVER_DRAINING',
  /** Something failed on the server; the room is unchanged. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

/** A gateway error code. */
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];
