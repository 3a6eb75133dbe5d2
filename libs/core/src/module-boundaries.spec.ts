import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** The boundary errors ESLint reports for `source` as if it were the file at `path` (from the workspace root). */
async function boundaryErrors(path: string, target: string): Promise<string[]> {
  const source = `import * as probe from '${target}';\nexport const used = probe;\n`;
  const eslint = join(workspaceRoot, 'node_modules', '.bin', 'eslint');
  const linting = run(eslint, ['--stdin', '--stdin-filename', path, '--format', 'json'], { cwd: workspaceRoot });
  linting.child.stdin?.end(source);
  // ESLint exits 1 when it found errors; its JSON report is on stdout either way.
  const { stdout } = await linting.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
  const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

/** The layers are enforced by ESLint's module-boundary rule: these imports fail lint, those pass. */
describe('module boundaries', () => {
  it.each([
    ['libs/core/src/probe.ts', '@gamebuddies/client', false],
    ['libs/core/src/probe.ts', '@gamebuddies/metrics', false],
    ['libs/metrics/src/probe.ts', '@gamebuddies/client', false],
    ['libs/client/src/probe.ts', '@gamebuddies/protocol', true],
    ['libs/metrics/src/probe.ts', '@gamebuddies/core', true],
  ])('%s importing %s is allowed: %s', async (path, target, isAllowed) => {
    const errors = await boundaryErrors(path, target);
    expect(errors.length === 0).toBe(isAllowed);
  }, 60_000);
});
