import { assertNoProblems, checkIdentity, fractionProblem, type CommonCheckOptions } from './check-options';
import { describeError, percent, roundTo } from './format';
import type { CheckOutcome, HealthCheck } from './health-check';
import { countOpenFileDescriptors, readOpenFileLimit } from './process-files';

/** Options of {@link fileDescriptorCheck}. */
export interface FileDescriptorCheckOptions extends CommonCheckOptions {
  /** The share of the soft limit above which the check fails (default 0.8). */
  maxFraction?: number;
  /** Where the process's `fd` folder and `limits` file are (default `/proc/self`). */
  procDir?: string;
}

/**
 * Compares the file descriptors the process has open (every socket is one) with its soft limit, both read
 * from `/proc`, and fails above `maxFraction` of the limit. Figures: `open`, `limit`, `fraction`,
 * `maxFraction`. Where `/proc` is missing (macOS, Windows) it answers `warn` saying it cannot measure, rather
 * than guessing. Name `fileDescriptors` by default.
 * @throws InvalidArgumentError when `maxFraction` is not in (0, 1].
 */
export function fileDescriptorCheck(options: FileDescriptorCheckOptions = {}): HealthCheck {
  const { maxFraction = 0.8, procDir = '/proc/self' } = options;
  assertNoProblems('fileDescriptorCheck options', [fractionProblem('maxFraction', maxFraction)]);
  return {
    ...checkIdentity(options, 'fileDescriptors'),
    async run(): Promise<CheckOutcome> {
      let open: number;
      let limit: number | 'unlimited' | undefined;
      try {
        [open, limit] = await Promise.all([countOpenFileDescriptors(procDir), readOpenFileLimit(procDir)]);
      } catch (error) {
        const reason = describeError(error);
        return { status: 'warn', message: `open file descriptors cannot be measured on ${process.platform} (${reason})` };
      }
      if (limit === undefined) {
        return { status: 'warn', figures: { open }, message: `no "Max open files" limit in ${procDir}/limits` };
      }
      if (limit === 'unlimited') return { status: 'pass', figures: { open, limit, maxFraction } };
      const fraction = open / limit;
      const figures = { open, limit, fraction: roundTo(fraction, 6), maxFraction };
      return fraction > maxFraction
        ? { status: 'fail', figures, message: `${open} open file descriptors are ${percent(fraction)} of the limit of ${limit}, over the ${percent(maxFraction)} allowed` }
        : { status: 'pass', figures };
    },
  };
}
