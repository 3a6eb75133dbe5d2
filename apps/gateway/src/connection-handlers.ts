import { GameBuddiesError, isGameBuddiesError } from '@gamebuddies/core';
import type { GatewayMetrics } from '@gamebuddies/metrics';
import { ackError, ackOk, CLIENT_EVENTS, GatewayErrorCode, type Ack, type ClientEventName, type SessionInfo } from '@gamebuddies/protocol';
import { parseRequest, type RequestOf } from '@gamebuddies/protocol/schemas';
import type { RoomHost } from '@gamebuddies/room-host';
import { normalizeRoomCode } from '@gamebuddies/room-store';
import type { SessionStore } from '@gamebuddies/session-store';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config';
import { playerChannel } from './deliver';
import type { ClientGuards } from './guards';
import type { ConnectionData, GatewayServer, GatewaySocket } from './socket-types';

/** What the handlers use; all of it is built by `createGateway`. */
export interface HandlerDependencies {
  io: GatewayServer;
  host: RoomHost;
  sessions: SessionStore;
  guards: ClientGuards;
  metrics: GatewayMetrics;
  logger: Logger;
  config: GatewayConfig;
  isDraining(): boolean;
  /** Counts handlers in flight, so a drain can wait for them. */
  inFlight: { count: number };
}

type Session = NonNullable<ConnectionData['session']>;
type AckData<E extends ClientEventName> = Parameters<Parameters<import('@gamebuddies/protocol').ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

const ROOM_GONE = new Set(['ROOM_NOT_FOUND', 'NOT_IN_ROOM']);

function gatewayError(code: string, message: string, details?: Record<string, unknown>): GameBuddiesError {
  return new GameBuddiesError(code, message, details);
}

/**
 * Wires every client event of one connection: rate limit, payload check, the call into the sessions and the
 * room host, and an acknowledgement with the result or a typed error. Nothing thrown in a handler reaches
 * Socket.IO: the player gets INTERNAL_ERROR and the process and the other players carry on.
 */
export function attachConnectionHandlers(deps: HandlerDependencies): void {
  const { io, metrics, logger } = deps;
  io.on('connection', (socket) => {
    metrics.connections.inc();
    metrics.connectionsOpened.inc();
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
    if (typeof token === 'string' && token.length > 0 && token.length <= 256) socket.data.handshakeToken = token;
    const log = logger.child({ connection: socket.id });

    socket.onAny((event: string) => {
      if (!(CLIENT_EVENTS as readonly string[]).includes(event)) metrics.rejectedEvents.inc({ reason: 'unknown_event' });
    });

    const handlers = eventHandlers(deps, socket);
    for (const event of CLIENT_EVENTS) {
      socket.on(event, (...args: unknown[]) => {
        void runEvent(deps, socket, log, event, args, handlers[event] as (request: unknown) => Promise<unknown>);
      });
    }

    socket.on('disconnect', () => {
      metrics.connections.dec();
      void deps.guards.forget(socket.id);
      void markDisconnected(deps, socket).catch((error: unknown) => log.warn({ err: error }, 'marking a player disconnected failed'));
    });
  });
}

