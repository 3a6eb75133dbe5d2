import { InvalidArgumentError } from '@gamebuddies/core';

/**
 * The whole state of the seeded generator: four unsigned 32-bit integers. It is plain JSON and lives in the
 * room's runtime state, so a room restored on another server draws the same numbers next.
 */
export type RandomState = [number, number, number, number];

/** A seeded source of randomness for game code. Never use `Math.random` in a game: replays would differ. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /**
   * An integer in [min, max], both included.
   * @throws InvalidArgumentError when the bounds are not integers or `max < min`.
   */
  int(min: number, max: number): number;
  /**
   * One element of `items`, chosen uniformly.
   * @throws InvalidArgumentError when `items` is empty.
   */
  pick<T>(items: readonly T[]): T;
  /** A new array with the elements of `items` in a uniformly random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/** Derives a generator state from a seed string (cyrb128 hash), so any string is a valid seed. */
export function seedRandomState(seed: string): RandomState {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044813);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044813);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const state: RandomState = [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
  // The first outputs of sfc32 still show the seed's structure; stir a few times before use.
  const stir = createRandom(state);
  for (let i = 0; i < 12; i++) stir.next();
  return state;
}

/** True when `value` is a valid {@link RandomState}. */
export function isRandomState(value: unknown): value is RandomState {
  return Array.isArray(value) && value.length === 4 && value.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff);
}

/**
 * A generator (sfc32) that reads and advances `state` in place: after drawing, `state` holds where the
 * sequence continues.
 */
export function createRandom(state: RandomState): Random {
  const next = (): number => {
    const [a, b, c, d] = state;
    const nextD = (d + 1) | 0;
    const t = (((a + b) | 0) + nextD) | 0;
    state[3] = nextD >>> 0;
    state[0] = (b ^ (b >>> 9)) >>> 0;
    state[1] = (c + (c << 3)) >>> 0;
    const rotated = (c << 21) | (c >>> 11);
    state[2] = (rotated + t) >>> 0;
    return (t >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new InvalidArgumentError(`random.int needs integers with min <= max, got ${min} and ${max}`, { min, max });
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new InvalidArgumentError('random.pick needs at least one item');
      return items[int(0, items.length - 1)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const result = [...items];
      for (let i = result.length - 1; i > 0; i--) {
        const j = int(0, i);
        [result[i], result[j]] = [result[j] as T, result[i] as T];
      }
      return result;
    },
  };
}
