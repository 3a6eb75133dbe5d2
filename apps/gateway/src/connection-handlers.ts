import { GameBuddiesError, isGameBuddiesError, type Logger } from '@gamebuddies/core';
import type { GatewayMetrics } from '@gamebuddies/metrics';
import { CLIENT_EVENTS, WireErrorCode, type Ack, type ClientEventName, type ClientToServerEvents, type SessionInfo } from '@gamebuddies/protocol';
import type { RequestOf } from '@gamebuddies/protocol/schemas';
import { isRoomGone, type Membership, type PlayerIdentity, type PresenceKeeper, type RoomHost } from '@gamebuddies/room-host';
import { normalizeRoomCode, RoomStoreErrorCode } from '@gamebuddies/room-store';
import { generateSessionToken, type SessionStore } from '@gamebuddies/session-store';
import { clientAddress } from './client-address';
import type { GatewayConfig } from './config';
import { playerChannel } from './deliver';
import type { ClientGuards } from './guards';
import type { LocalRooms } from './local-rooms';
import { cutOff, runRequest } from './request-guard';
import type { GatewayServer, GatewaySocket } from './socket-types';

/** What the handlers use; all of it is built by `createGateway`. */
export interface HandlerDependencies {
  io: GatewayServer;
  host: RoomHost;
  membership: Membership;
  rooms: LocalRooms;
  /** Which gateways hold which players: a player still connected elsewhere is not marked disconnected. */
  presence: PresenceKeeper;
  sessions: SessionStore;
  guards: ClientGuards;
  metrics: GatewayMetrics;
  /** Rate-limited: what clients cause is logged through it. */
  log: Logger;
  config: GatewayConfig;
  isDraining(): boolean;
  /** Resolves when the request is done; a drain waits for these. */
  track<T>(work: Promise<T>): Promise<T>;
}

type AckData<E extends ClientEventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;
type Handlers = { [E in ClientEventName]: (request: RequestOf<E>) => Promise<AckData<E>> };

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

function gatewayError(code: WireErrorCode, message: string, details?: Record<string, unknown>): GameBuddiesError {
  return new GameBuddiesError(code, message, details);
}

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

