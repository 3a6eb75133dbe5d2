import { isGameBuddiesError, type Logger } from '@gamebuddies/core';
import type { GatewayMetrics } from '@gamebuddies/metrics';
import { ackError, ackOk, WireErrorCode, isWireErrorCode, type Ack, type ClientEventName, type ErrorShapeOf } from '@gamebuddies/protocol';
import { parseRequest } from '@gamebuddies/protocol/schemas';
import type { ClientGuards } from './guards';
import type { GatewaySocket } from './socket-types';

/** What the guard around every request uses. */
export interface RequestGuardDependencies {
  guards: ClientGuards;
  metrics: GatewayMetrics;
  /** Rate-limited: a flood of bad requests writes a bounded number of lines. */
  log: Logger;
  /** Resolves when the request is done; a drain waits for these. */
  track<T>(work: Promise<T>): Promise<T>;
}

/** Codes a store or library may throw that a client gets under a documented name instead. */
const RENAMED_CODES: Readonly<Record<string, WireErrorCode>> = {
  INVALID_ARGUMENT: WireErrorCode.INVALID_PAYLOAD,
  SESSION_NOT_FOUND: WireErrorCode.SESSION_REQUIRED,
};

/**
 * Runs one client request inside the one guard every request passes: the connection's rate limit (with
 * strikes: a connection that keeps pushing is cut off), the payload's bounds and schema, then the handler.
 * Whatever happens, the request gets one acknowledgement with a documented code, and nothing thrown or
 * rejected escapes to Socket.IO or the process: an unexpected error is logged and answered INTERNAL_ERROR.
 */
export async function runRequest(
  deps: RequestGuardDependencies,
  socket: GatewaySocket,
  event: ClientEventName,
  args: unknown[],
  handler: (request: unknown) => Promise<unknown>,
): Promise<void> {
  // A client may send an event with no payload (the acknowledgement comes first) or no acknowledgement.
  const last = args[args.length - 1];
  const reply = typeof last === 'function' ? (last as (response: Ack<unknown>) => void) : () => undefined;
  const answer = (response: Ack<unknown>): void => {
    try {
      reply(response);
    } catch (error) {
      deps.log.warn({ err: error, event }, 'could not send an acknowledgement');
    }
  };
  const { metrics, guards } = deps;
  try {
    const verdict = await guards.takeEvent(socket.id);
    if (!verdict.isAllowed) {
      metrics.rateLimited.inc({ event });
      answer(ackError({ code: WireErrorCode.RATE_LIMITED, message: 'too many events: slow down', details: { retryAfterMs: verdict.retryAfterMs } }));
      if (!(await guards.strike(socket.id))) cutOff(deps, socket, 'kept exceeding its rate limit');
      return;
    }
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const parsed = parseRequest(event, payload);
    if (!parsed.ok) {
      metrics.rejectedEvents.inc({ reason: 'invalid_payload' });
      metrics.errors.inc({ code: WireErrorCode.INVALID_PAYLOAD });
      answer(ackError({ code: WireErrorCode.INVALID_PAYLOAD, message: `invalid payload for ${event}`, details: { issues: parsed.issues } }));
      return;
    }
    const endTimer = metrics.timeEvent(event);
    try {
      answer(ackOk(await deps.track(handler(parsed.value))));
    } finally {
      endTimer();
    }
  } catch (error) {
    const shape = toClientError(error);
    metrics.errors.inc({ code: shape.code });
    if (shape.code === WireErrorCode.INTERNAL_ERROR) {
      deps.log.error({ err: error, event, player: socket.data.session?.playerId, room: socket.data.roomCode }, 'a request failed');
    }
    answer(ackError(shape));
  }
}

/**
 * The error a client receives: a documented code with its message and details, or INTERNAL_ERROR for
 * anything else (an unexpected throw, a store's internal code).
 */
export function toClientError(error: unknown): ErrorShapeOf<WireErrorCode> {
  if (isGameBuddiesError(error)) {
    const code = RENAMED_CODES[error.code] ?? error.code;
    if (isWireErrorCode(code)) return { code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  }
  return { code: WireErrorCode.INTERNAL_ERROR, message: 'something failed on the server; nothing was changed' };
}

/** Closes a connection that abuses its limits. */
export function cutOff(deps: Pick<RequestGuardDependencies, 'log' | 'metrics'>, socket: GatewaySocket, why: string): void {
  deps.log.warn({ connection: socket.id }, `disconnecting a connection that ${why}`);
  deps.metrics.rejectedEvents.inc({ reason: 'cut_off' });
  socket.disconnect(true);
}
