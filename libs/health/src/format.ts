/** `value` rounded to `digits` decimals, for figures people read. */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `0.1234` as `12.34%`. */
export function percent(fraction: number): string {
  return `${roundTo(fraction * 100, 2)}%`;
}

/** The message of whatever a check threw or rejected with. */
export function describeError(error: unknown): string {
  // Duck-typed rather than `instanceof Error`: errors from another realm (a vm context, a worker) fail that test.
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return String(error);
}
