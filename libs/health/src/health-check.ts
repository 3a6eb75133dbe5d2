/** What a check found: `pass`, `warn` (still serving, but look at it) or `fail` (take this process out). */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/**
 * Which probe a check belongs to. `liveness` checks say whether the process should be restarted, so they stay
 * few and cheap; `readiness` checks say whether it should receive traffic (dependencies, resources).
 */
export type CheckKind = 'liveness' | 'readiness';

/** Measured figures a check reports next to its status, e.g. `{ latencyMs: 0.42 }`. */
export type CheckFigures = Record<string, number | string | boolean>;

/** The answer of one run of a check. */
export interface CheckOutcome {
  status: CheckStatus;
  figures?: CheckFigures;
  /** Why the status is not `pass`, in words an operator understands. */
  message?: string;
}

/** A named check the {@link HealthRegistry} runs on every probe. */
export interface HealthCheck {
  /** Unique within a registry; the key of the check in the report. */
  name: string;
  kind: CheckKind;
  /** How long a run may take before it counts as `fail` (default {@link DEFAULT_CHECK_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Measures once. May throw or reject: that is reported as `fail` with the error's message. */
  run(): Promise<CheckOutcome> | CheckOutcome;
}

/** A check that holds a resource (a timer, a histogram) until {@link DisposableHealthCheck.dispose} is called. */
export interface DisposableHealthCheck extends HealthCheck {
  /** Releases what the check holds. A run after this reports `fail`. Safe to call twice. */
  dispose(): void;
}

/** The timeout of a check that does not set its own. */
export const DEFAULT_CHECK_TIMEOUT_MS = 1000;
