import { hostname } from 'node:os';
import { z } from 'zod';

const integer = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Every setting the gateway reads from the environment, with its default. Documented in the README. */
const environmentSchema = z.object({
  PORT: integer(3000, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_SENTINELS: list(''),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  REDIS_CLUSTER_NODES: list(''),
  REDIS_KEY_PREFIX: z.string().regex(/^[^{}\s]{1,64}$/).default('gb:'),
  LEASE_TTL_MS: integer(5000, 200, 10 * 60 * 1000),
  CLUSTER_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(256)]).default(0),
  CORS_ORIGINS: list(''),
  GAMES: list('school-quiz,crazy-eights'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVE_PAGE: flag(true),
  TRANSPORTS: list('websocket,polling').pipe(z.array(z.enum(['websocket', 'polling'])).min(1)),
  MAX_PAYLOAD_BYTES: integer(64 * 1024, 1024, 10 * 1024 * 1024),
  MAX_CONNECTIONS: integer(10_000, 1, 1_000_000),
  EVENTS_PER_SECOND: integer(20, 1, 10_000),
  EVENT_BURST: integer(40, 1, 100_000),
  ABUSE_STRIKES: integer(50, 1, 100_000),
  WRONG_CODES_PER_MINUTE: integer(10, 1, 10_000),
  WRONG_CODES_PER_ADDRESS_PER_MINUTE: integer(30, 1, 100_000),
  DISCONNECT_GRACE_MS: integer(60_000, 0, 24 * 3600 * 1000),
  SESSION_TTL_MS: integer(30 * 60 * 1000, 1000, 30 * 24 * 3600 * 1000),
  ROOM_TTL_MS: integer(60 * 60 * 1000, 1000, 30 * 24 * 3600 * 1000),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, 0, 10 * 60 * 1000),
  DRAIN_DELAY_MS: integer(0, 0, 10 * 60 * 1000),
  RECONNECT_AFTER_MS: integer(500, 0, 60_000),
  PING_INTERVAL_MS: integer(25_000, 1000, 10 * 60 * 1000),
  PING_TIMEOUT_MS: integer(20_000, 1000, 10 * 60 * 1000),
  MAX_CONNECTIONS_PER_ADDRESS: integer(200, 0, 1_000_000),
  MAX_ROOMS: integer(5000, 1, 10_000_000),
  ROOMS_PER_SESSION: integer(10, 1, 100_000),
  SESSION_OPEN_TIMEOUT_MS: integer(10_000, 100, 10 * 60 * 1000),
  HTTP_HEADERS_TIMEOUT_MS: integer(10_000, 100, 10 * 60 * 1000),
  HTTP_REQUEST_TIMEOUT_MS: integer(30_000, 100, 60 * 60 * 1000),
  ROOM_CHECK_INTERVAL_MS: integer(15_000, 100, 24 * 3600 * 1000),
  LOG_LINES_PER_MINUTE: integer(20, 1, 1_000_000),
  PRESENCE_TTL_MS: integer(15_000, 300, 10 * 60 * 1000),
  NODE_ID: z.string().min(1).max(200).optional(),
  TRUST_PROXY_HOPS: integer(0, 0, 10),
});

/** The gateway's validated configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  /** Unset: rooms and sessions in memory (one process). Set: shared through Redis. */
  redisUrl: string | undefined;
  /** Sentinels to find the Redis master through (host:port), with the master's name. */
  redisSentinels: { host: string; port: number }[];
  redisSentinelName: string;
  /** Redis Cluster seed nodes (host:port); rooms, sessions and the sharded Socket.IO adapter go there. */
  redisClusterNodes: { host: string; port: number }[];
  /** How long a room's ownership lease lasts: a dead gateway's rooms move to another after it. */
  leaseTtlMs: number;
  /** Node cluster mode: worker processes on this machine (0 = one process, `auto` = one per core). */
  clusterWorkers: number | 'auto';
  redisKeyPrefix: string;
  /** Origins allowed to connect from a browser; empty = same origin only; `*` = any. */
  corsOrigins: string[];
  games: string[];
  logLevel: string;
  servePage: boolean;
  transports: ('websocket' | 'polling')[];
  maxPayloadBytes: number;
  maxConnections: number;
  eventsPerSecond: number;
  eventBurst: number;
  abuseStrikes: number;
  wrongCodesPerMinute: number;
  wrongCodesPerAddressPerMinute: number;
  disconnectGraceMs: number;
  sessionTtlMs: number;
  roomTtlMs: number;
  shutdownTimeoutMs: number;
  /** How long a draining gateway keeps serving its players while load balancers notice its readiness failing. */
  drainDelayMs: number;
  reconnectAfterMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  nodeId: string;
  /** Proxies in front whose X-Forwarded-For is trusted (0: use the socket's own address). */
  trustProxyHops: number;
  /** Open connections one address may hold on this gateway (0: no cap). */
  maxConnectionsPerAddress: number;
  /** Live rooms this gateway may host; `room:create` answers SERVER_FULL past it. */
  maxRooms: number;
  /** Rooms one session may create per 10 minutes (shared by every gateway on Redis). */
  roomsPerSessionPer10Minutes: number;
  /** A connection that has not opened a session by then is closed. */
  sessionOpenTimeoutMs: number;
  /** HTTP: the longest wait for a request's headers, and for a whole request. */
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** How often the rooms this gateway's players are in are checked for having vanished from the store. */
  roomCheckIntervalMs: number;
  /** Lines of one warning message logged per minute; the rest are counted. */
  logLinesPerMinute: number;
  /** A gateway that sent no heartbeat for this long is dead: survivors mark its players disconnected. */
  presenceTtlMs: number;
}

