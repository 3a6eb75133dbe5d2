/** prom-client's registry, re-exported so callers build the one they pass in from the same copy of prom-client. */
export { Registry } from 'prom-client';
export { DURATION_BUCKETS_SECONDS, PLAYERS_PER_ROOM_BUCKETS } from './buckets';
export { observeDuration } from './duration-timers';
export { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics';
export { GATEWAY_METRIC_NAMES, REJECTED_EVENT_REASONS, type RejectedEventReason } from './metric-names';
export { validateGatewayMetricsOptions, type GatewayMetricsOptions } from './metrics-options';
export { renderMetrics, type RenderedMetrics } from './render-metrics';
export * from './errors';
