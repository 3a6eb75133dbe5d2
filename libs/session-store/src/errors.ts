import { GameBuddiesError } from '@gamebuddies/core';

// The codes shared with every store live in core; they are re-exported so callers need one import.
export { GameBuddiesError, InvalidArgumentError, StoreCorruptedError, StoreUnavailableError, isGameBuddiesError } from '@gamebuddies/core';

/** Every error code the session store throws. Stable across releases. */
export const SessionStoreErrorCode = {
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  ROOM_BINDING_CONFLICT: 'ROOM_BINDING_CONFLICT',
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
export class SessionNotFoundError extends GameBuddiesError<typeof SessionStoreErrorCode.SESSION_NOT_FOUND> {
  constructor() {
    super(SessionStoreErrorCode.SESSION_NOT_FOUND, 'no session for this token (unknown, expired or destroyed)');
  }
}

/**
 * A conditional `bindRoom` found the session bound to another room than `ifRoomIs` said, so nothing was
 * written. `details.actual` is the room it is bound to (null: none), `details.boundAt` when that binding was
 * set (ms, store clock; null while unbound).
 */
export class RoomBindingConflictError extends GameBuddiesError<typeof SessionStoreErrorCode.ROOM_BINDING_CONFLICT> {
  declare readonly details: { actual: string | null; boundAt: number | null };

  constructor(actual: string | null, boundAt: number | null) {
    super(
      SessionStoreErrorCode.ROOM_BINDING_CONFLICT,
      actual === null ? 'the session is bound to no room' : `the session is bound to room ${actual}`,
      { actual, boundAt },
    );
  }
}

/** The session's serialised `data` would exceed the store's `maxDataBytes`. */
export class RecordTooLargeError extends GameBuddiesError<typeof SessionStoreErrorCode.RECORD_TOO_LARGE> {
  constructor(bytes: number, limit: number) {
    super(SessionStoreErrorCode.RECORD_TOO_LARGE, `session data would take ${bytes} bytes, over the ${limit} byte limit`, {
      bytes,
      limit,
    });
  }
}
