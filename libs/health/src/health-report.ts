import type { CheckOutcome } from './health-check';

/** One check's entry in a {@link HealthReport}. */
export interface CheckResult extends CheckOutcome {
  /** How long the run took, in milliseconds (the timeout when it timed out). */
  durationMs: number;
}

/** What a probe answers: `fail` if any check failed, else `pass` (checks that `warn` still pass). */
export interface HealthReport {
  status: 'pass' | 'fail';
  checks: Record<string, CheckResult>;
  /** When the checks ran, as an ISO 8601 timestamp from the registry's clock. */
  checkedAt: string;
}

/** The HTTP status to answer a probe with: 200 when the report passes (warnings included), 503 when it fails. */
export function reportHttpStatus(report: HealthReport): 200 | 503 {
  return report.status === 'pass' ? 200 : 503;
}
