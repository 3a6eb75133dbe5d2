import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventLoopLagCheck, fileDescriptorCheck, heapCheck, HealthRegistry, pingCheck } from '@gamebuddies/health';
import { createGatewayMetrics, Registry, type GatewayMetrics } from '@gamebuddies/metrics';
import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import { throttleLogger } from '@gamebuddies/core';
import { MemoryNodePresence, Membership, PresenceKeeper, RedisNodePresence, RoomHost, type RoomHostObserver } from '@gamebuddies/room-host';
import pino, { type Logger } from 'pino';
import type { GatewayConfig } from './config';
import { createSocketAdapter } from './adapter';
import { attachConnectionHandlers } from './connection-handlers';
import { localDelivery } from './deliver';
import { enabledGames } from './games';
import { ClientGuards } from './guards';
import { drainGateway } from './drain';
import { createHttpApp } from './http-app';
import { InFlight } from './in-flight';
import { LocalRooms } from './local-rooms';
import { createSocketServer } from './socket-server';
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

/** Room metrics from the host's observations. */
function roomMetrics(metrics: GatewayMetrics, hostedRooms: () => number): RoomHostObserver {
  return {
    roomCreated: (gameId) => {
      metrics.roomsCreated.inc({ gameId });
      metrics.rooms.set(hostedRooms());
    },
    roomClosed: (gameId, reason) => {
      metrics.roomsClosed.inc({ gameId, reason });
      metrics.rooms.set(hostedRooms());
    },
    membersChanged: (_code, members) => {
      metrics.playersPerRoom.observe(members);
      metrics.rooms.set(hostedRooms());
    },
  };
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
  const inFlight = new InFlight();
  const socketAdapter = stores.backend === 'redis' ? await createSocketAdapter(config, logger) : undefined;
  const { httpServer, io } = createSocketServer({
    config,
    metrics,
    app: createHttpApp({ health, registry, servePage: config.servePage }),
    ...(socketAdapter === undefined ? {} : { adapter: socketAdapter.adapter }),
    isDraining: () => isDraining,
  });

  const presence: PresenceKeeper = new PresenceKeeper({
    presence: stores.redis === undefined ? new MemoryNodePresence() : new RedisNodePresence(stores.redis, config.redisKeyPrefix),
    markDisconnected: (code: string, playerId: string): Promise<unknown> => host.disconnect(code, playerId),
    onRevived: () => void rooms.reassert(),
    nodeId: config.nodeId,
    ttlMs: config.presenceTtlMs,
    logger,
  });
  const host: RoomHost = new RoomHost({
    isPresent: (code: string, playerId: string): Promise<boolean> => presence.isPresent({ code, playerId }),
    roomStore: timedStore(stores.roomStore, 'room', stores.backend, metrics),
    games: [...enabledGames(config.games), ...(parts.games ?? [])],
    deliver: localDelivery(io),
    // Several gateways share Redis: each change's deliveries travel with its notification, one message per change.
    sharesDeliveries: stores.backend === 'redis',
    resync: (code: string) => void rooms.resync(code),
    logger,
    nodeId: config.nodeId,
    leaseTtlMs: config.leaseTtlMs,
    disconnectGraceMs: config.disconnectGraceMs,
    observer: roomMetrics(metrics, () => host.hostedRooms),
  });

  const guards = new ClientGuards(config, stores.redis);
  const sessions = timedStore(stores.sessionStore, 'session', stores.backend, metrics);
  const membership = new Membership({ host, sessions });
  const log = throttleLogger(logger, { linesPerWindow: config.logLinesPerMinute, windowMs: 60_000 });
  const rooms = new LocalRooms({ host, membership, presence, logger: log });
  await presence.start();
  rooms.start(config.roomCheckIntervalMs);
  // After Redis comes back from an outage it may have come back empty: look for vanished rooms at once; and
  // change notifications may have been missed meanwhile: every player here gets a fresh snapshot.
  stores.redis?.on('ready', () => void rooms.sweep(Number.MAX_SAFE_INTEGER).then(() => rooms.resyncAll()));
  attachConnectionHandlers({
    io,
    host,
    membership,
    rooms,
    presence,
    sessions,
    guards,
    metrics,
    log,
    config,
    isDraining: () => isDraining,
    track: (work) => inFlight.track(work),
  });

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
        isDraining = true;
        await drainGateway({ config, logger, health, io, inFlight, rooms, presence, host, deadline: Date.now() + deadlineMs });
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
