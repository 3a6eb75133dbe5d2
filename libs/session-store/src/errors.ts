import { GameBuddiesError } from '@gamebuddies/core';

// The codes shared with every store live in core; they are re-exported so callers need one import.
export { GameBuddiesError, InvalidArgumentError, StoreCorruptedError, StoreUnavailableError, isGameBuddiesError } from '@gamebuddies/core';

/** Every error code the session store throws. Stable across releases. */
export const SessionStoreErrorCode = {
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  STORE_CORRUPTED: 'STORE_CORRUPTED',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;

/** A session error code. */
export type SessionStoreErrorCode = (typeof SessionStoreErrorCode)[keyof typeof SessionStoreErrorCode];

/**
 * The token finds no session: it never existed, was destroyed, expired, or is not a token at all. The
 * message and details never say which, and never hold the token.
 */
export class SessionNotFoundError extends GameBuddiesError {
  constructor() {
    super(SessionStoreErrorCode.SESSION_NOT_FOUND, 'no session for this token (unknown, expired or destroyed)');
  }
}

/** The session's serialised `data` would exceed the store's `maxDataBytes`. */
export class RecordTooLargeError extends GameBuddiesError {
  constructor(bytes: number, limit: number) {
    super(SessionStoreErrorCode.RECORD_TOO_LARGE, `session data would take ${bytes} bytes, over the ${limit} byte limit`, {
      bytes,
      limit,
    });
  }
}
