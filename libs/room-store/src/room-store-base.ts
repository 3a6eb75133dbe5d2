import { InvalidArgumentError, isGameBuddiesError, type JsonObject, type JsonValue } from '@gamebuddies/core';
import {
  LeaseLostError,
  RoomCodeExhaustedError,
  RoomCodeTakenError,
  RoomNotFoundError,
  RoomStoreErrorCode,
  VersionConflictError,
} from './errors';
import { normalizeRoomCode } from './room-codes';
import { parseRoomFields } from './room-fields';
import { encodeContent, validateCounter, validateGameId, validateNodeId, validateTtl, type EncodedContent } from './room-input';
import type {
  CreateRoomInput,
  DeleteConditions,
  LeaseResult,
  RoomChange,
  RoomLease,
  RoomPage,
  RoomPatch,
  RoomRecord,
  RoomStore,
  RoomSubscription,
  RoomWriteResult,
  WriteConditions,
} from './room-store';
import { resolveRoomStoreOptions, type ResolvedRoomStoreOptions, type RoomStoreOptions } from './store-options';

/** The content of a new room, serialised. */
export interface NewRoomContent {
  gameId: string;
  options: string;
  state: string;
  players: string;
}

/** Conditions of a content write or delete, checked atomically by the backend. */
export interface BackendConditions {
  expectedVersion?: number;
  fencingToken?: number;
}

/** What a backend reports for a conditional write. Mirrors the Redis scripts' replies. */
export type WriteOutcome =
  | { status: 'OK'; version: number; updatedAt: number; expiresAt: number }
  | { status: 'NOT_FOUND' }
  | { status: 'CONFLICT'; version: number }
  | { status: 'LEASE_LOST'; fence: number };

/** What a backend reports for a delete. */
export type DeleteOutcome = { status: 'OK' } | Exclude<WriteOutcome, { status: 'OK' }>;

/** What a backend reports for a lease request. */
export type AcquireOutcome =
  | { status: 'OK'; token: number; expiresAt: number }
  | { status: 'HELD'; nodeId: string; token: number; expiresAt: number }
  | { status: 'NOT_FOUND' };

/** What a backend reports for a renewal. */
export type RenewOutcome = { status: 'OK'; expiresAt: number } | { status: 'LEASE_LOST'; fence: number } | { status: 'NOT_FOUND' };

/** Largest page {@link RoomStore.list} returns. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The part of a room store every backend shares: argument checks, code generation with retries, record
 * parsing, and turning backend outcomes into typed errors. A backend implements the atomic primitives below,
 * each of which must be a single atomic step on the shared data.
 */
export abstract class RoomStoreBase implements RoomStore {
  protected readonly settings: ResolvedRoomStoreOptions;

  protected constructor(options: RoomStoreOptions) {
    this.settings = resolveRoomStoreOptions(options);
  }

  get instanceId(): string {
    return this.settings.instanceId;
  }

