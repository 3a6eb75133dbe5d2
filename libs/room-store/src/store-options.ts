import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, silentLogger, type Logger } from '@gamebuddies/core';
import type { RoomCorruptionDetails } from './errors';
import { generateRoomCode, ROOM_CODE_MAX_LENGTH, ROOM_CODE_MIN_LENGTH } from './room-codes';

/** What the `onCorrupted` hook hears about a damaged stored record. */
export interface CorruptedRoomInfo extends RoomCorruptionDetails {
  /** The room code, when the damaged record is a room ('' for an index key). */
  code: string;
  /** The store operation that met it: `get`, `update`, `list`, … */
  operation: string;
}

/** Settings every room store implementation accepts. */
export interface RoomStoreOptions {
  /** How long a room lives without writes or touches (default one hour). */
  roomTtlMs?: number;
  /** Length of generated room codes, 4–16 (default 6). */
  codeLength?: number;
  /** Attempts at a free code before ROOM_CODE_EXHAUSTED (default 10). */
  maxCodeAttempts?: number;
  /** Largest options + state a room may hold, in bytes of JSON (default 256 KiB). */
  maxRecordBytes?: number;
  /** Makes codes; by default cryptographically random ones. Tests pass a fixed sequence to force collisions. */
  generateCode?: (length: number) => string;
  /** This instance's id in change notifications (default a random UUID). */
  instanceId?: string;
  /** Where warnings go (default: nowhere). */
  logger?: Logger;
  /**
   * How often this instance removes expired rooms from the index behind `count()` and `list()`, in ms (default
   * 10 000; 0 turns the timer off). The timer is unref'd and stops on `close()`.
   */
  sweepIntervalMs?: number;
  /** Most index entries one sweep step removes, 1–10 000 (default 1000); a sweep goes on while steps come back full. */
  sweepBatchSize?: number;
  /**
   * Called (synchronously; errors it throws are logged) whenever an operation meets a damaged stored record,
   * besides the STORE_CORRUPTED error or, for `list()`, the page's `damaged` entry. For metrics and alerts.
   */
  onCorrupted?: (info: CorruptedRoomInfo) => void;
}

/** {@link RoomStoreOptions} with every default filled in. */
export type ResolvedRoomStoreOptions = Required<RoomStoreOptions>;

/** The default room time to live: one hour. */
export const DEFAULT_ROOM_TTL_MS = 60 * 60 * 1000;
/** Longest time to live a room or lease may be given: 30 days. */
export const MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How often a store sweeps expired rooms out of its index by default: every 10 s. */
export const DEFAULT_SWEEP_INTERVAL_MS = 10_000;

/**
 * Fills in defaults and checks every value.
 * @throws InvalidArgumentError listing every bad setting at once.
 */
export function resolveRoomStoreOptions(options: RoomStoreOptions): ResolvedRoomStoreOptions {
  const resolved: ResolvedRoomStoreOptions = {
    roomTtlMs: options.roomTtlMs ?? DEFAULT_ROOM_TTL_MS,
    codeLength: options.codeLength ?? 6,
    maxCodeAttempts: options.maxCodeAttempts ?? 10,
    maxRecordBytes: options.maxRecordBytes ?? 256 * 1024,
    generateCode: options.generateCode ?? generateRoomCode,
    instanceId: options.instanceId ?? randomUUID(),
    logger: options.logger ?? silentLogger,
    sweepIntervalMs: options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    sweepBatchSize: options.sweepBatchSize ?? 1000,
    onCorrupted: options.onCorrupted ?? (() => undefined),
  };
  const problems: string[] = [];
  const checkInt = (name: keyof ResolvedRoomStoreOptions, min: number, max: number): void => {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
    }
  };
  checkInt('roomTtlMs', 1, MAX_TTL_MS);
  checkInt('codeLength', ROOM_CODE_MIN_LENGTH, ROOM_CODE_MAX_LENGTH);
  checkInt('maxCodeAttempts', 1, 1000);
  checkInt('maxRecordBytes', 1024, 64 * 1024 * 1024);
  checkInt('sweepIntervalMs', 0, 24 * 60 * 60 * 1000);
  checkInt('sweepBatchSize', 1, 10_000);
  if (typeof resolved.onCorrupted !== 'function') problems.push('onCorrupted must be a function');
  if (typeof resolved.generateCode !== 'function') problems.push('generateCode must be a function');
  if (typeof resolved.instanceId !== 'string' || resolved.instanceId.length === 0) problems.push('instanceId must be a non-empty string');
  if (problems.length > 0) {
    throw new InvalidArgumentError(`invalid room store options: ${problems.join('; ')}`, { problems });
  }
  return resolved;
}
