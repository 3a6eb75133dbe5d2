import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args';
import { renderChart, renderStepTable } from './report';
import { runLoad } from './run';
import type { RunResult } from './types';

function writeFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv, process.stderr.isTTY === true);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`gamebuddies-loadtest: ${error.message}\n(see --help)\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: RunResult;
  try {
    result = await runLoad(command.options, { signal: stop.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { json, markdown, svg } = command.outputs;
  if (json !== undefined) writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  if (markdown !== undefined) writeFile(markdown, renderStepTable(result.steps));
  if (svg !== undefined) writeFile(svg, renderChart([{ label: `${result.options.game} (${result.options.transport})`, steps: result.steps }]));
  if (!command.isQuiet) process.stdout.write(`${renderStepTable(result.steps)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`gamebuddies-loadtest: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
