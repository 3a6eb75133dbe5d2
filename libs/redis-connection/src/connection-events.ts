import { Cluster, type Redis } from 'ioredis';
import { silentLogger, type Logger } from '@gamebuddies/core';
import type { RedisClient } from './connect';

/** The default least time between two logged connection errors of one client: 10 s. */
export const DEFAULT_ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The error a command fails with when its connection closed after it was sent and before Redis answered: Redis
 * may or may not have applied it. `toStoreError` maps it to STORE_UNAVAILABLE with outcome `unknown`.
 */
export class ReplyLostError extends Error {
  constructor(command: string) {
    super(`the connection closed before Redis answered ${command}: it may or may not have been applied`);
    this.name = 'ReplyLostError';
  }
}

/** How {@link watchStoreClient} logs a client's connection errors. */
export interface ConnectionLogSettings {
  /** Where connection errors go (default: nowhere). */
  logger?: Logger;
  /** Least time between two logged lines of one client (default 10 s); errors in between are counted, not logged. */
  errorLogIntervalMs?: number;
}

/** The log settings each watched client was given, so that a duplicate logs the same way. */
const watched = new WeakMap<RedisClient, Required<ConnectionLogSettings>>();

/**
 * Gives a client the behaviour the stores rely on. `connectRedis`, `connectRedisCluster` and
 * `duplicateConnection` call it; call it yourself on a client built with `storeRedisOptions`.
 * - Its `error` events go to `logger`, at most one line per `errorLogIntervalMs` with the number of errors
 *   left out since the last line, so ioredis never prints "Unhandled error event" and an outage cannot flood
 *   the log.
 * - When its connection (or, for a Cluster, a node's) closes, every command sent on it and not yet answered
 *   fails at once with {@link ReplyLostError} instead of waiting for the command timeout, and is never sent
 *   again (neither by ioredis' re-send after a reconnect nor by a Cluster's retry).
 * Watching a client twice does nothing more.
 */
export function watchStoreClient(client: RedisClient, settings: ConnectionLogSettings = {}): void {
  if (watched.has(client)) return;
  const resolved = { logger: settings.logger ?? silentLogger, errorLogIntervalMs: settings.errorLogIntervalMs ?? DEFAULT_ERROR_LOG_INTERVAL_MS };
  watched.set(client, resolved);
  logConnectionErrors(client, resolved);
  if (client instanceof Cluster) {
    client.on('+node', (node: Redis) => failUnansweredOnClose(node));
  } else {
    failUnansweredOnClose(client);
  }
}

/** The log settings `client` was watched with, if it was: a duplicate inherits them. */
export function connectionLogSettingsOf(client: RedisClient): ConnectionLogSettings | undefined {
  return watched.get(client);
}

/**
 * Logs `error` events (and, for a Cluster, `node error` events) rate-limited, and says once when the connection
 * is ready again after a logged error.
 */
function logConnectionErrors(client: RedisClient, settings: Required<ConnectionLogSettings>): void {
  const redis = describeClient(client);
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let suppressedErrors = 0;
  let hasReportedOutage = false;
  /** Whether a line may be written now; counts the ones that may not. */
  const mayLog = (): boolean => {
    const now = Date.now();
    if (now - lastLineAt < settings.errorLogIntervalMs) return false;
    lastLineAt = now;
    return true;
  };
  const onError = (error: unknown, node?: string): void => {
    if (!mayLog()) {
      suppressedErrors += 1;
      return;
    }
    const fields: Record<string, unknown> = { redis, error: errorText(error), suppressedErrors };
    if (node !== undefined) fields['node'] = node;
    settings.logger.warn(fields, 'Redis connection error; reconnecting');
    suppressedErrors = 0;
    hasReportedOutage = true;
  };
  client.on('error', (error: unknown) => onError(error));
  if (client instanceof Cluster) client.on('node error', (error: unknown, node: unknown) => onError(error, String(node)));
  // One line per reported outage, so at most one per error line: the limit holds while a connection flaps.
  client.on('ready', () => {
    if (!hasReportedOutage) return;
    hasReportedOutage = false;
    settings.logger.info({ redis, suppressedErrors }, 'Redis connection ready again');
    suppressedErrors = 0;
  });
}

/**
 * Fails the commands a closed connection leaves unanswered. The listener goes first on each new socket's
 * `close`, before ioredis' own handler, which would otherwise keep them for a re-send or (when the client
 * ends, as a Cluster's node clients do when their node goes) fail them with "Connection is closed.", the
 * message a Cluster retries as if they had never been sent.
 */
function failUnansweredOnClose(client: Redis): void {
  client.on('connect', () => {
    client.stream.prependOnceListener('close', () => {
      const queue = client.commandQueue;
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) item.command.reject(new ReplyLostError(item.command.name));
    });
  });
}

/** The client's address for logs: `host:port`, the Sentinel master's name, or `cluster`. */
function describeClient(client: RedisClient): string {
  if (client instanceof Cluster) return 'cluster';
  const { host, port, name, sentinels } = client.options;
  if (sentinels !== undefined && sentinels !== null && sentinels.length > 0) return `sentinel:${name ?? ''}`;
  return `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
