import { createHash, randomUUID } from 'node:crypto';
import { InvalidArgumentError, isJsonObject } from '@gamebuddies/core';
import { RoomBindingConflictError, SessionNotFoundError } from './errors';
import { parseSessionFields, type NewSessionFields, type SessionChanges } from './session-fields';
import {
  encodeData,
  PLAYER_ID_MAX_LENGTH,
  ROOM_CODE_MAX_LENGTH,
  validateDisplayName,
  validateIdentifier,
  validateTtl,
} from './session-input';
import type {
  BindRoomOptions,
  CreatedSession,
  CreateSessionInput,
  Session,
  SessionPatch,
  SessionStore,
  UnbindRoomOptions,
} from './session-store';
import { generateSessionToken, hashSessionToken, isCanonicalSessionToken, isWellFormedSessionToken } from './session-tokens';
import { resolveSessionStoreOptions, type ResolvedSessionStoreOptions, type SessionStoreOptions } from './store-options';

/** Fresh tokens tried before create gives up; with 256 random bits even a second try means a broken RNG. */
const MAX_TOKEN_ATTEMPTS = 3;

/** What a backend's insert did: stored a new session, found the same create already stored, or found the key taken. */
export type InsertOutcome = { status: 'created' | 'existing'; fields: Record<string, string> } | { status: 'taken' };

/** One write on a session, as a backend applies it in one atomic step. */
export interface SessionWrite {
  /** Fields to set; setting `roomCode` also sets `roomBoundAt` (now, or '' when unbinding). */
  changes: SessionChanges;
  /** The new window, or undefined to keep the stored one. */
  ttlMs: number | undefined;
  /** When set, the write applies only if the stored `roomCode` is exactly this ('' = no room). */
  ifRoomIs?: string;
  /** What a failed `ifRoomIs` gives: a conflict (bind), or the session unchanged with nothing written (unbind). */
  onMismatch: 'conflict' | 'unchanged';
}

/** What a backend's write did. `conflict` carries the stored `roomCode` and `roomBoundAt` ('' = none). */
export type WriteOutcome =
  | { status: 'written' | 'unchanged'; fields: Record<string, string> }
  | { status: 'not-found' }
  | { status: 'conflict'; roomCode: string; roomBoundAt: string };

/**
 * The part of a session store every backend shares: argument checks, token generation and hashing, record
 * parsing, the sweep timer, and turning backend outcomes into typed errors. Backends only ever see the token's
 * hash. A backend implements the primitives below, each of which must be a single atomic step on the shared
 * data (its index included) that checks the stored record before it writes.
 */
export abstract class SessionStoreBase implements SessionStore {
  protected readonly settings: ResolvedSessionStoreOptions;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private isClosed = false;

  /** @param backendProblems what the implementation found wrong with its own settings, reported together. */
  protected constructor(options: SessionStoreOptions, backendProblems: string[] = []) {
    this.settings = resolveSessionStoreOptions(options, backendProblems);
  }

  get instanceId(): string {
    return this.settings.instanceId;
  }

