import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, silentLogger, type Logger } from '@gamebuddies/core';

/** Settings every session store implementation accepts. */
export interface SessionStoreOptions {
  /** How long a session lives without touches or writes, unless created with its own (default 30 minutes). */
  sessionTtlMs?: number;
  /** Largest `data` a session may hold, in bytes of JSON (default 4 KiB). */
  maxDataBytes?: number;
  /** This instance's id, e.g. in logs (default a random UUID). */
  instanceId?: string;
  /** Where the store logs (default: nowhere). It never receives a token. */
  logger?: Logger;
  /**
   * How often this instance removes expired sessions from the shared data (Redis: from the index behind
   * `count()`), on an unref'd timer that `close()` stops (default 60 s; 0 turns the timer off).
   */
  sweepIntervalMs?: number;
  /** Most index entries one sweep step removes (one short Redis script per step; default 1000, at most 5000). */
  sweepBatchSize?: number;
}

/** {@link SessionStoreOptions} with every default filled in. */
export type ResolvedSessionStoreOptions = Required<SessionStoreOptions>;

/** The default session time to live: 30 minutes. */
export const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;
/** Longest time to live a session may be given: 30 days. */
export const MAX_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** The default cap on a session's `data`: 4 KiB of JSON. */
export const DEFAULT_MAX_DATA_BYTES = 4 * 1024;
/** The default time between two sweeps of expired sessions: 60 s. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** The default number of expired entries one sweep step removes. */
export const DEFAULT_SWEEP_BATCH_SIZE = 1000;
/** The largest sweep step: it bounds how long one sweep script holds Redis. */
export const MAX_SWEEP_BATCH_SIZE = 5000;
/** The highest `maxDataBytes` a store accepts: sessions are small; large state belongs in a room. */
export const MAX_DATA_BYTES_LIMIT = 1024 * 1024;

/**
 * Fills in defaults and checks every value.
 * @param backendProblems what an implementation found wrong with its own settings (a key prefix, a
 *   connection), listed in the same error.
 * @throws InvalidArgumentError listing every bad setting at once.
 */
export function resolveSessionStoreOptions(options: SessionStoreOptions, backendProblems: readonly string[] = []): ResolvedSessionStoreOptions {
  const resolved: ResolvedSessionStoreOptions = {
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    maxDataBytes: options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES,
    instanceId: options.instanceId ?? randomUUID(),
    logger: options.logger ?? silentLogger,
    sweepIntervalMs: options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    sweepBatchSize: options.sweepBatchSize ?? DEFAULT_SWEEP_BATCH_SIZE,
  };
  const problems = [
    integerProblem('sessionTtlMs', resolved.sessionTtlMs, 1, MAX_SESSION_TTL_MS),
    integerProblem('maxDataBytes', resolved.maxDataBytes, 2, MAX_DATA_BYTES_LIMIT),
    typeof resolved.instanceId === 'string' && resolved.instanceId.length > 0 ? undefined : 'instanceId must be a non-empty string',
    isLogger(resolved.logger) ? undefined : 'logger must have debug, info, warn and error methods',
    integerProblem('sweepIntervalMs', resolved.sweepIntervalMs, 0, MAX_SESSION_TTL_MS),
    integerProblem('sweepBatchSize', resolved.sweepBatchSize, 1, MAX_SWEEP_BATCH_SIZE),
    ...backendProblems,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new InvalidArgumentError(`invalid session store options: ${problems.join('; ')}`, { problems });
  }
  return resolved;
}

function integerProblem(name: string, value: unknown, min: number, max: number): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `${name} must be an integer from ${min} to ${max} (got ${String(value)})`;
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof logger[level] === 'function');
}
