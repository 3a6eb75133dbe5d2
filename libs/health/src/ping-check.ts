import { performance } from 'node:perf_hooks';
import { checkIdentity, type CommonCheckOptions } from './check-options';
import { describeError, roundTo } from './format';
import type { CheckOutcome, HealthCheck } from './health-check';

/** Options of {@link pingCheck}. */
export type PingCheckOptions = Omit<CommonCheckOptions, 'name'>;

/**
 * Checks a dependency by calling `ping` and timing the answer (figure `latencyMs`). It fails when `ping`
 * rejects, or when it does not answer within `timeoutMs` (default 1000). For Redis:
 * `pingCheck('redis', () => redis.ping())`.
 */
export function pingCheck(name: string, ping: () => Promise<unknown>, options: PingCheckOptions = {}): HealthCheck {
  return {
    ...checkIdentity({ ...options, name }, name),
    async run(): Promise<CheckOutcome> {
      const startedAt = performance.now();
      try {
        await ping();
      } catch (error) {
        const latencyMs = roundTo(performance.now() - startedAt, 3);
        return { status: 'fail', figures: { latencyMs }, message: `${name} did not answer: ${describeError(error)}` };
      }
      return { status: 'pass', figures: { latencyMs: roundTo(performance.now() - startedAt, 3) } };
    },
  };
}
