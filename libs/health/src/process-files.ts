import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How many file descriptors the process has open, counted from `<procDir>/fd` (Linux `/proc/self/fd`). The
 * listing itself holds one descriptor on that directory while it reads, which is not counted.
 * @throws the `readdir` error (e.g. `ENOENT`) where there is no such directory.
 */
export async function countOpenFileDescriptors(procDir = '/proc/self'): Promise<number> {
  const entries = await readdir(join(procDir, 'fd'));
  return Math.max(0, entries.length - 1);
}

/**
 * The soft limit on open files (`ulimit -n`), read from the "Max open files" line of `<procDir>/limits`:
 * a number, `'unlimited'`, or `undefined` when the file has no such line.
 * @throws the `readFile` error (e.g. `ENOENT`) where there is no such file.
 */
export async function readOpenFileLimit(procDir = '/proc/self'): Promise<number | 'unlimited' | undefined> {
  const text = await readFile(join(procDir, 'limits'), 'utf8');
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined) return undefined;
  if (soft === 'unlimited') return 'unlimited';
  const limit = Number(soft);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
}
