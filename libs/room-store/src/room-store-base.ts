import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, isGameBuddiesError, StoreUnavailableError, type JsonObject, type JsonValue, type StoreOutcome } from '@gamebuddies/core';
import {
  LeaseLostError,
  RoomCodeExhaustedError,
  RoomCodeTakenError,
  roomCorrupted,
  RoomNotFoundError,
  RoomStoreErrorCode,
  VersionConflictError,
  type RoomCorruptionDetails,
} from './errors';
import { normalizeRoomCode } from './room-codes';
import { parseRoomFields } from './room-fields';
import {
  encodeContent,
  validateCounter,
  validateGameId,
  validateNodeId,
  validateOperationId,
  validateTtl,
  type EncodedContent,
} from './room-input';
import type {
  CreateRoomInput,
  DamagedRoom,
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
}

/** Conditions of a content write or delete, checked atomically by the backend. */
export interface BackendConditions {
  expectedVersion?: number;
  fencingToken?: number;
}

/** Who is creating a room: the create's id, and whether to look up where an earlier try with it put its room. */
export interface CreateRequest {
  requestId: string;
  /** True on a create's first try at a generated code: an earlier call with this id may have used another code. */
  followMapping: boolean;
}

/** What a backend reports for an insert. Mirrors the Redis create script's replies. */
export type InsertOutcome =
  | { status: 'OK'; createdAt: number }
  | { status: 'TAKEN' }
  /** The room already exists and was made by this requestId: its stored fields. */
  | { status: 'REPLAY'; fields: Record<string, string> }
  /** An earlier create with this requestId used `code`: try there (`key` names the stored mapping). */
  | { status: 'ELSEWHERE'; code: string; key: string };

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

/** One room of a listed page: its stored fields, or why they could not be read at all (e.g. a wrong Redis type). */
export type ListedRoom = { code: string; fields: Record<string, string> } | { code: string; damage: RoomCorruptionDetails };

/** What one sweep removed from the index. */
export interface SweepResult {
  /** Index entries of expired (or vanished) rooms removed. */
  removed: number;
  /** Bounded steps (one round trip each on Redis) it took. */
  steps: number;
}

/** Largest page {@link RoomStore.list} returns. */
export const MAX_PAGE_SIZE = 1000;
/** Most bounded steps one sweep takes before leaving the rest to the next tick. */
const MAX_SWEEP_STEPS = 1000;

/**
 * The part of a room store every backend shares: argument checks, code generation with retries, record
 * parsing, the sweep timer, and turning backend outcomes into typed errors. A backend implements the atomic
 * primitives below, each of which must be a single atomic step on the shared data (room and index together).
 */
export abstract class RoomStoreBase implements RoomStore {
  protected readonly settings: ResolvedRoomStoreOptions;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<SweepResult> | undefined;

  protected constructor(options: RoomStoreOptions) {
    this.settings = resolveRoomStoreOptions(options);
    if (this.settings.sweepIntervalMs > 0) {
      this.sweepTimer = setInterval(() => void this.sweepOnTimer(), this.settings.sweepIntervalMs);
      this.sweepTimer.unref();
    }
  }

  get instanceId(): string {
    return this.settings.instanceId;
  }

  /**
   * Inserts a room if the code is free, indexing it and remembering `request.requestId` with it; or reports the
   * room an earlier insert with the same requestId made.
   */
  protected abstract insertRoom(code: string, content: NewRoomContent, ttlMs: number, request: CreateRequest): Promise<InsertOutcome>;
  /** Reads a room's stored fields, or null when it does not exist. */
  protected abstract readRoom(code: string): Promise<Record<string, string> | null>;
  /**
   * Applies a content write if the stored record is sound and the conditions hold; bumps the version, stores
   * `writeId` ('' for none), slides the expiry and the index.
   */
  protected abstract writeRoom(code: string, content: EncodedContent, conditions: BackendConditions, ttlMs: number, writeId: string, notice: string): Promise<WriteOutcome>;
  /** Deletes a room and its index entry if the stored record is sound and the conditions hold. */
  protected abstract removeRoom(code: string, conditions: BackendConditions): Promise<DeleteOutcome>;
  /** Slides the expiry (room and index); returns the new expiry, or null when the room does not exist. */
  protected abstract touchRoom(code: string, ttlMs: number): Promise<number | null>;
  /** Counts live rooms in the index. */
  protected abstract countRooms(): Promise<number>;
  /** Lists up to `limit` live indexed rooms after `cursor` in code order; `isExhausted` when none remain after. */
  protected abstract listRooms(cursor: string, limit: number): Promise<{ rooms: ListedRoom[]; isExhausted: boolean; last: string }>;
  /** Takes or renews a lease. */
  protected abstract acquireRoomLease(code: string, nodeId: string, ttlMs: number): Promise<AcquireOutcome>;
  /** Renews a lease still held with this token. */
  protected abstract renewRoomLease(code: string, nodeId: string, token: number, ttlMs: number): Promise<RenewOutcome>;
  /** Releases a lease still held with this token; false otherwise. */
  protected abstract releaseRoomLease(code: string, nodeId: string, token: number): Promise<boolean>;
  /** One bounded sweep step: removes at most `batch` index entries of expired rooms; returns how many. */
  protected abstract sweepIndexStep(batch: number): Promise<number>;

