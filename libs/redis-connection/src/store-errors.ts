import { GameBuddiesError, StoreUnavailableError, type StoreOutcome } from '@gamebuddies/core';

/** Redis error replies that mean "not now" rather than "wrong request": failover, loading, read-only replica. */
const TRANSIENT_REPLY = /^(READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)\b/;

/**
 * Maps a failure of an ioredis call to the platform's typed errors. Lost connections and time-outs become
 * STORE_UNAVAILABLE with the outcome the caller can rely on: `not-applied` when the command never left this
 * process (no connection, offline queue off) or Redis refused it before running it (READONLY, LOADING, ...),
 * `unknown` when it was sent and its reply never came (the connection closed: `ReplyLostError`, "Connection is
 * closed.", a reset; or the command timed out). GameBuddies errors pass through unchanged; any other error (a
 * bug, such as a script error) is returned as it is.
 */
export function toStoreError(error: unknown, operation: string): unknown {
  if (error instanceof GameBuddiesError) return error;
  if (!(error instanceof Error)) return error;
  const outcome = classifyUnavailable(error);
  if (outcome === undefined) return error;
  return new StoreUnavailableError(`Redis is unavailable (${operation}): ${error.message}`, { operation, outcome }, { cause: error });
}

function classifyUnavailable(error: Error): StoreOutcome | undefined {
  const message = error.message;
  if (message.startsWith("Stream isn't writeable")) return 'not-applied';
  // A Cluster with no ready node (all down, or still connecting) refuses before sending anything.
  if (message.startsWith("Cluster isn't ready")) return 'not-applied';
  if (message === 'None of startup nodes is available') return 'not-applied';
  if (TRANSIENT_REPLY.test(message)) return 'not-applied';
  if (error.name === 'ClusterAllFailedError') return 'not-applied';
  if (error.name === 'ReplyLostError') return 'unknown';
  if (message === 'Command timed out') return 'unknown';
  if (message === 'Connection is closed.') return 'unknown';
  if (error.name === 'MaxRetriesPerRequestError') return 'unknown';
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return 'unknown';
  return undefined;
}

/** Runs one store operation and maps its failure with {@link toStoreError}. */
export async function runStoreOperation<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toStoreError(error, operation);
  }
}