  /**
   * Stores a new session under `tokenHash` with schema, window and times set (`createdAt` = `lastSeenAt` =
   * now, no room) and adds it to the index, unless something is stored there already. When `isCallerToken`,
   * a whole stored session with the same `createRequest` is `existing`; anything else stored there is `taken`.
   * @throws StoreCorruptedError when the stored record or the index is damaged.
   */
  protected abstract insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number, isCallerToken: boolean): Promise<InsertOutcome>;
  /** Reads a session's stored fields, or null when there is none (or it expired). */
  protected abstract readSession(tokenHash: string): Promise<Record<string, string> | null>;
  /**
   * Checks the stored record, then (if `write.ifRoomIs` holds) applies the changes, sets `lastSeenAt` to now,
   * slides the expiry by `write.ttlMs` (which becomes the session's window) or the stored window, and moves the
   * index entry. @throws StoreCorruptedError when the record or the index is damaged.
   */
  protected abstract writeSession(tokenHash: string, write: SessionWrite): Promise<WriteOutcome>;
  /** Deletes a session, damaged or not, and its index entry; false when there was none. */
  protected abstract removeSession(tokenHash: string): Promise<boolean>;
  /** Counts live sessions. */
  protected abstract countSessions(): Promise<number>;
  /** Removes expired sessions (Redis: their index entries) in steps of at most `batchSize`; returns how many. */
  protected abstract sweepExpired(batchSize: number): Promise<number>;
  /** The name of a stored record in errors and logs (the Redis key, or an equivalent): never the token. */
  protected abstract describeKey(tokenHash: string): string;

  async create(input: CreateSessionInput): Promise<CreatedSession> {
    if (!isJsonObject(input)) throw new InvalidArgumentError('create needs an input object');
    const displayName = validateDisplayName(input.displayName);
    const givenPlayerId = input.playerId === undefined ? undefined : validateIdentifier(input.playerId, 'playerId', PLAYER_ID_MAX_LENGTH);
    const data = encodeData(input.data === undefined ? {} : input.data, this.settings.maxDataBytes);
    const ttlMs = validateTtl(input.ttlMs === undefined ? this.settings.sessionTtlMs : input.ttlMs);
    if (input.token !== undefined && !isCanonicalSessionToken(input.token)) {
      throw new InvalidArgumentError('token must be 43 base64url characters encoding 256 bits (make it with generateSessionToken)');
    }
    const fields: NewSessionFields = {
      sessionId: randomUUID(),
      playerId: givenPlayerId ?? randomUUID(),
      displayName,
      data,
      // What makes a retried create the same create: the input as given, never what the store generated.
      createRequest: createHash('sha256').update(JSON.stringify([displayName, givenPlayerId ?? null, data, ttlMs])).digest('hex'),
    };
    if (input.token !== undefined) {
      const outcome = await this.insertSession(hashSessionToken(input.token), fields, ttlMs, true);
      if (outcome.status === 'taken') throw new InvalidArgumentError('token already finds a session created with other input');
      return this.created(input.token, outcome.fields, outcome.status);
    }
    for (let attempt = 1; attempt <= MAX_TOKEN_ATTEMPTS; attempt++) {
      const token = generateSessionToken();
      const outcome = await this.insertSession(hashSessionToken(token), fields, ttlMs, false);
      if (outcome.status !== 'taken') return this.created(token, outcome.fields, outcome.status);
    }
    throw new Error(`${MAX_TOKEN_ATTEMPTS} fresh session tokens all collided with stored sessions: the random source is broken`);
  }

  async get(token: string): Promise<Session | null> {
    if (!isWellFormedSessionToken(token)) return null;
    const tokenHash = hashSessionToken(token);
    const fields = await this.readSession(tokenHash);
    return fields === null ? null : parseSessionFields(this.describeKey(tokenHash), fields);
  }

  async touch(token: string, ttlMs?: number): Promise<Session> {
    const window = ttlMs === undefined ? undefined : validateTtl(ttlMs);
    return this.write(token, { changes: {}, ttlMs: window, onMismatch: 'conflict' });
  }

  async update(token: string, patch: SessionPatch): Promise<Session> {
    if (!isJsonObject(patch)) throw new InvalidArgumentError('update needs a patch object');
    const changes: SessionChanges = {};
    if (patch.displayName !== undefined) changes.displayName = validateDisplayName(patch.displayName);
    if (patch.data !== undefined) changes.data = encodeData(patch.data, this.settings.maxDataBytes);
    return this.write(token, { changes, ttlMs: undefined, onMismatch: 'conflict' });
  }

  async bindRoom(token: string, roomCode: string, options?: BindRoomOptions): Promise<Session> {
    const code = validateIdentifier(roomCode, 'roomCode', ROOM_CODE_MAX_LENGTH);
    const expected = roomCondition(options, true);
    return this.write(token, { changes: { roomCode: code }, ttlMs: undefined, onMismatch: 'conflict', ...expected });
  }

  async unbindRoom(token: string, options?: UnbindRoomOptions): Promise<Session> {
    const expected = roomCondition(options, false);
    return this.write(token, { changes: { roomCode: '' }, ttlMs: undefined, onMismatch: 'unchanged', ...expected });
  }

  async destroy(token: string): Promise<boolean> {
    if (!isWellFormedSessionToken(token)) return false;
    return this.removeSession(hashSessionToken(token));
  }

  count(): Promise<number> {
    return this.countSessions();
  }

  /**
   * Removes expired sessions now, in bounded steps (at most `sweepBatchSize` entries per step), as the sweep
   * timer does every `sweepIntervalMs`. Returns how many it removed. @throws STORE_UNAVAILABLE, STORE_CORRUPTED.
   */
  sweepExpiredSessions(): Promise<number> {
    return this.sweepExpired(this.settings.sweepBatchSize);
  }

  /** Stops the sweep timer and waits for a sweep under way. Connections and backends belong to the caller. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
  }

  /** Starts the sweep timer; implementations call it last in their constructor, once they can sweep. */
  protected startSweeping(): void {
    if (this.settings.sweepIntervalMs === 0 || this.isClosed) return;
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweepExpiredSessions()
        .then((removed) => {
          if (removed > 0) this.settings.logger.debug({ instanceId: this.instanceId, removed }, 'expired sessions swept');
        })
        .catch((error: unknown) => {
          // A sweep that fails (Redis away) is retried at the next tick; the next line says so at most once a tick.
          this.settings.logger.warn({ instanceId: this.instanceId, error: error instanceof Error ? error.message : String(error) }, 'session sweep failed');
        })
        .finally(() => {
          this.sweeping = undefined;
          this.startSweeping();
        });
    }, this.settings.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  private created(token: string, fields: Record<string, string>, status: 'created' | 'existing'): CreatedSession {
    const session = parseSessionFields(this.describeKey(hashSessionToken(token)), fields);
    this.settings.logger.debug(
      { sessionId: session.sessionId, playerId: session.playerId, instanceId: this.instanceId },
      status === 'created' ? 'session created' : 'session create repeated: the stored session is returned',
    );
    return { token, session };
  }

  private async write(token: string, write: SessionWrite): Promise<Session> {
    if (!isWellFormedSessionToken(token)) throw new SessionNotFoundError();
    const tokenHash = hashSessionToken(token);
    const outcome = await this.writeSession(tokenHash, write);
    if (outcome.status === 'not-found') throw new SessionNotFoundError();
    if (outcome.status === 'conflict') {
      throw new RoomBindingConflictError(
        outcome.roomCode === '' ? null : outcome.roomCode,
        outcome.roomBoundAt === '' ? null : Number(outcome.roomBoundAt),
      );
    }
    return parseSessionFields(this.describeKey(tokenHash), outcome.fields);
  }
}

/**
 * Reads the `ifRoomIs` of bindRoom (`allowsNone`: null means "bound to no room") or unbindRoom into the
 * stored form ('' = no room); an absent one sets no condition.
 * @throws InvalidArgumentError for options that are not an object, or a bad room code.
 */
function roomCondition(options: BindRoomOptions | UnbindRoomOptions | undefined, allowsNone: boolean): { ifRoomIs?: string } {
  if (options === undefined) return {};
  if (!isJsonObject(options)) throw new InvalidArgumentError('room options must be an object');
  const expected: unknown = options.ifRoomIs;
  if (expected === undefined) return {};
  if (expected === null && allowsNone) return { ifRoomIs: '' };
  return { ifRoomIs: validateIdentifier(expected, 'ifRoomIs', ROOM_CODE_MAX_LENGTH) };
}