  abstract subscribe(listener: (change: RoomChange) => void): Promise<RoomSubscription>;

  /** The name of the stored record in errors (the Redis key, or an equivalent). */
  protected abstract describeKey(code: string): string;

  /** Stops the sweep timer. Subclasses release what else they hold, then call this. */
  async close(): Promise<void> {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  async create<TState extends JsonValue, TOptions extends JsonObject>(
    input: CreateRoomInput<TState, TOptions>,
  ): Promise<RoomRecord<TState, TOptions>> {
    if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('create needs an input object');
    const gameId = validateGameId(input.gameId);
    const ttlMs = validateTtl(input.ttlMs ?? this.settings.roomTtlMs);
    const requestId = input.requestId === undefined ? randomUUID() : validateOperationId(input.requestId, 'requestId');
    const patch: RoomPatch = { options: input.options ?? {}, state: input.state ?? null };
    const fixedCode = input.code === undefined ? undefined : normalizeRoomCode(input.code);
    const encoded = encodeContent(fixedCode ?? 'new room', patch, this.settings.maxRecordBytes);
    const content: NewRoomContent = {
      gameId,
      options: encoded.options as string,
      state: encoded.state as string,
    };
    const attempts = fixedCode === undefined ? this.settings.maxCodeAttempts : 1;
    let code = '';
    try {
      for (let attempt = 0; attempt < attempts; attempt++) {
        code = fixedCode ?? normalizeRoomCode(this.settings.generateCode(this.settings.codeLength));
        const room = await this.insertOnce(code, content, ttlMs, { requestId, followMapping: fixedCode === undefined && attempt === 0 });
        if (room !== null) return room as RoomRecord<TState, TOptions>;
      }
    } catch (error) {
      throw withUnavailableDetails(error, { requestId, room: code });
    }
    if (fixedCode !== undefined) throw new RoomCodeTakenError(fixedCode);
    throw new RoomCodeExhaustedError(attempts, this.settings.codeLength);
  }

  async get(code: string): Promise<RoomRecord | null> {
    const normalized = normalizeRoomCode(code);
    return this.reporting('get', normalized, async () => {
      const fields = await this.readRoom(normalized);
      return fields === null ? null : parseRoomFields(this.describeKey(normalized), normalized, fields);
    });
  }

  async update(code: string, patch: RoomPatch, conditions: WriteConditions): Promise<RoomWriteResult> {
    const normalized = normalizeRoomCode(code);
    if (typeof conditions !== 'object' || conditions === null) {
      throw new InvalidArgumentError('update needs conditions with expectedVersion');
    }
    const checked = this.checkConditions({ ...conditions, expectedVersion: validateCounter(conditions.expectedVersion, 'expectedVersion') });
    const ttlMs = validateTtl(conditions.ttlMs ?? this.settings.roomTtlMs);
    const writeId = conditions.writeId === undefined ? '' : validateOperationId(conditions.writeId, 'writeId');
    const notice = validateNotice(conditions.notice);
    const content = encodeContent(normalized, patch, this.settings.maxRecordBytes);
    const outcome = await this.reporting('update', normalized, () => this.writeRoom(normalized, content, checked, ttlMs, writeId, notice));
    if (outcome.status === 'OK') {
      const written: RoomWriteResult = { code: normalized, version: outcome.version, updatedAt: outcome.updatedAt, expiresAt: outcome.expiresAt };
      return writeId === '' ? written : { ...written, writeId };
    }
    throw this.outcomeError(normalized, outcome, checked);
  }

  async delete(code: string, conditions: DeleteConditions = {}): Promise<boolean> {
    const normalized = normalizeRoomCode(code);
    const checked = this.checkConditions(conditions);
    const outcome = await this.reporting('delete', normalized, () => this.removeRoom(normalized, checked));
    if (outcome.status === 'OK') return true;
    if (outcome.status === 'NOT_FOUND') return false;
    throw this.outcomeError(normalized, outcome, checked);
  }

  async touch(code: string, ttlMs?: number): Promise<number> {
    const normalized = normalizeRoomCode(code);
    const ttl = validateTtl(ttlMs ?? this.settings.roomTtlMs);
    const expiresAt = await this.reporting('touch', normalized, () => this.touchRoom(normalized, ttl));
    if (expiresAt === null) throw new RoomNotFoundError(normalized);
    return expiresAt;
  }

  count(): Promise<number> {
    return this.reporting('count', '', () => this.countRooms());
  }

  async list(options: { cursor?: string; limit?: number } = {}): Promise<RoomPage> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidArgumentError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { limit: String(limit) });
    }
    const cursor = options.cursor === undefined || options.cursor === '' ? '' : normalizeRoomCode(options.cursor);
    const page = await this.reporting('list', '', () => this.listRooms(cursor, limit));
    const rooms: RoomRecord[] = [];
    const damaged: DamagedRoom[] = [];
    for (const listed of page.rooms) {
      if ('damage' in listed) {
        damaged.push({ code: listed.code, ...listed.damage });
        this.report(roomCorrupted(listed.damage.key, listed.damage.field, listed.damage.reason), 'list', listed.code);
        continue;
      }
      try {
        rooms.push(parseRoomFields(this.describeKey(listed.code), listed.code, listed.fields));
      } catch (error) {
        if (!isGameBuddiesError(error, RoomStoreErrorCode.STORE_CORRUPTED)) throw error;
        this.report(error, 'list', listed.code);
        damaged.push({ code: listed.code, ...(error.details as unknown as RoomCorruptionDetails) });
      }
    }
    return page.isExhausted ? { rooms, damaged } : { rooms, damaged, nextCursor: page.last };
  }

  async acquireLease(code: string, nodeId: string, ttlMs: number): Promise<LeaseResult> {
    const normalized = normalizeRoomCode(code);
    const node = validateNodeId(nodeId);
    const ttl = validateTtl(ttlMs);
    const outcome = await this.reporting('acquireLease', normalized, () => this.acquireRoomLease(normalized, node, ttl));
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
    const ttl = validateTtl(ttlMs);
    const outcome = await this.reporting('renewLease', normalized, () => this.renewRoomLease(normalized, nodeId, token, ttl));
    if (outcome.status === 'NOT_FOUND') throw new RoomNotFoundError(normalized);
    if (outcome.status === 'LEASE_LOST') throw new LeaseLostError(normalized, token, outcome.fence);
    return { nodeId, token, expiresAt: outcome.expiresAt };
  }

  async releaseLease(code: string, lease: Pick<RoomLease, 'nodeId' | 'token'>): Promise<boolean> {
    const normalized = normalizeRoomCode(code);
    const nodeId = validateNodeId(lease?.nodeId);
    const token = validateCounter(lease.token, 'token');
    return this.reporting('releaseLease', normalized, () => this.releaseRoomLease(normalized, nodeId, token));
  }

  /**
   * Removes expired rooms from the index behind `count()` and `list()`, in bounded steps of `sweepBatchSize`
   * entries (one round trip each on Redis), going on while steps come back full. The store's timer calls it
   * every `sweepIntervalMs`; call it yourself to sweep at once. Concurrent calls share one sweep.
   * @throws STORE_UNAVAILABLE, STORE_CORRUPTED (an index key of the wrong type).
   */
  sweepExpired(): Promise<SweepResult> {
    if (this.sweeping === undefined) {
      const sweep = this.runSweep().finally(() => {
        if (this.sweeping === sweep) this.sweeping = undefined;
      });
      this.sweeping = sweep;
    }
    return this.sweeping;
  }

  private async runSweep(): Promise<SweepResult> {
    const batch = this.settings.sweepBatchSize;
    let removed = 0;
    let steps = 0;
    for (;;) {
      const step = await this.reporting('sweep', '', () => this.sweepIndexStep(batch));
      removed += step;
      steps += 1;
      if (step < batch || steps >= MAX_SWEEP_STEPS) return { removed, steps };
    }
  }

  private async sweepOnTimer(): Promise<void> {
    try {
      const { removed, steps } = await this.sweepExpired();
      if (removed > 0) this.settings.logger.debug({ removed, steps }, 'swept expired rooms from the index');
    } catch (error) {
      // An outage is logged by the connection already; a damaged index key is worth a warning (and onCorrupted).
      const level = isGameBuddiesError(error, RoomStoreErrorCode.STORE_UNAVAILABLE) ? 'debug' : 'warn';
      this.settings.logger[level]({ err: error }, 'could not sweep expired rooms from the index; trying again later');
    }
  }

  /** Makes one try at `code`, following a mapping to the code an earlier try with this requestId used. */
  private async insertOnce(code: string, content: NewRoomContent, ttlMs: number, request: CreateRequest): Promise<RoomRecord | null> {
    let at = code;
    let outcome = await this.reporting('create', code, () => this.insertRoom(code, content, ttlMs, request));
    if (outcome.status === 'ELSEWHERE') {
      const { key, code: mapped } = outcome;
      let earlier: string;
      try {
        earlier = normalizeRoomCode(mapped);
      } catch {
        throw this.report(roomCorrupted(key, 'value', `${JSON.stringify(mapped)} is not a room code`), 'create', code);
      }
      const followed = await this.reporting('create', earlier, () => this.insertRoom(earlier, content, ttlMs, { ...request, followMapping: false }));
      if (followed.status !== 'TAKEN') {
        at = earlier;
        outcome = followed;
      } else {
        // The code the mapping names was taken by another room since (its own was deleted): start afresh.
        outcome = await this.reporting('create', code, () => this.insertRoom(code, content, ttlMs, { ...request, followMapping: false }));
      }
    }
    switch (outcome.status) {
      case 'TAKEN':
        return null;
      case 'REPLAY':
        return this.reporting('create', at, async () => parseRoomFields(this.describeKey(at), at, outcome.fields));
      case 'OK':
        return {
          code: at,
          gameId: content.gameId,
          options: JSON.parse(content.options) as JsonObject,
          state: JSON.parse(content.state) as JsonValue,
          version: 1,
          lease: null,
          fencingToken: 0,
          createdAt: outcome.createdAt,
          updatedAt: outcome.createdAt,
          expiresAt: outcome.createdAt + ttlMs,
        };
      case 'ELSEWHERE':
        throw new Error(`room store backend answered ELSEWHERE to a create that did not ask to follow a mapping`);
    }
  }

  /** Runs a backend step; a STORE_CORRUPTED it throws is reported to `onCorrupted` on the way out. */
  private async reporting<T>(operation: string, code: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw this.report(error, operation, code);
    }
  }

  private report(error: unknown, operation: string, code: string): unknown {
    if (!isGameBuddiesError(error, RoomStoreErrorCode.STORE_CORRUPTED)) return error;
    const details = error.details as Partial<RoomCorruptionDetails> | undefined;
    const info = { key: details?.key ?? '', field: details?.field ?? '', reason: details?.reason ?? error.message, code, operation };
    this.settings.logger.warn({ room: code, key: info.key, field: info.field, reason: info.reason, operation }, 'met a damaged stored room');
    try {
      this.settings.onCorrupted(info);
    } catch (hookError) {
      this.settings.logger.error({ err: hookError, room: code }, 'the onCorrupted hook threw');
    }
    return error;
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

/** True for STORE_UNAVAILABLE with `outcome: 'unknown'`: the call was sent and may or may not have applied. */
export function isOutcomeUnknown(error: unknown): boolean {
  return isGameBuddiesError(error, RoomStoreErrorCode.STORE_UNAVAILABLE) && (error.details as { outcome?: StoreOutcome } | undefined)?.outcome === 'unknown';
}

/** The same STORE_UNAVAILABLE error with more details (operation and outcome kept); other errors unchanged. */
function withUnavailableDetails(error: unknown, extra: Record<string, unknown>): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  const details = { ...(error.details as { operation: string; outcome: StoreOutcome }), ...extra };
  return new StoreUnavailableError(error.message, details, { cause: error.cause ?? error });
}

/** The most characters a change notice may have (see {@link WriteConditions.notice}). */
export const MAX_NOTICE_LENGTH = 1024 * 1024;

/** A write's notice, '' for none. @throws INVALID_ARGUMENT when it is not a string of at most MAX_NOTICE_LENGTH. */
function validateNotice(notice: unknown): string {
  if (notice === undefined) return '';
  if (typeof notice !== 'string' || notice.length > MAX_NOTICE_LENGTH) {
    throw new InvalidArgumentError(`notice must be a string of at most ${MAX_NOTICE_LENGTH} characters`);
  }
  return notice;
}
