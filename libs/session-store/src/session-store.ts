import type { JsonObject } from '@gamebuddies/core';

/**
 * A player's session as stored. It is found by its secret token, which is never part of the record: the
 * store keeps only the token's SHA-256. Records are plain data: mutating one never changes the store.
 */
export interface Session {
  /** A random public id for this session, safe to log and to show to other players. */
  sessionId: string;
  /** The player's stable id: generated at creation unless one was given. */
  playerId: string;
  /** The name other players see: 1–32 characters, trimmed, without control characters. */
  displayName: string;
  /** The room the session is bound to, or null when it is in none. */
  roomCode: string | null;
  /**
   * When the current room binding was set, ms since the epoch on the store's clock; null while unbound. A
   * record written before this field existed (schema 1) reads as its `createdAt` while bound.
   */
  roomBoundAt: number | null;
  /** Small custom data (a JSON object of at most the store's `maxDataBytes`). */
  data: JsonObject;
  /** Creation time, ms since the epoch, on the store's clock. */
  createdAt: number;
  /** Time of the last touch or write, ms since the epoch. */
  lastSeenAt: number;
  /** When the session ends unless touched or written, ms since the epoch. */
  expiresAt: number;
  /** The session's sliding window: every touch or write moves `expiresAt` to `lastSeenAt + ttlMs`. */
  ttlMs: number;
}

/** What a new session starts with. */
export interface CreateSessionInput {
  /** The name other players see: 1–32 characters after trimming, without control characters. */
  displayName: string;
  /** A known player id (1–128 characters, no whitespace or control characters); by default a random UUID. */
  playerId?: string;
  /** Custom data, a JSON object (default `{}`). */
  data?: JsonObject;
  /** The session's sliding window; defaults to the store's `sessionTtlMs`. */
  ttlMs?: number;
  /**
   * A token the caller made with `generateSessionToken()`, which makes `create` idempotent: a retry with the
   * same token and the same input (after a STORE_UNAVAILABLE with outcome `unknown`) returns the session the
   * first attempt stored instead of making a second one. Without it the store makes a token, and a create whose
   * reply was lost cannot be retried safely. Must be 43 base64url characters encoding 256 bits.
   */
  token?: string;
}

/** A condition on the session's current room, for {@link SessionStore.bindRoom}. */
export interface BindRoomOptions {
  /**
   * Bind only if the session is now bound to exactly this room (`null`: bound to none); otherwise fail with
   * ROOM_BINDING_CONFLICT, whose details give the actual room. Omitted: bind whatever the current room.
   */
  ifRoomIs?: string | null;
}

/** A condition on the session's current room, for {@link SessionStore.unbindRoom}. */
export interface UnbindRoomOptions {
  /** Unbind only if the session is now bound to this room; otherwise return it unchanged (nothing written). */
  ifRoomIs?: string;
}

/** The parts of a session an update replaces. Omitted parts stay as they are; `data` is replaced whole. */
export interface SessionPatch {
  /** A new display name (same rules as at creation). */
  displayName?: string;
  /** New custom data, replacing the old whole. */
  data?: JsonObject;
}

/** A new session and the token that finds it: hand the token to the client once, it is not stored. */
export interface CreatedSession {
  /** The secret bearer token: 256 random bits in base64url (43 characters). */
  token: string;
  /** The session as stored. */
  session: Session;
}

/**
 * Where sessions live: shared by every process that serves players. A session is found by an opaque token;
 * the store keys it by the token's SHA-256, so a dump of the store gives no usable token. Every call is one
 * atomic step on the shared data (index included); every write (touch, update, bind, unbind) slides the
 * session's expiry by its `ttlMs`. A call that resolves was applied; one that fails with STORE_UNAVAILABLE says
 * in `details.outcome` whether it was `not-applied` or its outcome is `unknown` (sent, reply lost).
 *
 * Errors (all `GameBuddiesError`, see `errors.ts`): SESSION_NOT_FOUND, ROOM_BINDING_CONFLICT, RECORD_TOO_LARGE,
 * INVALID_ARGUMENT, STORE_CORRUPTED, STORE_UNAVAILABLE.
 */
export interface SessionStore {
  /** Identifies this store instance (e.g. in logs). */
  readonly instanceId: string;

  /**
   * Creates a session with a new random token, or with `input.token`, idempotently: when that token already
   * finds a session created with the same input, that session is returned as it is now.
   * @throws INVALID_ARGUMENT for a bad name, player id, data, ttl or token, or a token that finds a session
   * created with other input; RECORD_TOO_LARGE when `data` is too big.
   */
  create(input: CreateSessionInput): Promise<CreatedSession>;

  /**
   * Reads the session a token finds, or null. A malformed, unknown, expired or destroyed token all give null
   * alike, so the answer never tells a guesser which. @throws STORE_CORRUPTED, STORE_UNAVAILABLE.
   */
  get(token: string): Promise<Session | null>;

  /**
   * Marks the session as seen: `lastSeenAt` becomes now and the expiry slides by `ttlMs`, which (when given)
   * also becomes the session's window from then on.
   * @throws SESSION_NOT_FOUND; INVALID_ARGUMENT for a bad ttl.
   */
  touch(token: string, ttlMs?: number): Promise<Session>;

  /**
   * Replaces the display name and/or the data, and slides the expiry.
   * @throws SESSION_NOT_FOUND; INVALID_ARGUMENT; RECORD_TOO_LARGE.
   */
  update(token: string, patch: SessionPatch): Promise<Session>;

  /**
   * Binds the session to a room (1–64 characters, no whitespace or control characters), replacing any
   * earlier one, sets `roomBoundAt` to now and slides the expiry. With `ifRoomIs`, binds only if the session is
   * bound to exactly that room (null: none), checked and written in one atomic step.
   * @throws SESSION_NOT_FOUND; ROOM_BINDING_CONFLICT (details `{ actual, boundAt }`) when `ifRoomIs` does not
   * match; INVALID_ARGUMENT.
   */
  bindRoom(token: string, roomCode: string, options?: BindRoomOptions): Promise<Session>;

  /**
   * Leaves the session in no room, and slides the expiry. With `ifRoomIs`, only if it is bound to that room;
   * otherwise the session is returned unchanged and nothing is written.
   * @throws SESSION_NOT_FOUND; INVALID_ARGUMENT for a bad `ifRoomIs`.
   */
  unbindRoom(token: string, options?: UnbindRoomOptions): Promise<Session>;

  /** Ends a session at once, damaged or not. Returns false when the token found none. */
  destroy(token: string): Promise<boolean>;

  /** Counts live sessions across every process sharing the store. */
  count(): Promise<number>;

  /** Releases what this instance holds. Connections passed in stay open. */
  close(): Promise<void>;
}
