import { InvalidArgumentError } from './errors';

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Limits for {@link assertJsonValue}. */
export interface JsonLimits {
  /** Deepest nesting allowed (default 64). */
  maxDepth?: number;
}

/**
 * Checks that `value` is plain JSON data: objects with a plain prototype, arrays, strings, finite numbers,
 * booleans and null. Rejects functions, class instances (Date, Map, …), `undefined`, NaN/Infinity, symbols,
 * bigints and cycles, so that what is stored reads back exactly as written.
 * @throws InvalidArgumentError naming the first offending path, e.g. `state.players[2].joinedAt`.
 */
export function assertJsonValue(value: unknown, label = 'value', limits: JsonLimits = {}): asserts value is JsonValue {
  const maxDepth = limits.maxDepth ?? 64;
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): void => {
    if (depth > maxDepth) throw new InvalidArgumentError(`${path} is nested deeper than ${maxDepth} levels`, { path });
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`${path} is ${v}, which JSON cannot hold`, { path });
      return;
    }
    if (typeof v !== 'object') throw new InvalidArgumentError(`${path} is a ${typeof v}, not JSON data`, { path });
    if (ancestors.has(v)) throw new InvalidArgumentError(`${path} refers back to itself (a cycle)`, { path });
    ancestors.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${path}[${i}]`, depth + 1));
    } else {
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
        throw new InvalidArgumentError(`${path} is an instance of ${name}, not a plain object`, { path });
      }
      for (const [key, item] of Object.entries(v)) visit(item, `${path}.${key}`, depth + 1);
    }
    ancestors.delete(v);
  };
  visit(value, label, 0);
}

/** True when `value` is a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
