import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventLoopLagCheck, fileDescriptorCheck, heapCheck, HealthRegistry, pingCheck } from '@gamebuddies/health';
import { createGatewayMetrics, Registry, type GatewayMetrics } from '@gamebuddies/metrics';
import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import { RoomHost } from '@gamebuddies/room-host';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import type { GatewayConfig } from './config';
import { createSocketAdapter } from './adapter';
import { attachConnectionHandlers } from './connection-handlers';
import { socketDelivery } from './deliver';
import { enabledGames } from './games';
import { ClientGuards } from './guards';
import { createHttpApp } from './http-app';
import { isOriginAllowed } from './origins';
import type { GatewayServer } from './socket-types';
import { openStores, type GatewayStores } from './stores';
import { timedStore } from './timed-stores';

/** A running gateway. Several can live in one process (each with its own stores, registry and logger). */
export interface Gateway {
  readonly config: GatewayConfig;
  readonly httpServer: HttpServer;
  readonly io: GatewayServer;
  readonly host: RoomHost;
  readonly stores: GatewayStores;
  readonly health: HealthRegistry;
  readonly metrics: GatewayMetrics;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: readiness fails at once, new rooms, joins and connections are refused with
   * SERVER_DRAINING, players are told to reconnect, handlers in flight finish, then everything closes.
   * Every acknowledged change is already in the store. Resolves when done or when the deadline passed.
   */
  shutdown(deadlineMs?: number): Promise<void>;
}

/** Optional parts, for tests and embedding: a logger (default pino at the configured level), extra games. */
export interface GatewayParts {
  logger?: Logger;
  /** Games hosted in addition to the enabled built-in ones (e.g. your own plugin). */
  games?: readonly AnyGameDefinition[];
}

/** Builds a gateway from its configuration: stores, room host, Socket.IO, HTTP, health and metrics. */
export async function createGateway(config: GatewayConfig, parts: GatewayParts = {}): Promise<Gateway> {
  const logger = parts.logger ?? pino({ level: config.logLevel, base: { node: config.nodeId } });
  const registry = new Registry();
  const metrics = createGatewayMetrics({ registry });
  const stores = await openStores(config, logger);
  const health = new HealthRegistry({ logger });
  const lag = eventLoopLagCheck();
  health.register(lag);
  health.register(heapCheck());
  health.register(fileDescriptorCheck());
  const redis = stores.redis;
  if (redis !== undefined) health.register(pingCheck('redis', () => redis.ping()));

  let isDraining = false;
  const inFlight = { count: 0 };
  const httpServer = createServer(createHttpApp({ health, registry, servePage: config.servePage }));
  const socketAdapter = stores.backend === 'redis' ? await createSocketAdapter(config, logger) : undefined;
  const io: GatewayServer = new Server(httpServer, {
    ...(socketAdapter === undefined ? {} : { adapter: socketAdapter.adapter }),
    transports: config.transports,
    maxHttpBufferSize: config.maxPayloadBytes,
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    cors: { origin: config.corsOrigins.includes('*') ? true : config.corsOrigins, credentials: true },
    allowRequest: (req, accept) => {
      if (!isOriginAllowed(req.headers.origin, req.headers.host, config.corsOrigins)) {
        metrics.rejectedEvents.inc({ reason: 'origin' });
        return accept('origin not allowed', false);
      }
      if (isDraining) return accept('server draining', false);
      if (io.engine.clientsCount >= config.maxConnections) {
        metrics.rejectedEvents.inc({ reason: 'server_full' });
        return accept('server full', false);
      }
      accept(null, true);
    },
  });

  const host = new RoomHost({
    roomStore: timedStore(stores.roomStore, 'room', stores.backend, metrics),
    games: [...enabledGames(config.games), ...(parts.games ?? [])],
    deliver: socketDelivery(io),
    logger,
    nodeId: config.nodeId,
    leaseTtlMs: config.leaseTtlMs,
    disconnectGraceMs: config.disconnectGraceMs,
    observer: {
      roomCreated: (gameId) => {
        metrics.roomsCreated.inc({ gameId });
        metrics.rooms.set(host.hostedRooms);
      },
      roomClosed: (gameId, reason) => {
        metrics.roomsClosed.inc({ gameId, reason });
        metrics.rooms.set(host.hostedRooms);
      },
      membersChanged: (_code, members) => {
        metrics.playersPerRoom.observe(members);
        metrics.rooms.set(host.hostedRooms);
      },
    },
  });

  const guards = new ClientGuards(config, stores.redis);
  const sessions = timedStore(stores.sessionStore, 'session', stores.backend, metrics);
  attachConnectionHandlers({ io, host, sessions, guards, metrics, logger, config, isDraining: () => isDraining, inFlight });

  let closing: Promise<void> | undefined;
  const gateway: Gateway = {
    config,
    httpServer,
    io,
    host,
    stores,
    health,
    metrics,
    registry,
    logger,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          resolve(`http://${shownHost}:${port}`);
        });
      }),
    shutdown: (deadlineMs = config.shutdownTimeoutMs) => {
      closing ??= (async () => {
        const deadline = Date.now() + deadlineMs;
        isDraining = true;
        health.setDraining(true);
        logger.info({ inFlight: inFlight.count, connections: io.engine?.clientsCount ?? 0 }, 'draining');
        // Keep serving the players here while load balancers see readiness fail and stop sending new ones.
        const delay = Math.min(config.drainDelayMs, Math.max(0, deadline - Date.now()));
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        io.emit('server:draining', { reconnectAfterMs: config.reconnectAfterMs });
        while (inFlight.count > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        await host.close();
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        lag.dispose();
        await socketAdapter?.close();
        await stores.close();
        logger.info({}, 'stopped');
      })();
      return closing;
    },
  };
  return gateway;
}
