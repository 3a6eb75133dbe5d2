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
  // The path is kept as a stack of keys and turned into text only when something is wrong: this check runs on
  // every stored write, so the common case allocates nothing per node.
  const keys: (string | number)[] = [];
  const ancestors: object[] = [];
  const fail = (reason: (path: string) => string): never => {
    const path = label + keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
    throw new InvalidArgumentError(reason(path), { path });
  };
  const visit = (v: unknown, depth: number): void => {
    if (v === null) return;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(v)) fail((path) => `${path} is ${v}, which JSON cannot hold`);
        return;
      case 'object':
        break;
      default:
        fail((path) => `${path} is a ${typeof v}, not JSON data`);
    }
    const node = v as object;
    if (depth >= maxDepth) fail((path) => `${path} is nested deeper than ${maxDepth} levels`);
    if (ancestors.includes(node)) fail((path) => `${path} refers back to itself (a cycle)`);
    ancestors.push(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        keys.push(i);
        visit(node[i], depth + 1);
        keys.pop();
      }
    } else {
      const proto: unknown = Object.getPrototypeOf(node);
      if (proto !== Object.prototype && proto !== null) {
        const name = (node as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
        fail((path) => `${path} is an instance of ${name}, not a plain object`);
      }
      for (const key in node) {
        if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
        keys.push(key);
        visit((node as Record<string, unknown>)[key], depth + 1);
        keys.pop();
      }
    }
    ancestors.pop();
  };
  visit(value, 0);
}

/** True when `value` is a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
