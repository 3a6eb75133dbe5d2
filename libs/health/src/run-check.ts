import { performance } from 'node:perf_hooks';
import { DEFAULT_CHECK_TIMEOUT_MS, type CheckOutcome, type HealthCheck } from './health-check';
import { describeError, roundTo } from './format';
import type { CheckResult } from './health-report';

const STATUSES: ReadonlySet<unknown> = new Set(['pass', 'warn', 'fail']);

/**
 * Runs one check and always settles: a throw, a rejection, a malformed answer or a run slower than the check's
 * timeout becomes `fail` with a message. A run that times out is left to finish on its own; its late answer
 * is dropped. Never rejects.
 */
export async function runCheck(check: HealthCheck): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  // Durations come from the monotonic clock: a wall clock stepped by NTP mid-run would make them negative.
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'fail', message: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const ran = Promise.resolve()
    .then(() => check.run())
    .then(toOutcome, (error: unknown): CheckOutcome => ({ status: 'fail', message: describeError(error) }));
  try {
    const { status, ...details } = await Promise.race([ran, timedOut]);
    return { status, durationMs: roundTo(performance.now() - startedAt, 2), ...details };
  } finally {
    clearTimeout(timer);
  }
}

/** Copies the documented fields of what a check returned; anything else is a broken check, reported as `fail`. */
function toOutcome(value: unknown): CheckOutcome {
  if (typeof value !== 'object' || value === null || !STATUSES.has((value as CheckOutcome).status)) {
    return { status: 'fail', message: `the check returned ${JSON.stringify(value) ?? String(value)}, not { status: 'pass' | 'warn' | 'fail' }` };
  }
  const { status, figures, message } = value as CheckOutcome;
  const outcome: CheckOutcome = { status };
  if (typeof figures === 'object' && figures !== null) outcome.figures = { ...figures };
  if (typeof message === 'string') outcome.message = message;
  return outcome;
}
