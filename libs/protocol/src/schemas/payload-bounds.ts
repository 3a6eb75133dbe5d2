import type { PayloadIssue } from './payload-issue';

/** Bounds every client payload must keep before any schema looks at it. */
export interface PayloadBounds {
  /** Deepest nesting of objects and arrays (the payload itself is level 1). */
  maxDepth: number;
  /** Most values (object members, array items and the leaves) in the whole payload. */
  maxNodes: number;
}

/** The bounds the gateway applies: deep enough for any game, shallow enough that no check can overflow. */
export const DEFAULT_PAYLOAD_BOUNDS: PayloadBounds = Object.freeze({ maxDepth: 32, maxNodes: 10_000 });

/**
 * Walks a payload without recursion and reports the first bound it breaks, or null. Schemas (and games'
 * own validators) recurse, so a payload nested thousands of levels deep must be refused before they run.
 */
export function checkPayloadBounds(payload: unknown, bounds: PayloadBounds = DEFAULT_PAYLOAD_BOUNDS): PayloadIssue | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const stack: { value: object; depth: number }[] = [{ value: payload, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: object; depth: number };
    if (depth > bounds.maxDepth) return { path: [], message: `nested deeper than ${bounds.maxDepth} levels` };
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    nodes += children.length;
    if (nodes > bounds.maxNodes) return { path: [], message: `more than ${bounds.maxNodes} values` };
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}
