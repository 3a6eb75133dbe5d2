import { InvalidArgumentError, silentLogger, systemClock, type Clock, type Logger } from '@gamebuddies/core';
import { assertNoProblems, identityProblems, positiveNumberProblem } from './check-options';
import type { CheckKind, CheckStatus, HealthCheck } from './health-check';
import type { CheckResult, HealthReport } from './health-report';
import { runCheck } from './run-check';

/** The name of the entry readiness reports for {@link HealthRegistry.setDraining}; no check may take it. */
export const DRAINING_CHECK_NAME = 'draining';

/** What a {@link HealthRegistry} is built with. */
export interface HealthRegistryOptions {
  /** Stamps `checkedAt` (default the wall clock). */
  clock?: Clock;
  /** Hears when a check changes status (default silent). */
  logger?: Logger;
}

/**
 * The named checks of one process, run on demand for the liveness and readiness probes. Checks run
 * concurrently, each bounded by its timeout; a probe never throws and never waits longer than its slowest
 * check's timeout. Two probes that arrive while a check is still running share that run instead of piling up
 * calls on a dependency that is already slow.
 */
export class HealthRegistry {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly checks = new Map<string, HealthCheck>();
  private readonly runs = new Map<HealthCheck, Promise<CheckResult>>();
  private readonly lastStatus = new Map<string, CheckStatus>();
  private draining = false;

  constructor(options: HealthRegistryOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Adds a check to the probes of its kind.
   * @throws InvalidArgumentError when the name is empty, taken or `draining`, the kind unknown, the timeout
   *   not a positive number or `run` not a function.
   */
  register(check: HealthCheck): this {
    assertNoProblems(`health check ${JSON.stringify(check.name)}`, [
      ...identityProblems(check.name, check.kind),
      positiveNumberProblem('timeoutMs', check.timeoutMs),
      typeof check.run === 'function' ? undefined : 'run must be a function',
    ]);
    if (check.name === DRAINING_CHECK_NAME) {
      throw new InvalidArgumentError(`the check name "${DRAINING_CHECK_NAME}" is reserved for setDraining`, { name: check.name });
    }
    if (this.checks.has(check.name)) {
      throw new InvalidArgumentError(`a health check named ${JSON.stringify(check.name)} is already registered`, { name: check.name });
    }
    this.checks.set(check.name, check);
    return this;
  }

  /** Removes a check by name; `false` if there was none. Does not dispose it. */
  unregister(name: string): boolean {
    this.lastStatus.delete(name);
    return this.checks.delete(name);
  }

  /** True after `setDraining(true)`: readiness fails at once so load balancers stop sending players. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Marks the process as shutting down (or back in service). Readiness fails from the next probe on. */
  setDraining(isDraining: boolean): void {
    if (isDraining === this.draining) return;
    this.draining = isDraining;
    this.logger.info({ isDraining }, isDraining ? 'draining: readiness now fails' : 'no longer draining');
  }

  /** Runs the liveness checks: is the process itself working? */
  liveness(): Promise<HealthReport> {
    return this.report(['liveness']);
  }

  /**
   * Runs the liveness and readiness checks: should this process receive players? While draining it answers
   * `fail` at once with only the `draining` entry, without running the checks.
   */
  readiness(): Promise<HealthReport> {
    return this.report(['liveness', 'readiness']);
  }

  private async report(kinds: CheckKind[]): Promise<HealthReport> {
    const checkedAt = new Date(this.clock.now()).toISOString();
    const isReadiness = kinds.includes('readiness');
    if (isReadiness && this.draining) {
      const draining: CheckResult = { status: 'fail', durationMs: 0, message: 'the process is shutting down' };
      return { status: 'fail', checks: { [DRAINING_CHECK_NAME]: draining }, checkedAt };
    }
    const selected = [...this.checks.values()].filter((check) => kinds.includes(check.kind));
    const results = await Promise.all(selected.map(async (check) => [check.name, await this.runShared(check)] as const));
    const checks: Record<string, CheckResult> = {};
    let status: HealthReport['status'] = 'pass';
    for (const [name, result] of results) {
      checks[name] = result;
      if (result.status === 'fail') status = 'fail';
      this.noteStatus(name, result);
    }
    if (isReadiness) checks[DRAINING_CHECK_NAME] = { status: 'pass', durationMs: 0 };
    return { status, checks, checkedAt };
  }

  private runShared(check: HealthCheck): Promise<CheckResult> {
    let run = this.runs.get(check);
    if (run === undefined) {
      run = runCheck(check).finally(() => this.runs.delete(check));
      this.runs.set(check, run);
    }
    return run;
  }

  /** Logs changes only: probes come every few seconds, and a steady state is not news. */
  private noteStatus(name: string, result: CheckResult): void {
    const previous = this.lastStatus.get(name) ?? 'pass';
    this.lastStatus.set(name, result.status);
    if (result.status === previous) return;
    const fields = { check: name, status: result.status, previous, message: result.message, figures: result.figures };
    if (result.status === 'pass') this.logger.info(fields, `health check ${name} passes again`);
    else this.logger.warn(fields, `health check ${name}: ${result.status}`);
  }
}
