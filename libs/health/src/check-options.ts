import { InvalidArgumentError } from '@gamebuddies/core';
import type { CheckKind, HealthCheck } from './health-check';

/** Names a bad positive number (e.g. a timeout), or returns undefined when `value` is fine or absent. */
export function positiveNumberProblem(path: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Number.isFinite(value) && value > 0 ? undefined : `${path} must be a positive number, got ${String(value)}`;
}

/** Names a bad fraction of a limit: it must lie in (0, 1]. */
export function fractionProblem(path: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Number.isFinite(value) && value > 0 && value <= 1
    ? undefined
    : `${path} must be a fraction in (0, 1], got ${String(value)}`;
}

/** Names a bad check name or kind. */
export function identityProblems(name: unknown, kind: unknown): (string | undefined)[] {
  return [
    typeof name === 'string' && name.trim() !== '' ? undefined : `name must be a non-empty string, got ${JSON.stringify(name)}`,
    kind === 'liveness' || kind === 'readiness' ? undefined : `kind must be 'liveness' or 'readiness', got ${JSON.stringify(kind)}`,
  ];
}

/**
 * Throws one error naming every problem found, so a bad configuration is fixed in one go.
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`, `details.problems`) when any problem is present.
 */
export function assertNoProblems(subject: string, problems: (string | undefined)[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new InvalidArgumentError(`invalid ${subject}: ${found.join('; ')}`, { problems: found });
}

/** The options every built-in check factory accepts. */
export interface CommonCheckOptions {
  /** The key of the check in the report (each factory has its own default). */
  name?: string;
  /** Which probe runs it (default `readiness`). */
  kind?: CheckKind;
  /** How long a run may take (default 1000 ms). */
  timeoutMs?: number;
}

/** The name, kind and timeout of a built-in check, with its defaults applied. */
export function checkIdentity(options: CommonCheckOptions, defaultName: string): Pick<HealthCheck, 'name' | 'kind' | 'timeoutMs'> {
  return { name: options.name ?? defaultName, kind: options.kind ?? 'readiness', timeoutMs: options.timeoutMs };
}