  /** Inserts a room if the code is free; returns the creation time, or null when the code is taken. */
  protected abstract insertRoom(code: string, content: NewRoomContent, ttlMs: number): Promise<number | null>;
  /** Reads a room's stored fields, or null when it does not exist. */
  protected abstract readRoom(code: string): Promise<Record<string, string> | null>;
  /** Applies a content write if the conditions hold; bumps the version and slides the expiry. */
  protected abstract writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number): Promise<WriteOutcome>;
  /** Deletes a room if the conditions hold. */
  protected abstract removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome>;
  /** Slides the expiry; returns the new expiry, or null when the room does not exist. */
  protected abstract touchRoom(code: string, ttlMs: number): Promise<number | null>;
  /** Counts live rooms. */
  protected abstract countRooms(): Promise<number>;
  /** Lists up to `limit` codes after `cursor` in code order; `scanned` tells whether the range may go on. */
  protected abstract listRooms(cursor: string, limit: number): Promise<{ rooms: Record<string, string>[]; isExhausted: boolean; last: string }>;
  /** Takes or renews a lease. */
  protected abstract acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome>;
  /** Renews a lease still held with this token. */
  protected abstract renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome>;
  /** Releases a lease still held with this token; false otherwise. */
  protected abstract releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean>;

  abstract subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription>;
  abstract close(): Promise<void>;

  /** The name of the stored record in errors (the Redis key, or an equivalent). */
  protected abstract describeKey(code: string): string;

  async create<TState extends JsonValue, TOptions extends JsonObject>(
    input: CreateRoomInput<TState, TOptions>,
  ): Promise<RoomRecord<TState, TOptions>> {
    if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('create needs an input object');
    const gameId = validateGameId(input.gameId);
    const ttlMs = validateTtl(input.ttlMs ?? this.settings.roomTtlMs);
    const patch: RoomPatch = { options: input.options ?? {}, state: input.state ?? null, players: input.players ?? [] };
    const fixedCode = input.code === undefined ? undefined : normalizeRoomCode(input.code);
    const encoded = encodeContent(fixedCode ?? 'new room', patch, this.settings.maxRecordBytes);
    const content: NewRoomContent = {
      gameId,
      options: encoded.options as string,
      state: encoded.state as string,
      players: encoded.players as string,
    };
    const attempts = fixedCode === undefined ? this.settings.maxCodeAttempts : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const code = fixedCode ?? normalizeRoomCode(this.settings.generateCode(this.settings.codeLength));
      const createdAt = await this.insertRoom(code, content, ttlMs);
      if (createdAt === null) continue;
      return {
        code,
        gameId,
        options: JSON.parse(content.options) as TOptions,
        state: JSON.parse(content.state) as TState,
        players: JSON.parse(content.players) as RoomRecord['players'],
        version: 1,
        lease: null,
        fencingToken: 0,
        createdAt,
        updatedAt: createdAt,
        expiresAt: createdAt + ttlMs,
      };
    }
    if (fixedCode !== undefined) throw new RoomCodeTakenError(fixedCode);
    throw new RoomCodeExhaustedError(attempts, this.settings.codeLength);
  }

  async get(code: string): Promise<RoomRecord | null> {
    const normalized = normalizeRoomCode(code);
    const fields = await this.readRoom(normalized);
    return fields === null ? null : parseRoomFields(this.describeKey(normalized), fields);
  }

  async update(code: string, patch: RoomPatch, conditions: WriteConditions): Promise<RoomWriteResult> {
    const normalized = normalizeRoomCode(code);
    if (typeof conditions !== 'object' || conditions === null) {
      throw new InvalidArgumentError('update needs conditions with expectedVersion');
    }
    const checked = this.checkConditions({ ...conditions, expectedVersion: validateCounter(conditions.expectedVersion, 'expectedVersion') });
    const ttlMs = validateTtl(conditions.ttlMs ?? this.settings.roomTtlMs);
    const content = encodeContent(normalized, patch, this.settings.maxRecordBytes);
    const outcome = await this.writeRoom(normalized, content, checked, ttlMs);
    if (outcome.status === 'OK') {
      return { code: normalized, version: outcome.version, updatedAt: outcome.updatedAt, expiresAt: outcome.expiresAt };
    }
    throw this.outcomeError(normalized, outcome, checked);
  }

  async delete(code: string, conditions: DeleteConditions = {}): Promise<boolean> {
    const normalized = normalizeRoomCode(code);
    const checked = this.checkConditions(conditions);
    const outcome = await this.removeRoom(normalized, checked);
    if (outcome.status === 'OK') return true;
    if (outcome.status === 'NOT_FOUND') return false;
    throw this.outcomeError(normalized, outcome, checked);
  }

  async touch(code: string, ttlMs?: number): Promise<number> {
    const normalized = normalizeRoomCode(code);
    const expiresAt = await this.touchRoom(normalized, validateTtl(ttlMs ?? this.settings.roomTtlMs));
    if (expiresAt === null) throw new RoomNotFoundError(normalized);
    return expiresAt;
  }

  count(): Promise<number> {
    return this.countRooms();
  }

  async list(options: { cursor?: string; limit?: number } = {}): Promise<RoomPage> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidArgumentError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { limit: String(limit) });
    }
    const cursor = options.cursor === undefined || options.cursor === '' ? '' : normalizeRoomCode(options.cursor);
    const page = await this.listRooms(cursor, limit);
    const rooms = page.rooms.map((fields) => parseRoomFields(this.describeKey(fields['code'] ?? '?'), fields));
    return page.isExhausted ? { rooms } : { rooms, nextCursor: page.last };
  }

  async acquireLease(code: string, nodeId: string, ttlMs: number): Promise<LeaseResult> {
    const normalized = normalizeRoomCode(code);
    const outcome = await this.acquireRoomLease(normalized, validateNodeId(nodeId), validateTtl(ttlMs));
    if (outcome.status === 'NOT_FOUND') throw new RoomNotFoundError(normalized);
    if (outcome.status === 'HELD') {
      return { isAcquired: false, holder: { nodeId: outcome.nodeId, token: outcome.token, expiresAt: outcome.expiresAt } };
    }
    return { isAcquired: true, lease: { nodeId, token: outcome.token, expiresAt: outcome.expiresAt } };
  }

  async renewLease(code: string, lease: Pick<RoomLease, 'nodeId' | 'token'>, ttlMs: number): Promise<RoomLease> {
    const normalized = normalizeRoomCode(code);
    const nodeId = validateNodeId(lease?.nodeId);
    const token = validateCounter(lease.token, 'token');
    const outcome = await this.renewRoomLease(normalized, nodeId, token, validateTtl(ttlMs));
    if (outcome.status === 'NOT_FOUND') throw new RoomNotFoundError(normalized);
    if (outcome.status === 'LEASE_LOST') throw new LeaseLostError(normalized, token, outcome.fence);
    return { nodeId, token, expiresAt: outcome.expiresAt };
  }

  async releaseLease(code: string, lease: Pick<RoomLease, 'nodeId' | 'token'>): Promise<boolean> {
    const normalized = normalizeRoomCode(code);
    return this.releaseRoomLease(normalized, validateNodeId(lease?.nodeId), validateCounter(lease.token, 'token'));
  }

  private checkConditions(conditions: DeleteConditions): BackendConditions {
    const checked: BackendConditions = {};
    if (conditions.expectedVersion !== undefined) checked.expectedVersion = validateCounter(conditions.expectedVersion, 'expectedVersion');
    if (conditions.fencingToken !== undefined) checked.fencingToken = validateCounter(conditions.fencingToken, 'fencingToken');
    return checked;
  }

  private outcomeError(code: string, outcome: Exclude<WriteOutcome, { status: 'OK' }>, conditions: BackendConditions): Error {
    switch (outcome.status) {
      case 'NOT_FOUND':
        return new RoomNotFoundError(code);
      case 'CONFLICT':
        return new VersionConflictError(code, conditions.expectedVersion ?? -1, outcome.version);
      case 'LEASE_LOST':
        return new LeaseLostError(code, conditions.fencingToken ?? -1, outcome.fence);
    }
  }
}

/** True for the errors a writer should answer by re-reading and retrying. */
export function isVersionConflict(error: unknown): boolean {
  return isGameBuddiesError(error, RoomStoreErrorCode.VERSION_CONFLICT);
}
