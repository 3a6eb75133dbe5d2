import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventLoopLagCheck, fileDescriptorCheck, heapCheck, HealthRegistry, pingCheck } from '@gamebuddies/health';
import { createGatewayMetrics, Registry, type GatewayMetrics } from '@gamebuddies/metrics';
import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import { throttleLogger } from '@gamebuddies/core';
import { MemoryNodePresence, Membership, PresenceKeeper, RedisNodePresence, RoomHost } from '@gamebuddies/room-host';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import type { GatewayConfig } from './config';
import { createSocketAdapter } from './adapter';
import { addressOf } from './client-address';
import { attachConnectionHandlers } from './connection-handlers';
import { socketDelivery } from './deliver';
import { enabledGames } from './games';
import { ClientGuards } from './guards';
import { createHttpApp } from './http-app';
import { InFlight } from './in-flight';
import { LocalRooms } from './local-rooms';
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

/** The parts of an Engine.IO connection the gateway reads. */
interface EngineSocket {
  request: { headers: import('node:http').IncomingHttpHeaders; socket?: { remoteAddress?: string } };
  once(event: 'close', listener: (reason: string, description?: unknown) => void): void;
}

/** Whether a connection closed because a message was over `MAX_PAYLOAD_BYTES` (ws's close code 1009). */
function isPayloadTooLarge(description: unknown): boolean {
  if (!(description instanceof Error)) return false;
  const { code } = description as Error & { code?: unknown };
  return code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || /max payload size exceeded/i.test(description.message);
}

/**
 * Node's header timeout starts with the first byte of a request: a connection that sends nothing at all
 * would stay open for ever. Such a connection is closed once the header timeout passes.
 */
function closeSilentConnections(server: HttpServer, timeoutMs: number): void {
  const silent = new Map<import('node:net').Socket, NodeJS.Timeout>();
  const heard = (socket: import('node:net').Socket): void => {
    clearTimeout(silent.get(socket));
    silent.delete(socket);
  };
  server.on('connection', (socket: import('node:net').Socket) => {
    const timer = setTimeout(() => {
      silent.delete(socket);
      socket.destroy();
    }, timeoutMs);
    timer.unref();
    silent.set(socket, timer);
    socket.once('close', () => heard(socket));
  });
  server.on('request', (req: import('node:http').IncomingMessage) => heard(req.socket));
  server.on('upgrade', (req: import('node:http').IncomingMessage) => heard(req.socket));
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
  // Slow or half-sent HTTP requests are closed after these (checked every second rather than Node's 30 s).
  const httpServer = createServer({ connectionsCheckingInterval: 1000 }, createHttpApp({ health, registry, servePage: config.servePage }));
  httpServer.headersTimeout = config.httpHeadersTimeoutMs;
  httpServer.requestTimeout = config.httpRequestTimeoutMs;
  const connectionsByAddress = new Map<string, number>();
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
      const address = addressOf(req.headers, req.socket.remoteAddress, config.trustProxyHops);
      if (config.maxConnectionsPerAddress > 0 && (connectionsByAddress.get(address) ?? 0) >= config.maxConnectionsPerAddress) {
        metrics.rejectedEvents.inc({ reason: 'address_full' });
        return accept('too many connections from your address', false);
      }
      accept(null, true);
    },
  });
  // After Socket.IO attached: it wraps the 'request' listeners present at attach time and skips them for its own paths.
  closeSilentConnections(httpServer, config.httpHeadersTimeoutMs);
  io.engine.on('connection', (raw: EngineSocket) => {
    const address = addressOf(raw.request.headers, raw.request.socket?.remoteAddress, config.trustProxyHops);
    connectionsByAddress.set(address, (connectionsByAddress.get(address) ?? 0) + 1);
    raw.once('close', (_reason: string, description?: unknown) => {
      const left = (connectionsByAddress.get(address) ?? 1) - 1;
      if (left > 0) connectionsByAddress.set(address, left);
      else connectionsByAddress.delete(address);
      if (isPayloadTooLarge(description)) metrics.rejectedEvents.inc({ reason: 'too_large' });
    });
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
  const membership = new Membership({ host, sessions });
  const log = throttleLogger(logger, { linesPerWindow: config.logLinesPerMinute, windowMs: 60_000 });
  const rooms = new LocalRooms({ host, membership, presence, logger: log });
  await presence.start();
  rooms.start(config.roomCheckIntervalMs);
  // After Redis comes back from an outage it may have come back empty: look for vanished rooms at once.
  stores.redis?.on('ready', () => void rooms.sweep(Number.MAX_SAFE_INTEGER));
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
        const deadline = Date.now() + deadlineMs;
        isDraining = true;
        health.setDraining(true);
        logger.info({ inFlight: inFlight.size, connections: io.engine?.clientsCount ?? 0 }, 'draining');
        // Keep serving the players here while load balancers see readiness fail and stop sending new ones.
        const delay = Math.min(config.drainDelayMs, Math.max(0, deadline - Date.now()));
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        // Local only: with the Redis adapter a plain io.emit / disconnectSockets would reach every gateway's players.
        io.local.emit('server:draining', { reconnectAfterMs: config.reconnectAfterMs });
        await inFlight.settled(deadline - Date.now());
        rooms.stop();
        // Players who do not reconnect elsewhere within the grace below are marked disconnected by a survivor.
        await presence.stop(config.reconnectAfterMs * 2 + 5000);
        await host.close();
        io.local.disconnectSockets(true);
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
