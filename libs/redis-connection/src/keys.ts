import { InvalidArgumentError } from '@gamebuddies/core';

/** The key prefix used when none is given. */
export const DEFAULT_KEY_PREFIX = 'gb:';

/**
 * Checks a key prefix: 1–64 printable characters without braces (braces would break the hash tags that keep
 * one room's keys in one Redis Cluster slot) or whitespace.
 * @throws InvalidArgumentError naming the rule it breaks.
 */
export function validateKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 64) {
    throw new InvalidArgumentError('keyPrefix must be a string of 1 to 64 characters', { keyPrefix: prefix });
  }
  if (/[{}\s]/.test(prefix)) {
    throw new InvalidArgumentError('keyPrefix may not hold braces or whitespace', { keyPrefix: prefix });
  }
  return prefix;
}
