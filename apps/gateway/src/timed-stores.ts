import type { GatewayMetrics } from '@gamebuddies/metrics';

/**
 * Wraps a store so that every method that returns a promise is timed in `store_operation_duration_seconds`
 * as `<kind>.<method>` on `backend`. The store itself is unchanged; failures are timed and rethrown.
 */
export function timedStore<T extends object>(store: T, kind: string, backend: string, metrics: GatewayMetrics): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? metrics.timeStoreOperation(`${kind}.${property}`, backend, result) : result;
      };
    },
  });
}
