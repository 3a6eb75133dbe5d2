import { InvalidArgumentError } from '@gamebuddies/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS_SECONDS, PLAYERS_PER_ROOM_BUCKETS } from './buckets';
import { observeDuration } from './duration-timers';
import { GATEWAY_METRIC_NAMES, REJECTED_EVENT_REASONS } from './metric-names';
import { validateGatewayMetricsOptions, type GatewayMetricsOptions } from './metrics-options';

/**
 * The instruments a gateway records into, all on one registry. Label values must come from a fixed set (game
 * ids, event names the gateway knows, error codes): never put a room code, a player id or a name a client
 * sent in a label, or every new value becomes a new time series.
 */
export interface GatewayMetrics {
  /** The registry every instrument below is registered on. */
  readonly registry: Registry;
  /** `active_connections`: Socket.IO connections open on this process (inc on connect, dec on disconnect). */
  readonly connections: Gauge;
  /** `connections_opened_total`: connections accepted since start; its rate is the connection churn. */
  readonly connectionsOpened: Counter;
  /** `active_rooms`: rooms whose game this process runs. */
  readonly rooms: Gauge;
  /** `rooms_created_total{gameId}`: rooms created on this process. */
  readonly roomsCreated: Counter<'gameId'>;
  /** `rooms_closed_total{gameId,reason}`: rooms closed on this process, e.g. reason `finished`, `empty`, `expired`. */
  readonly roomsClosed: Counter<'gameId' | 'reason'>;
  /** `players_per_room`: the number of players in a room, observed when its game starts. */
  readonly playersPerRoom: Histogram;
  /** `event_duration_seconds{event}`: time from receiving a client event to acknowledging it. */
  readonly eventDuration: Histogram<'event'>;
  /** `store_operation_duration_seconds{operation,backend}`: room and session store calls, failures included. */
  readonly storeOperationDuration: Histogram<'operation' | 'backend'>;
  /** `errors_total{code}`: errors answered to clients or logged, by their stable code. */
  readonly errors: Counter<'code'>;
  /** `rate_limited_events_total{event}`: events refused by the per-connection rate limit. */
  readonly rateLimited: Counter<'event'>;
  /** `rejected_events_total{reason}`: events refused before handling (see {@link REJECTED_EVENT_REASONS}). */
  readonly rejectedEvents: Counter<'reason'>;
  /** `reconnections_total`: players who came back to their seat with their session token. */
  readonly reconnections: Counter;
  /**
   * Starts timing the handling of one client event; call the returned function when it is acknowledged. It
   * observes the duration in `eventDuration` and returns it in seconds.
   */
  timeEvent(event: string): () => number;
  /**
   * Runs a store call and observes its duration in `storeOperationDuration`, also when it fails; returns or
   * rethrows what the call did. `work` is a function (timed from the call) or a promise already started.
   */
  timeStoreOperation<T>(operation: string, backend: string, work: (() => Promise<T>) | Promise<T>): Promise<T>;
}

/**
 * Creates the gateway's metrics on the registry passed in (and prom-client's default process metrics, unless
 * `collectDefault` is false). Nothing touches the global default registry, so several gateways, or tests, can
 * each have their own registry in one process. Call it once per registry.
 * @throws InvalidArgumentError for bad options (all named at once), or when this registry already has gateway
 *   metrics with this prefix.
 */
export function createGatewayMetrics(options: GatewayMetricsOptions): GatewayMetrics {
  validateGatewayMetricsOptions(options);
  const { registry, prefix = 'gamebuddies_', collectDefault = true, defaultLabels } = options;
  const name = (key: keyof typeof GATEWAY_METRIC_NAMES): string => prefix + GATEWAY_METRIC_NAMES[key];
  if (registry.getSingleMetric(name('connections')) !== undefined) {
    throw new InvalidArgumentError(`this registry already has the gateway metrics with prefix "${prefix}": create them once per registry`, {
      prefix,
    });
  }
  if (defaultLabels !== undefined) registry.setDefaultLabels(defaultLabels);
  if (collectDefault) collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];

  const eventDuration = new Histogram({
    name: name('eventDuration'),
    help: 'Time from receiving a client event to acknowledging it, in seconds, by event.',
    labelNames: ['event'] as const,
    buckets: [...DURATION_BUCKETS_SECONDS],
    registers,
  });
  const storeOperationDuration = new Histogram({
    name: name('storeOperationDuration'),
    help: 'Duration of room and session store calls in seconds, failed ones included, by operation and backend.',
    labelNames: ['operation', 'backend'] as const,
    buckets: [...DURATION_BUCKETS_SECONDS],
    registers,
  });
  const rejectedEvents = new Counter({
    name: name('rejectedEvents'),
    help: 'Client events and connections refused before handling, by reason (unknown_event, invalid_payload, too_large, origin, server_full, address_full, no_session, cut_off).',
    labelNames: ['reason'] as const,
    registers,
  });
  // Known reasons start at 0, so rate() and alerts see them before the first rejection.
  for (const reason of REJECTED_EVENT_REASONS) rejectedEvents.inc({ reason }, 0);

  return {
    registry,
    connections: new Gauge({ name: name('connections'), help: 'Socket.IO connections open on this process.', registers }),
    connectionsOpened: new Counter({ name: name('connectionsOpened'), help: 'Socket.IO connections accepted since the process started.', registers }),
    rooms: new Gauge({ name: name('rooms'), help: 'Rooms whose game this process runs.', registers }),
    roomsCreated: new Counter({ name: name('roomsCreated'), help: 'Rooms created on this process, by game.', labelNames: ['gameId'] as const, registers }),
    roomsClosed: new Counter({
      name: name('roomsClosed'),
      help: 'Rooms closed on this process, by game and reason.',
      labelNames: ['gameId', 'reason'] as const,
      registers,
    }),
    playersPerRoom: new Histogram({
      name: name('playersPerRoom'),
      help: 'Players in a room, observed when its game starts.',
      buckets: [...PLAYERS_PER_ROOM_BUCKETS],
      registers,
    }),
    eventDuration,
    storeOperationDuration,
    errors: new Counter({ name: name('errors'), help: 'Errors answered to clients or logged, by error code.', labelNames: ['code'] as const, registers }),
    rateLimited: new Counter({ name: name('rateLimited'), help: 'Client events refused by the rate limit, by event.', labelNames: ['event'] as const, registers }),
    rejectedEvents,
    reconnections: new Counter({ name: name('reconnections'), help: 'Players who returned to their seat with their session token.', registers }),
    timeEvent: (event) => eventDuration.startTimer({ event }),
    timeStoreOperation: (operation, backend, work) => observeDuration(storeOperationDuration, { operation, backend }, work),
  };
}