/** Thrown when the environment holds bad settings; the message names every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid gateway configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and checks the configuration from environment variables.
 * @throws ConfigError naming every bad value at once.
 */
export function loadConfig(env: Record<string, string | undefined>, knownGames: readonly string[]): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message} (got ${JSON.stringify(present[String(issue.path[0])] ?? null)})`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const unknown = e.GAMES.filter((id) => !knownGames.includes(id));
  if (unknown.length > 0) problems.push(`GAMES: unknown game ${unknown.join(', ')} (known: ${knownGames.join(', ')})`);
  if (e.GAMES.length === 0) problems.push('GAMES: enable at least one game');
  if (e.PING_TIMEOUT_MS >= e.PING_INTERVAL_MS * 4) problems.push('PING_TIMEOUT_MS: should be below four ping intervals');
  if (e.DRAIN_DELAY_MS >= e.SHUTDOWN_TIMEOUT_MS && e.DRAIN_DELAY_MS > 0) problems.push('DRAIN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS');
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) problems.push('HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  const config: GatewayConfig = {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisSentinels: hostPorts(e.REDIS_SENTINELS, 'REDIS_SENTINELS', problems),
    redisSentinelName: e.REDIS_SENTINEL_NAME,
    redisClusterNodes: hostPorts(e.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES', problems),
    leaseTtlMs: e.LEASE_TTL_MS,
    clusterWorkers: e.CLUSTER_WORKERS,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    corsOrigins: e.CORS_ORIGINS,
    games: e.GAMES,
    logLevel: e.LOG_LEVEL,
    servePage: e.SERVE_PAGE,
    transports: e.TRANSPORTS,
    maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
    maxConnections: e.MAX_CONNECTIONS,
    eventsPerSecond: e.EVENTS_PER_SECOND,
    eventBurst: e.EVENT_BURST,
    abuseStrikes: e.ABUSE_STRIKES,
    wrongCodesPerMinute: e.WRONG_CODES_PER_MINUTE,
    wrongCodesPerAddressPerMinute: e.WRONG_CODES_PER_ADDRESS_PER_MINUTE,
    disconnectGraceMs: e.DISCONNECT_GRACE_MS,
    sessionTtlMs: e.SESSION_TTL_MS,
    roomTtlMs: e.ROOM_TTL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: e.DRAIN_DELAY_MS,
    reconnectAfterMs: e.RECONNECT_AFTER_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    pingTimeoutMs: e.PING_TIMEOUT_MS,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    maxRooms: e.MAX_ROOMS,
    roomsPerSessionPer10Minutes: e.ROOMS_PER_SESSION,
    sessionOpenTimeoutMs: e.SESSION_OPEN_TIMEOUT_MS,
    httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    roomCheckIntervalMs: e.ROOM_CHECK_INTERVAL_MS,
    logLinesPerMinute: e.LOG_LINES_PER_MINUTE,
    presenceTtlMs: e.PRESENCE_TTL_MS,
  };
  const redisModes = [config.redisUrl !== undefined, config.redisSentinels.length > 0, config.redisClusterNodes.length > 0].filter(Boolean).length;
  if (redisModes > 1) problems.push('REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES: set at most one of them');
  if (config.clusterWorkers !== 0 && redisModes === 0) {
    problems.push('CLUSTER_WORKERS: workers share rooms and sessions through Redis; set REDIS_URL (a local redis-server will do)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Parses `host:port` items, adding a problem for each that is not one. */
function hostPorts(items: string[], name: string, problems: string[]): { host: string; port: number }[] {
  return items.flatMap((item) => {
    const match = /^([^:\s]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      problems.push(`${name}: "${item}" is not host:port`);
      return [];
    }
    return [{ host: match[1] as string, port }];
  });
}

/** Whether rooms and sessions are shared through Redis (in any of its three set-ups). */
export function usesRedis(config: GatewayConfig): boolean {
  return config.redisUrl !== undefined || config.redisSentinels.length > 0 || config.redisClusterNodes.length > 0;
}
