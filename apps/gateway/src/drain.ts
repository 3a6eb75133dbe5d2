import type { HealthRegistry } from '@gamebuddies/health';
import type { PresenceKeeper, RoomHost } from '@gamebuddies/room-host';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config';
import type { InFlight } from './in-flight';
import type { LocalRooms } from './local-rooms';
import type { GatewayServer } from './socket-types';

/** What a drain stops, in order. */
export interface DrainParts {
  config: GatewayConfig;
  logger: Logger;
  health: HealthRegistry;
  io: GatewayServer;
  inFlight: InFlight;
  rooms: LocalRooms;
  presence: PresenceKeeper;
  host: RoomHost;
  /** When the drain must be done, ms since the epoch. */
  deadline: number;
}

/**
 * The graceful part of a shutdown (the caller has stopped accepting new rooms, joins and connections):
 * readiness fails at once; after `DRAIN_DELAY_MS` this gateway's players are told to reconnect elsewhere; the
 * requests in flight finish; leases are handed over; then its connections close. Only this gateway's players
 * are told and disconnected: with the Redis adapter a plain `io.emit` would reach every gateway's.
 */
export async function drainGateway(parts: DrainParts): Promise<void> {
  const { config, io, deadline } = parts;
  parts.health.setDraining(true);
  parts.logger.info({ inFlight: parts.inFlight.size, connections: io.engine?.clientsCount ?? 0 }, 'draining');
  // Keep serving the players here while load balancers see readiness fail and stop sending new ones.
  const delay = Math.min(config.drainDelayMs, Math.max(0, deadline - Date.now()));
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  io.local.emit('server:draining', { reconnectAfterMs: config.reconnectAfterMs });
  await parts.inFlight.settled(deadline - Date.now());
  parts.rooms.stop();
  // Players who do not reconnect elsewhere within this grace are marked disconnected by a survivor.
  await parts.presence.stop(config.reconnectAfterMs * 2 + 5000);
  await parts.host.close();
  io.local.disconnectSockets(true);
  await new Promise<void>((resolve) => io.close(() => resolve()));
}