function eventHandlers(deps: HandlerDependencies, socket: GatewaySocket): Handlers {
  const { host, membership, rooms, sessions } = deps;

  const requireSession = (): PlayerIdentity => {
    const session = socket.data.session;
    if (session === undefined) throw gatewayError(WireErrorCode.SESSION_REQUIRED, 'open a session first (session:open)');
    return session;
  };
  const refuseWhileDraining = (): void => {
    if (deps.isDraining()) throw gatewayError(WireErrorCode.SERVER_DRAINING, 'this server is shutting down: reconnect to continue');
  };
  /** The room this connection plays in: its hint, or (when it has none) the session's, checked against the room. */
  const currentRoom = async (player: PlayerIdentity): Promise<string> => {
    let code = socket.data.roomCode ?? null;
    if (code === null) {
      code = await membership.currentRoom(player);
      rooms.place(socket, code);
    }
    if (code === null) throw gatewayError(WireErrorCode.NOT_IN_ROOM, 'you are not in a room');
    return code;
  };
  /**
   * Runs a call on the player's room. If the room is gone, or the player is no longer in it (kicked, or moved
   * by their other tab), the hint is checked against the store: a lost room is announced, a move is followed.
   */
  const inRoom = async <T>(call: (code: string, player: PlayerIdentity) => Promise<T>): Promise<T> => {
    const player = requireSession();
    const code = await currentRoom(player);
    try {
      return await call(code, player);
    } catch (error) {
      if (!isCallerGone(error, player.playerId)) throw error;
      rooms.place(socket, null);
      if (isGameBuddiesError(error, RoomStoreErrorCode.ROOM_NOT_FOUND)) await rooms.announceLost(code);
      const now = await membership.currentRoom(player);
      rooms.place(socket, now);
      if (now === null || now === code) throw error;
      return call(now, player);
    }
  };

  return {
    'session:open': async (request): Promise<SessionInfo> => {
      const token = socket.data.session?.token ?? socket.data.handshakeToken;
      const found = token === undefined ? null : await sessions.get(token);
      let info: SessionInfo;
      if (found !== null && token !== undefined) {
        await sessions.touch(token);
        info = { token, playerId: found.playerId, name: found.displayName, roomCode: found.roomCode };
      } else {
        if (request.name === undefined) {
          throw gatewayError(WireErrorCode.INVALID_PAYLOAD, 'a name is needed to start a new session', {
            issues: [{ path: ['name'], message: 'required for a new session' }],
          });
        }
        // A token made here makes the create idempotent: if its answer is lost, the same create is sent once more.
        const input = { displayName: request.name, token: generateSessionToken() };
        const created = await sessions.create(input).catch((error: unknown) => {
          if (isGameBuddiesError(error) && error.details?.['outcome'] === 'unknown') return sessions.create(input);
          throw error;
        });
        info = { token: created.token, playerId: created.session.playerId, name: created.session.displayName, roomCode: null };
      }
      const before = socket.data.session;
      if (before !== undefined && before.playerId !== info.playerId) {
        // The session this connection had is gone (the store lost it): this one starts afresh.
        await socket.leave(playerChannel(before.playerId));
        rooms.place(socket, null);
      }
      const player = { token: info.token, playerId: info.playerId, name: info.name };
      socket.data.session = player;
      await socket.join(playerChannel(info.playerId));
      if (info.roomCode !== null) {
        deps.metrics.reconnections.inc();
        try {
          await host.reconnect(info.roomCode, info.playerId);
          rooms.place(socket, info.roomCode);
        } catch (error) {
          if (!isRoomGone(error)) throw error;
          await membership.forget(player, info.roomCode);
          info = { ...info, roomCode: null };
        }
      }
      return info;
    },

    'games:list': async () => host.listGames(),

    'room:create': async (request) => {
      refuseWhileDraining();
      const player = requireSession();
      if (host.hostedRooms >= deps.config.maxRooms) {
        throw gatewayError(WireErrorCode.SERVER_FULL, 'this server hosts as many rooms as it may: try again later');
      }
      const budget = await deps.guards.takeRoomCreation(player.playerId);
      if (!budget.isAllowed) {
        throw gatewayError(WireErrorCode.ROOM_LIMIT_REACHED, 'you have created too many rooms: wait before creating another', { retryAfterMs: budget.retryAfterMs });
      }
      const options = request.options === undefined ? {} : { options: request.options as Record<string, never> };
      const snapshot = await membership.create(player, { gameId: request.gameId, ...options }).catch(async (error: unknown) => {
        await deps.guards.giveBackRoomCreation(player.playerId);
        throw error;
      });
      rooms.place(socket, snapshot.code);
      return snapshot;
    },

    'room:join': async (request) => {
      refuseWhileDraining();
      const player = requireSession();
      const guess = await deps.guards.reserveCodeGuess(socket.id, clientAddress(socket, deps.config.trustProxyHops));
      const tooMany = (): GameBuddiesError =>
        gatewayError(WireErrorCode.TOO_MANY_WRONG_CODES, 'too many wrong room codes: wait before trying again', { retryAfterMs: guess.retryAfterMs });
      if (!guess.isAllowed) {
        deps.metrics.rateLimited.inc({ event: 'room:join' });
        throw tooMany();
      }
      let code: string;
      try {
        code = normalizeRoomCode(request.code);
      } catch (error) {
        if (guess.isAddressBlocked) throw tooMany();
        throw error;
      }
      // The code is looked up before anything is claimed: a wrong guess writes nothing.
      if (!(await host.exists(code))) {
        if (guess.isAddressBlocked) {
          deps.metrics.rateLimited.inc({ event: 'room:join' });
          throw tooMany();
        }
        throw gatewayError(WireErrorCode.ROOM_NOT_FOUND, `room ${code} does not exist`, { room: code });
      }
      await guess.settleRight();
      const snapshot = await membership.join(player, code, request.asSpectator ? { asSpectator: true } : {});
      rooms.place(socket, code);
      return snapshot;
    },

    'room:leave': async () => {
      const player = requireSession();
      const left = await membership.leave(player);
      rooms.place(socket, null);
      return left;
    },

    'room:start': async () => inRoom((code, player) => host.start(code, player.playerId)),

    'room:kick': async (request) =>
      inRoom(async (code, player) => {
        try {
          return await host.kick(code, player.playerId, request.playerId);
        } catch (error) {
          // The target is not in the room: an answer about the target, not about the caller's own place.
          if (isGameBuddiesError(error, WireErrorCode.NOT_IN_ROOM) && error.details?.['playerId'] === request.playerId && request.playerId !== player.playerId) {
            throw gatewayError(WireErrorCode.TARGET_NOT_IN_ROOM, `player ${request.playerId} is not in this room`, { playerId: request.playerId });
          }
          throw error;
        }
      }),

    'room:sync': async () => inRoom((code, player) => host.snapshot(code, player.playerId)),

    'game:act': async (request) => inRoom((code, player) => host.act(code, player.playerId, request.action, request.payload as never)),
  };
}

/** True when an error says the caller (not someone they named) has no place in the room any more. */
function isCallerGone(error: unknown, playerId: string): boolean {
  if (!isGameBuddiesError(error)) return false;
  if (error.code === RoomStoreErrorCode.ROOM_NOT_FOUND) return true;
  return error.code === WireErrorCode.NOT_IN_ROOM && error.details?.['playerId'] === playerId;
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
