/**
 * The error codes shared by every GameBuddies library. Each library lists its own codes in its `errors.ts`;
 * these are the ones that cross library boundaries. Codes are stable across releases.
 */
export const CoreErrorCode = {
  /** The backing store (Redis) did not answer in time or is not connected. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** A stored record could not be parsed or has an unknown schema version. */
  STORE_CORRUPTED: 'STORE_CORRUPTED',
  /** An argument broke the documented rules (wrong type, out of range, not plain JSON). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;

/** A plain-data description of an error, safe to log or send to a client. */
export interface ErrorShape {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The base class of every error GameBuddies throws on purpose. Callers branch on `code` (a stable
 * SCREAMING_SNAKE string), never on the message or the class name.
 */
export class GameBuddiesError<C extends string = string> extends Error {
  /** A stable machine-readable code, such as `VERSION_CONFLICT`: one of its library's code union. */
  readonly code: C;
  /** Optional structured context (never secrets such as tokens). */
  readonly details?: Record<string, unknown>;

  constructor(code: C, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** The error as plain data, e.g. for an acknowledgement sent to a client. */
  toJSON(): ErrorShape & { code: C } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * The outcome of a store call that failed for lack of the backend: `not-applied` when the command never left
 * this process, `unknown` when it was sent but no answer came back (it may or may not have been applied).
 */
export type StoreOutcome = 'not-applied' | 'unknown';

/** Thrown when the store's backend cannot be reached or did not answer within the configured time. */
export class StoreUnavailableError extends GameBuddiesError<typeof CoreErrorCode.STORE_UNAVAILABLE> {
  constructor(message: string, details: { operation: string; outcome: StoreOutcome }, options?: { cause?: unknown }) {
    super(CoreErrorCode.STORE_UNAVAILABLE, message, details, options);
  }
}

/** Thrown when a stored record cannot be read back: garbage bytes, a missing field or an unknown schema. */
export class StoreCorruptedError extends GameBuddiesError<typeof CoreErrorCode.STORE_CORRUPTED> {
  constructor(message: string, details: { key: string; reason: string }) {
    super(CoreErrorCode.STORE_CORRUPTED, message, details);
  }
}

/** Thrown when a caller passes an argument that breaks the documented rules. */
export class InvalidArgumentError extends GameBuddiesError<typeof CoreErrorCode.INVALID_ARGUMENT> {
  constructor(message: string, details?: Record<string, unknown>) {
    super(CoreErrorCode.INVALID_ARGUMENT, message, details);
  }
}

/** True when `error` is a GameBuddies error, optionally with the given code. */
export function isGameBuddiesError(error: unknown, code?: string): error is GameBuddiesError {
  return error instanceof GameBuddiesError && (code === undefined || error.code === code);
}
