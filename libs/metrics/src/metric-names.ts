/**
 * The name of every gateway metric without its prefix (`gamebuddies_` by default), by the property of
 * {@link GatewayMetrics} that holds it. Counters end in `_total`, durations in `_seconds`, as Prometheus
 * expects.
 */
export const GATEWAY_METRIC_NAMES = Object.freeze({
  connections: 'active_connections',
  connectionsOpened: 'connections_opened_total',
  rooms: 'active_rooms',
  roomsCreated: 'rooms_created_total',
  roomsClosed: 'rooms_closed_total',
  playersPerRoom: 'players_per_room',
  eventDuration: 'event_duration_seconds',
  storeOperationDuration: 'store_operation_duration_seconds',
  errors: 'errors_total',
  rateLimited: 'rate_limited_events_total',
  rejectedEvents: 'rejected_events_total',
  reconnections: 'reconnections_total',
} as const);

/** Why the gateway refused a client event without handling it: the values of `rejected_events_total{reason}`. */
export const REJECTED_EVENT_REASONS = Object.freeze(['unknown_event', 'invalid_payload', 'too_large', 'origin', 'server_full', 'address_full', 'no_session', 'cut_off'] as const);

/** One of {@link REJECTED_EVENT_REASONS}. */
export type RejectedEventReason = (typeof REJECTED_EVENT_REASONS)[number];
