import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, isJsonObject } from '@gamebuddies/core';
import { SessionNotFoundError } from './errors';
import { parseSessionFields, type NewSessionFields, type SessionChanges } from './session-fields';
import {
  encodeData,
  PLAYER_ID_MAX_LENGTH,
  ROOM_CODE_MAX_LENGTH,
  validateDisplayName,
  validateIdentifier,
  validateTtl,
} from './session-input';
import type { CreatedSession, CreateSessionInput, Session, SessionPatch, SessionStore } from './session-store';
import { generateSessionToken, hashSessionToken, isWellFormedSessionToken } from './session-tokens';
import { resolveSessionStoreOptions, type ResolvedSessionStoreOptions, type SessionStoreOptions } from './store-options';

/** Fresh tokens tried before create gives up; with 256 random bits even a second try means a broken RNG. */
const MAX_TOKEN_ATTEMPTS = 3;

/**
 * The part of a session store every backend shares: argument checks, token generation and hashing, record
 * parsing, and turning backend outcomes into typed errors. Backends only ever see the token's hash. A backend
 * implements the primitives below, each of which must be a single atomic step on the shared data.
 */
export abstract class SessionStoreBase implements SessionStore {
  protected readonly settings: ResolvedSessionStoreOptions;

  /** @param backendProblems what the implementation found wrong with its own settings, reported together. */
  protected constructor(options: SessionStoreOptions, backendProblems: string[] = []) {
    this.settings = resolveSessionStoreOptions(options, backendProblems);
  }

  get instanceId(): string {
    return this.settings.instanceId;
  }

  /**
   * Stores a new session under `tokenHash` with schema, window and times set (`createdAt` = `lastSeenAt` =
   * now, `roomCode` ''), unless something is stored there already. Returns the stored fields, or null.
   */
  protected abstract insertSession(tokenHash: string, fields: NewSessionFields, ttlMs: number): Promise<Record<string, string> | null>;
  /** Reads a session's stored fields, or null when there is none (or it expired). */
  protected abstract readSession(tokenHash: string): Promise<Record<string, string> | null>;
  /**
   * Applies `changes`, sets `lastSeenAt` to now and slides the expiry by `ttlMs` (which becomes the session's
   * window) or, when undefined, by the stored window. Returns the fields after the write, or null when there is
   * no session. @throws StoreCorruptedError when the schema or the stored window is damaged.
   */
  protected abstract writeSession(tokenHash: string, changes: SessionChanges, ttlMs: number | undefined): Promise<Record<string, string> | null>;
  /** Deletes a session; false when there was none. */
  protected abstract removeSession(tokenHash: string): Promise<boolean>;
  /** Counts live sessions. */
  protected abstract countSessions(): Promise<number>;
  /** The name of a stored record in errors and logs (the Redis key, or an equivalent): never the token. */
  protected abstract describeKey(tokenHash: string): string;

  async create(input: CreateSessionInput): Promise<CreatedSession> {
    if (!isJsonObject(input)) throw new InvalidArgumentError('create needs an input object');
    const fields: NewSessionFields = {
      sessionId: randomUUID(),
      playerId: input.playerId === undefined ? randomUUID() : validateIdentifier(input.playerId, 'playerId', PLAYER_ID_MAX_LENGTH),
      displayName: validateDisplayName(input.displayName),
      data: encodeData(input.data === undefined ? {} : input.data, this.settings.maxDataBytes),
    };
    const ttlMs = validateTtl(input.ttlMs === undefined ? this.settings.sessionTtlMs : input.ttlMs);
    for (let attempt = 1; attempt <= MAX_TOKEN_ATTEMPTS; attempt++) {
      const token = generateSessionToken();
      const tokenHash = hashSessionToken(token);
      const stored = await this.insertSession(tokenHash, fields, ttlMs);
      if (stored === null) continue;
      const session = parseSessionFields(this.describeKey(tokenHash), stored);
      this.settings.logger.debug(
        { sessionId: session.sessionId, playerId: session.playerId, instanceId: this.instanceId },
        'session created',
      );
      return { token, session };
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
    return this.write(token, {}, window);
  }

  async update(token: string, patch: SessionPatch): Promise<Session> {
    if (!isJsonObject(patch)) throw new InvalidArgumentError('update needs a patch object');
    const changes: SessionChanges = {};
    if (patch.displayName !== undefined) changes.displayName = validateDisplayName(patch.displayName);
    if (patch.data !== undefined) changes.data = encodeData(patch.data, this.settings.maxDataBytes);
    return this.write(token, changes, undefined);
  }

  async bindRoom(token: string, roomCode: string): Promise<Session> {
    return this.write(token, { roomCode: validateIdentifier(roomCode, 'roomCode', ROOM_CODE_MAX_LENGTH) }, undefined);
  }

  async unbindRoom(token: string): Promise<Session> {
    return this.write(token, { roomCode: '' }, undefined);
  }

  async destroy(token: string): Promise<boolean> {
    if (!isWellFormedSessionToken(token)) return false;
    return this.removeSession(hashSessionToken(token));
  }

  count(): Promise<number> {
    return this.countSessions();
  }

  /** Nothing to release by default: connections and backends belong to the caller. */
  async close(): Promise<void> {
    return undefined;
  }

  private async write(token: string, changes: SessionChanges, ttlMs: number | undefined): Promise<Session> {
    if (!isWellFormedSessionToken(token)) throw new SessionNotFoundError();
    const tokenHash = hashSessionToken(token);
    const fields = await this.writeSession(tokenHash, changes, ttlMs);
    if (fields === null) throw new SessionNotFoundError();
    return parseSessionFields(this.describeKey(tokenHash), fields);
  }
}
