import { GameBuddiesError, type Logger } from '@gamebuddies/core';
import type { GatewayMetrics } from '@gamebuddies/metrics';
import { WireErrorCode } from '@gamebuddies/protocol';
import type { Membership, PlayerIdentity, PresenceKeeper, RoomHost } from '@gamebuddies/room-host';
import type { SessionStore } from '@gamebuddies/session-store';
import type { GatewayConfig } from '../config';
import type { ClientGuards } from '../guards';
import type { LocalRooms } from '../local-rooms';
import type { GatewayServer, GatewaySocket } from '../socket-types';

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

/** One connection's view of the handler dependencies. */
export interface HandlerContext extends HandlerDependencies {
  socket: GatewaySocket;
}

/** An error with a documented wire code. */
export function wireError(code: WireErrorCode, message: string, details?: Record<string, unknown>): GameBuddiesError<WireErrorCode> {
  return new GameBuddiesError(code, message, details);
}

/** The connection's player. @throws SESSION_REQUIRED before `session:open`. */
export function requireSession(ctx: HandlerContext): PlayerIdentity {
  const session = ctx.socket.data.session;
  if (session === undefined) throw wireError(WireErrorCode.SESSION_REQUIRED, 'open a session first (session:open)');
  return session;
}

/** @throws SERVER_DRAINING while the gateway shuts down. */
export function refuseWhileDraining(ctx: HandlerContext): void {
  if (ctx.isDraining()) throw wireError(WireErrorCode.SERVER_DRAINING, 'this server is shutting down: reconnect to continue');
}