async function runEvent(
  deps: HandlerDependencies,
  socket: GatewaySocket,
  log: Logger,
  event: ClientEventName,
  args: unknown[],
  handler: (request: unknown) => Promise<unknown>,
): Promise<void> {
  // A client may send an event with no payload (the acknowledgement comes first) or no acknowledgement.
  const last = args[args.length - 1];
  const reply = typeof last === 'function' ? (last as (response: Ack<unknown>) => void) : () => undefined;
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  const { metrics, guards } = deps;

  const verdict = await guards.takeEvent(socket.id);
  if (!verdict.isAllowed) {
    metrics.rateLimited.inc({ event });
    reply(ackError({ code: GatewayErrorCode.RATE_LIMITED, message: 'too many events: slow down', details: { retryAfterMs: verdict.retryAfterMs } }));
    if (!(await guards.strike(socket.id))) {
      log.warn({ event }, 'disconnecting a connection that kept exceeding its rate limit');
      socket.disconnect(true);
    }
    return;
  }
  const parsed = parseRequest(event, payload);
  if (!parsed.ok) {
    metrics.rejectedEvents.inc({ reason: 'invalid_payload' });
    metrics.errors.inc({ code: GatewayErrorCode.INVALID_PAYLOAD });
    reply(ackError({ code: GatewayErrorCode.INVALID_PAYLOAD, message: `invalid payload for ${event}`, details: { issues: parsed.issues } }));
    return;
  }
  const endTimer = metrics.timeEvent(event);
  deps.inFlight.count++;
  try {
    reply(ackOk(await handler(parsed.value)));
  } catch (error) {
    if (isGameBuddiesError(error)) {
      metrics.errors.inc({ code: error.code });
      reply(ackError({ code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) }));
    } else {
      metrics.errors.inc({ code: GatewayErrorCode.INTERNAL_ERROR });
      log.error({ err: error, event, player: socket.data.session?.playerId, room: socket.data.session?.roomCode }, 'an event handler failed');
      reply(ackError({ code: GatewayErrorCode.INTERNAL_ERROR, message: 'something failed on the server; nothing was changed' }));
    }
  } finally {
    deps.inFlight.count--;
    endTimer();
  }
}

