import { InvalidArgumentError } from '@gamebuddies/core';
import type { Registry } from 'prom-client';

/** What {@link createGatewayMetrics} is built with. */
export interface GatewayMetricsOptions {
  /** Where every metric is registered. Never the global default registry: pass `new Registry()`. */
  registry: Registry;
  /** Put before every metric name, default metrics included (default `gamebuddies_`). */
  prefix?: string;
  /** Also collect prom-client's default process metrics: CPU, heap, GC, event-loop lag, handles (default true). */
  collectDefault?: boolean;
  /** Labels added to every metric of the registry, e.g. `{ node: 'gateway-1' }` (set with `setDefaultLabels`). */
  defaultLabels?: Record<string, string>;
}

const METRIC_PREFIX = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Checks the options of {@link createGatewayMetrics} and names every bad value in one error.
 * @throws InvalidArgumentError (`details.problems`) for a missing registry, a prefix Prometheus does not
 *   accept, or a default label with a bad name (or one starting with `__`, which Prometheus reserves) or a
 *   value that is not a string.
 */
export function validateGatewayMetricsOptions(options: GatewayMetricsOptions): void {
  const problems: string[] = [];
  if (typeof options.registry?.registerMetric !== 'function') problems.push('registry must be a prom-client Registry');
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || !METRIC_PREFIX.test(options.prefix))) {
    problems.push(`prefix must match [a-zA-Z_:][a-zA-Z0-9_:]*, got ${JSON.stringify(options.prefix)}`);
  }
  for (const [name, value] of Object.entries(options.defaultLabels ?? {})) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) problems.push(`default label name ${JSON.stringify(name)} is not a Prometheus label name`);
    if (typeof value !== 'string') problems.push(`default label ${name} must be a string, got ${typeof value}`);
  }
  if (problems.length > 0) {
    throw new InvalidArgumentError(`invalid gateway metrics options: ${problems.join('; ')}`, { problems });
  }
}
