/**
 * The errors the health library throws: only `INVALID_ARGUMENT`, for a bad check or option, at registration or
 * creation time. Running checks never throws: a failure is a `fail` in the report.
 */
export { GameBuddiesError, InvalidArgumentError, isGameBuddiesError } from '@gamebuddies/core';

/** Every error code the health library throws. Stable across releases. */
export const HealthErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;
