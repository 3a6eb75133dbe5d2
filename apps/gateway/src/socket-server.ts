import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { GatewayMetrics } from '@gamebuddies/metrics';
import { Server, type ServerOptions } from 'socket.io';
import { addressOf } from './client-address';
import type { GatewayConfig } from './config';
import { isOriginAllowed } from './origins';
import type { GatewayServer } from './socket-types';

/** What the edge of the gateway (HTTP and Socket.IO, before any event) needs. */
export interface SocketServerParts {
  config: GatewayConfig;
  metrics: GatewayMetrics;
  app: RequestListener;
  /** The Socket.IO adapter when gateways share Redis. */
  adapter?: ServerOptions['adapter'];
  isDraining(): boolean;
}

/**
 * The HTTP server and Socket.IO on it, with every limit that applies before a connection sends an event:
 * slow or silent HTTP connections closed, handshakes refused for a foreign origin, a draining or full server
 * and an address over its connection cap, and oversized messages counted as they close their connection.
 */
export function createSocketServer(parts: SocketServerParts): { httpServer: HttpServer; io: GatewayServer } {
  const { config, metrics } = parts;
  // Timeouts are checked every second rather than Node's default 30 s.
  const httpServer = createServer({ connectionsCheckingInterval: 1000 }, parts.app);
  httpServer.headersTimeout = config.httpHeadersTimeoutMs;
  httpServer.requestTimeout = config.httpRequestTimeoutMs;
  const connectionsByAddress = new Map<string, number>();
  const io: GatewayServer = new Server(httpServer, {
    ...(parts.adapter === undefined ? {} : { adapter: parts.adapter }),
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
      if (parts.isDraining()) return accept('server draining', false);
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
  return { httpServer, io };
}

/** The parts of an Engine.IO connection the gateway reads. */
interface EngineSocket {
  request: { headers: IncomingHttpHeaders; socket?: { remoteAddress?: string } };
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
  const silent = new Map<NetSocket, NodeJS.Timeout>();
  const heard = (socket: NetSocket): void => {
    clearTimeout(silent.get(socket));
    silent.delete(socket);
  };
  server.on('connection', (socket: NetSocket) => {
    const timer = setTimeout(() => {
      silent.delete(socket);
      socket.destroy();
    }, timeoutMs);
    timer.unref();
    silent.set(socket, timer);
    socket.once('close', () => heard(socket));
  });
  server.on('request', (req: IncomingMessage) => heard(req.socket));
  server.on('upgrade', (req: IncomingMessage) => heard(req.socket));
}