function eventHandlers(deps: HandlerDependencies, socket: GatewaySocket): { [E in ClientEventName]: (request: RequestOf<E>) => Promise<AckData<E>> } {
  const { host, sessions } = deps;

  const requireSession = (): Session => {
    const session = socket.data.session;
    if (session === undefined) throw gatewayError(GatewayErrorCode.SESSION_REQUIRED, 'open a session first (session:open)');
    return session;
  };
  const requireRoom = (): Session & { roomCode: string } => {
    const session = requireSession();
    if (session.roomCode === null) throw gatewayError(GatewayErrorCode.NOT_IN_ROOM, 'you are not in a room');
    return session as Session & { roomCode: string };
  };
  const refuseWhileDraining = (): void => {
    if (deps.isDraining()) throw gatewayError(GatewayErrorCode.SERVER_DRAINING, 'this server is shutting down: reconnect to continue');
  };
  /** Runs a room call; if the room or the membership is gone (deleted, kicked), the session forgets the room. */
  const inRoom = async <T>(session: Session & { roomCode: string }, call: (code: string) => Promise<T>): Promise<T> => {
    try {
      return await call(session.roomCode);
    } catch (error) {
      if (isGameBuddiesError(error) && ROOM_GONE.has(error.code)) await leaveSessionRoom(session);
      throw error;
    }
  };
  const leaveSessionRoom = async (session: Session): Promise<void> => {
    session.roomCode = null;
    await sessions.unbindRoom(session.token).catch(() => undefined);
  };
  /** A session still bound to a room it is no longer in (kicked, room gone) is freed before joining another. */
  const ensureFree = async (session: Session, nextCode?: string): Promise<void> => {
    if (session.roomCode === null || session.roomCode === nextCode) return;
    try {
      await host.snapshot(session.roomCode, session.playerId);
    } catch (error) {
      if (isGameBuddiesError(error) && ROOM_GONE.has(error.code)) return leaveSessionRoom(session);
      throw error;
    }
    throw gatewayError(GatewayErrorCode.ALREADY_IN_ROOM, `you are in room ${session.roomCode}: leave it first`, { room: session.roomCode });
  };
  const bind = async (session: Session, code: string): Promise<void> => {
    session.roomCode = code;
    await sessions.bindRoom(session.token, code);
  };

  return {
    'session:open': async (request): Promise<SessionInfo> => {
      let session = socket.data.session;
      if (session === undefined) {
        const token = socket.data.handshakeToken;
        const found = token === undefined ? null : await sessions.get(token);
        if (found !== null && token !== undefined) {
          await sessions.touch(token);
          session = { token, playerId: found.playerId, name: found.displayName, roomCode: found.roomCode };
        } else {
          if (request.name === undefined) {
            throw gatewayError(GatewayErrorCode.INVALID_PAYLOAD, 'a name is needed to start a new session', {
              issues: [{ path: ['name'], message: 'required for a new session' }],
            });
          }
          const created = await sessions.create({ displayName: request.name });
          session = { token: created.token, playerId: created.session.playerId, name: created.session.displayName, roomCode: null };
        }
        socket.data.session = session;
        await socket.join(playerChannel(session.playerId));
        if (session.roomCode !== null) {
          deps.metrics.reconnections.inc();
          const bound = session as Session & { roomCode: string };
          await inRoom(bound, (code) => host.reconnect(code, bound.playerId)).catch((error: unknown) => {
            if (!(isGameBuddiesError(error) && ROOM_GONE.has(error.code))) throw error;
          });
        }
      }
      return { token: session.token, playerId: session.playerId, name: session.name, roomCode: session.roomCode };
    },

    'games:list': async () => host.listGames(),

    'room:create': async (request) => {
      refuseWhileDraining();
      const session = requireSession();
      await ensureFree(session);
      const snapshot = await host.createRoom({
        gameId: request.gameId,
        ...(request.options === undefined ? {} : { options: request.options as Record<string, never> }),
        hostId: session.playerId,
        hostName: session.name,
      });
      await bind(session, snapshot.code);
      return snapshot;
    },

    'room:join': async (request) => {
      refuseWhileDraining();
      const session = requireSession();
      const address = clientAddress(socket, deps.config.trustProxyHops);
      const verdict = await deps.guards.mayTryCode(socket.id, address);
      if (!verdict.isAllowed) {
        deps.metrics.rateLimited.inc({ event: 'room:join' });
        throw gatewayError(GatewayErrorCode.TOO_MANY_WRONG_CODES, 'too many wrong room codes: wait before trying again', { retryAfterMs: verdict.retryAfterMs });
      }
      let code: string;
      try {
        code = normalizeRoomCode(request.code);
        await ensureFree(session, code);
        const snapshot = await host.join(code, session.playerId, session.name, request.asSpectator ? { asSpectator: true } : {});
        await bind(session, code);
        return snapshot;
      } catch (error) {
        if (isGameBuddiesError(error) && (error.code === 'ROOM_NOT_FOUND' || error.code === 'INVALID_ROOM_CODE')) {
          await deps.guards.recordWrongCode(socket.id, address);
        }
        throw error;
      }
    },

    'room:leave': async () => {
      const session = requireRoom();
      const code = session.roomCode;
      await host.leave(code, session.playerId).catch((error: unknown) => {
        if (!(isGameBuddiesError(error) && ROOM_GONE.has(error.code))) throw error;
      });
      await leaveSessionRoom(session);
      return { code };
    },

    'room:start': async () => {
      const session = requireRoom();
      return inRoom(session, (code) => host.start(code, session.playerId));
    },

    'room:kick': async (request) => {
      const session = requireRoom();
      return inRoom(session, (code) => host.kick(code, session.playerId, request.playerId));
    },

    'room:sync': async () => {
      const session = requireRoom();
      return inRoom(session, (code) => host.snapshot(code, session.playerId));
    },

    'game:act': async (request) => {
      const session = requireRoom();
      return inRoom(session, (code) => host.act(code, session.playerId, request.action, request.payload as never));
    },
  };
}

/**
 * The player's address for per-address limits: the connection's own, or, behind `hops` trusted proxies (a load
 * balancer that appends to X-Forwarded-For), the address the outermost trusted proxy saw.
 */
export function clientAddress(socket: Pick<GatewaySocket, 'handshake'>, hops: number): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (hops > 0 && typeof forwarded === 'string') {
    const chain = forwarded.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
    const address = chain[chain.length - hops];
    if (address !== undefined) return address;
  }
  return socket.handshake.address;
}

/** When a player's last connection drops, they are marked disconnected (not while the server drains). */
async function markDisconnected(deps: HandlerDependencies, socket: GatewaySocket): Promise<void> {
  const session = socket.data.session;
  if (session === undefined || session.roomCode === null || deps.isDraining()) return;
  const others = await deps.io.in(playerChannel(session.playerId)).fetchSockets();
  if (others.some((other) => other.id !== socket.id)) return;
  await deps.host.disconnect(session.roomCode, session.playerId).catch((error: unknown) => {
    if (!(isGameBuddiesError(error) && ROOM_GONE.has(error.code))) throw error;
  });
}
