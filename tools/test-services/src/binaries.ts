import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to install each binary the helpers start, for the error a missing one gives. */
const INSTALL_HINTS: Record<string, string> = {
  'redis-server': 'apt-get install -y redis-server (or run tools/install-system-deps.sh)',
  'redis-cli': 'apt-get install -y redis-tools (or run tools/install-system-deps.sh)',
  'redis-benchmark': 'apt-get install -y redis-tools (or run tools/install-system-deps.sh)',
  chromium: 'apt-get install -y chromium (or run tools/install-system-deps.sh)',
  haproxy: 'apt-get install -y haproxy (or run tools/install-system-deps.sh)',
  nginx: 'apt-get install -y nginx (or run tools/install-system-deps.sh)',
  promtool: 'apt-get install -y prometheus, which brings promtool (or run tools/install-system-deps.sh)',
};

/** Where Debian puts daemons (haproxy, nginx): searched after PATH, which for a non-root user often lacks them. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/**
 * Finds an executable on PATH (then in the sbin folders, where Debian puts haproxy and nginx).
 * @throws Error with the install command when it is missing: a missing service is a failure, never a skip.
 */
export function requireBinary(name: string): string {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), ...SYSTEM_DIRS]) {
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
