import { GameBuddiesError, StoreCorruptedError } from '@gamebuddies/core';

export {
  GameBuddiesError,
  InvalidArgumentError,
  StoreCorruptedError,
  StoreUnavailableError,
  isGameBuddiesError,
} from '@gamebuddies/core';

/** Every error code the room store throws. Stable across releases. */
export const RoomStoreErrorCode = {
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ROOM_CODE_TAKEN: 'ROOM_CODE_TAKEN',
  ROOM_CODE_EXHAUSTED: 'ROOM_CODE_EXHAUSTED',
  INVALID_ROOM_CODE: 'INVALID_ROOM_CODE',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  LEASE_LOST: 'LEASE_LOST',
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  STORE_CORRUPTED: 'STORE_CORRUPTED',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;

/** A room error code. */
export type RoomStoreErrorCode = (typeof RoomStoreErrorCode)[keyof typeof RoomStoreErrorCode];

/** No room has this code (it never existed, was deleted, or expired). */
export class RoomNotFoundError extends GameBuddiesError<typeof RoomStoreErrorCode.ROOM_NOT_FOUND> {
  constructor(code: string) {
    super(RoomStoreErrorCode.ROOM_NOT_FOUND, `room ${code} does not exist`, { room: code });
  }
}

/** A room with the requested code already exists. */
export class RoomCodeTakenError extends GameBuddiesError<typeof RoomStoreErrorCode.ROOM_CODE_TAKEN> {
  constructor(code: string) {
    super(RoomStoreErrorCode.ROOM_CODE_TAKEN, `room code ${code} is already taken`, { room: code });
  }
}

/** Every generated code collided with an existing room: the code space is too full for this length. */
export class RoomCodeExhaustedError extends GameBuddiesError<typeof RoomStoreErrorCode.ROOM_CODE_EXHAUSTED> {
  constructor(attempts: number, length: number) {
    super(
      RoomStoreErrorCode.ROOM_CODE_EXHAUSTED,
      `no free room code after ${attempts} attempts at length ${length}: raise codeLength`,
      { attempts, length },
    );
  }
}

/** The text is not a room code at all (wrong characters or length). */
export class InvalidRoomCodeError extends GameBuddiesError<typeof RoomStoreErrorCode.INVALID_ROOM_CODE> {
  constructor(reason: string) {
    super(RoomStoreErrorCode.INVALID_ROOM_CODE, `not a room code: ${reason}`);
  }
}

/** The room changed since the writer read it: re-read and try again. */
export class VersionConflictError extends GameBuddiesError<typeof RoomStoreErrorCode.VERSION_CONFLICT> {
  constructor(code: string, expected: number, actual: number) {
    super(
      RoomStoreErrorCode.VERSION_CONFLICT,
      `room ${code} is at version ${actual}, not ${expected}`,
      { room: code, expected, actual },
    );
  }
}

/** The writer's lease is no longer the room's current one: another node took over (or it was released). */
export class LeaseLostError extends GameBuddiesError<typeof RoomStoreErrorCode.LEASE_LOST> {
  constructor(code: string, token: number, currentToken: number) {
    super(
      RoomStoreErrorCode.LEASE_LOST,
      `room ${code}: fencing token ${token} is no longer the owner's (current ${currentToken})`,
      { room: code, token, currentToken },
    );
  }
}

/** The serialised room would exceed the store's `maxRecordBytes`. */
export class RecordTooLargeError extends GameBuddiesError<typeof RoomStoreErrorCode.RECORD_TOO_LARGE> {
  constructor(code: string, bytes: number, limit: number) {
    super(RoomStoreErrorCode.RECORD_TOO_LARGE, `room ${code} would take ${bytes} bytes, over the ${limit} byte limit`, {
      room: code,
      bytes,
      limit,
    });
  }
}

/** What a STORE_CORRUPTED error of the room store says: which stored key, which field of it, and what is wrong. */
export interface RoomCorruptionDetails {
  /** The stored record's name (for Redis the key, e.g. `gb:room:{K7QX2M}` or `gb:{rooms}:expiry`). */
  key: string;
  /** The damaged field (`version`, `state`, …), or `type` when the key holds another Redis type. */
  field: string;
  /** What is wrong with it, for people. */
  reason: string;
}

/**
 * The STORE_CORRUPTED error for a damaged stored record: a `StoreCorruptedError` whose details also name the
 * field (`{ key, field, reason }`).
 */
export function roomCorrupted(key: string, field: string, reason: string): StoreCorruptedError {
  const details: RoomCorruptionDetails = { key, field, reason };
  return new StoreCorruptedError(`stored room data ${key} cannot be used: ${reason}`, details);
}

