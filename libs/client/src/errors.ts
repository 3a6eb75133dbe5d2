import { GameBuddiesError, type ErrorShape } from '@gamebuddies/core';
import { RETRYABLE_ERROR_CODES } from '@gamebuddies/protocol';

/**
 * The error codes the client raises itself. Every other code a request can reject with comes from the server
 * unchanged (every one is listed in `WireErrorCode` of `@gamebuddies/protocol`). Stable across releases.
 */
export const ClientErrorCode = {
  /** The server did not acknowledge the request within `requestTimeoutMs`; it may or may not have been applied. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** The request was not sent: the client has no open session (never connected, reconnecting, or closed). */
  NOT_CONNECTED: 'NOT_CONNECTED',
  /** The connection dropped after the request was sent and before its answer; it may or may not have been applied. */
  CONNECTION_LOST: 'CONNECTION_LOST',
  /** The socket could not connect (server unreachable, or the handshake refused); `details.reason` says why. */
  CONNECT_FAILED: 'CONNECT_FAILED',
  /** The server answered with something that is not an acknowledgement (`{ ok, data }` or `{ ok, error }`). */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** `close()` was called: the client does not connect again. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
} as const;

/** A code the client raises itself. */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * What every failed client call rejects with: either a server error passed through with its `code`, `message`
 * and `details`, or one of the client's own {@link ClientErrorCode}s. Branch on `code`, never on the message.
 */
export class GameBuddiesClientError extends GameBuddiesError {
  /** Wraps an error the server sent in an acknowledgement, keeping its code, message and details. */
  static fromServer(error: ErrorShape): GameBuddiesClientError {
    return new GameBuddiesClientError(error.code, error.message, error.details);
  }
}

/**
 * True when sending the same request again later may succeed: the server said so (RATE_LIMITED, ROOM_BUSY,
 * SERVER_DRAINING, STORE_UNAVAILABLE, …; wait `details.retryAfterMs` when given), or the connection failed
 * before an answer came (check with `sync()` first: it may have been applied).
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof GameBuddiesError)) return false;
  return (RETRYABLE_ERROR_CODES as ReadonlySet<string>).has(error.code) || RETRYABLE_CLIENT_CODES.has(error.code);
}

const RETRYABLE_CLIENT_CODES: ReadonlySet<string> = new Set([ClientErrorCode.REQUEST_TIMEOUT, ClientErrorCode.CONNECTION_LOST, ClientErrorCode.NOT_CONNECTED]);
