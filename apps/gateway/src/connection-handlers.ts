import { isGameBuddiesError } from '@gamebuddies/core';
import { CLIENT_EVENTS, WireErrorCode, type Ack, type ClientEventName, type ClientToServerEvents } from '@gamebuddies/protocol';
import type { RequestOf } from '@gamebuddies/protocol/schemas';
import { isRoomGone } from '@gamebuddies/room-host';
import { playerChannel } from './deliver';
import type { HandlerContext, HandlerDependencies } from './handlers/context';
import { act, kickPlayer, startGame, syncRoom } from './handlers/game-handlers';
import { createRoom, joinRoom, leaveRoom } from './handlers/room-handlers';
import { openSession } from './handlers/session-handlers';
import { cutOff, runRequest } from './request-guard';
import type { GatewaySocket } from './socket-types';

export type { HandlerDependencies } from './handlers/context';

type AckData<E extends ClientEventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;
type Handlers = { [E in ClientEventName]: (request: RequestOf<E>) => Promise<AckData<E>> };

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

/**
 * Wires every client event of one connection through the request guard (rate limit, payload bounds and
 * schema, one acknowledgement with a documented code), counts unknown events against the same limits, and
 * closes connections that open no session in time.
 */
export function attachConnectionHandlers(deps: HandlerDependencies): void {
  const { io, metrics } = deps;
  io.on('connection', (socket) => {
    metrics.connections.inc();
    metrics.connectionsOpened.inc();
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
    if (typeof token === 'string' && token.length > 0 && token.length <= 256) socket.data.handshakeToken = token;

    const sessionDeadline = setTimeout(() => {
      if (socket.data.session !== undefined || !socket.connected) return;
      metrics.rejectedEvents.inc({ reason: 'no_session' });
      socket.disconnect(true);
    }, deps.config.sessionOpenTimeoutMs);
    sessionDeadline.unref();

    // Unknown events get no answer, but each one costs the connection a token of its rate limit, and a
    // refused one a strike: a flood of them is cut off like any other.
    socket.onAny((event: unknown) => {
      if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
      metrics.rejectedEvents.inc({ reason: 'unknown_event' });
      void (async () => {
        const verdict = await deps.guards.takeEvent(socket.id);
        if (!verdict.isAllowed && !(await deps.guards.strike(socket.id))) cutOff(deps, socket, 'kept sending unknown events');
      })().catch((error: unknown) => deps.log.warn({ err: error }, 'counting an unknown event failed'));
    });

    const handlers = eventHandlers(deps, socket);
    for (const event of CLIENT_EVENTS) {
      socket.on(event, (...args: unknown[]) => {
        void runRequest(deps, socket, event, args, handlers[event] as (request: unknown) => Promise<unknown>);
      });
    }

    socket.on('disconnect', () => {
      clearTimeout(sessionDeadline);
      metrics.connections.dec();
      deps.rooms.remove(socket);
      void deps.guards.forget(socket.id).catch(() => undefined);
      void deps.track(markDisconnected(deps, socket)).catch((error: unknown) => deps.log.warn({ err: error }, 'marking a player disconnected failed'));
    });
  });
}

/** Every client event, each to its named handler. */
function eventHandlers(deps: HandlerDependencies, socket: GatewaySocket): Handlers {
  const ctx: HandlerContext = { ...deps, socket };
  return {
    'session:open': (request) => openSession(ctx, request),
    'games:list': async () => ctx.host.listGames(),
    'room:create': (request) => createRoom(ctx, request),
    'room:join': (request) => joinRoom(ctx, request),
    'room:leave': () => leaveRoom(ctx),
    'room:start': () => startGame(ctx),
    'room:kick': (request) => kickPlayer(ctx, request),
    'room:sync': () => syncRoom(ctx),
    'game:act': (request) => act(ctx, request),
  };
}

/**
 * When a player's last connection drops, they are marked disconnected in the room they are in (read from the
 * store, not from this connection's hint: another tab may have moved them), unless another connection of
 * theirs is open here or present in that room on another live gateway. Not while the server drains.
 */
async function markDisconnected(deps: HandlerDependencies, socket: GatewaySocket): Promise<void> {
  const session = socket.data.session;
  if (session === undefined || deps.isDraining()) return;
  const others = await deps.io.local.in(playerChannel(session.playerId)).fetchSockets();
  if (others.some((other) => other.id !== socket.id)) return;
  const code = await deps.membership.currentRoom(session).catch((error: unknown) => {
    if (isGameBuddiesError(error, WireErrorCode.SESSION_REQUIRED)) return null;
    throw error;
  });
  if (code === null) return;
  if (await deps.presence.isPresent({ code, playerId: session.playerId })) return;
  await deps.host.disconnect(code, session.playerId).catch((error: unknown) => {
    if (!isRoomGone(error)) throw error;
  });
}
