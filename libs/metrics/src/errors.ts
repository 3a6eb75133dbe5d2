/**
 * The errors the metrics library throws: only `INVALID_ARGUMENT`, from {@link createGatewayMetrics}, for bad
 * options or a registry that already has the gateway metrics. Recording never throws for a valid label set.
 */
export { GameBuddiesError, InvalidArgumentError, isGameBuddiesError } from '@gamebuddies/core';

/** Every error code the metrics library throws. Stable across releases. */
export const MetricsErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;
