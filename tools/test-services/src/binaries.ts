import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to install each binary the helpers start, for the error a missing one gives. */
const INSTALL_HINTS: Record<string, string> = {
  'redis-server': 'apt-get install -y redis-server (or run tools/install-system-deps.sh)',
  'redis-cli': 'apt-get install -y redis-tools (or run tools/install-system-deps.sh)',
  'redis-benchmark': 'apt-get install -y redis-tools (or run tools/install-system-deps.sh)',
  chromium: 'apt-get install -y chromium (or run tools/install-system-deps.sh)',
};

/**
 * Finds an executable on PATH.
 * @throws Error with the install command when it is missing: a missing service is a failure, never a skip.
 */
export function requireBinary(name: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  const hint = INSTALL_HINTS[name] ?? `install ${name}`;
  throw new Error(`${name} was not found on PATH, and these tests need the real one. Install it: ${hint}`);
}
