import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countOpenFileDescriptors, fileDescriptorCheck, HealthRegistry, readOpenFileLimit, type CheckOutcome } from './index';

describe('fileDescriptorCheck', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gb-health-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the open descriptors against the soft limit that `ulimit -n` shows', async () => {
    const outcome = (await fileDescriptorCheck().run()) as CheckOutcome;
    const figures = outcome.figures as Record<string, number>;
    expect(outcome.status).toBe('pass');
    expect(figures['open']).toBeGreaterThanOrEqual(3); // stdin, stdout, stderr at least
    expect(figures['limit']).toBe(Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()));
    expect(figures['fraction']).toBeCloseTo(figures['open']! / figures['limit']!, 5);
    expect(figures['maxFraction']).toBe(0.8);
  });

  it('counts files this process opens', async () => {
    const before = await countOpenFileDescriptors();
    const handles: FileHandle[] = [];
    try {
      for (let i = 0; i < 5; i++) handles.push(await open(join(dir, `f${i}`), 'w'));
      const outcome = (await fileDescriptorCheck().run()) as CheckOutcome;
      // Other work in this process (the test runner) may open a descriptor meanwhile.
      expect(outcome.figures!['open']).toBeGreaterThanOrEqual(before + 5);
      expect(outcome.figures!['open']).toBeLessThanOrEqual(before + 8);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect(await countOpenFileDescriptors()).toBe(before);
  });

  it('fails readiness over a tiny fraction of the limit', async () => {
    const report = await new HealthRegistry().register(fileDescriptorCheck({ maxFraction: 0.000001 })).readiness();
    expect(report.status).toBe('fail');
    expect(report.checks['fileDescriptors']!.message).toMatch(/^\d+ open file descriptors are [\d.]+% of the limit of \d+, over the 0% allowed$/);
  });

  it('warns that it cannot measure where there is no /proc, instead of guessing', async () => {
    const outcome = (await fileDescriptorCheck({ procDir: join(dir, 'no-proc') }).run()) as CheckOutcome;
    expect(outcome.status).toBe('warn');
    expect(outcome.message).toMatch(/^open file descriptors cannot be measured on \w+ \(ENOENT/);
    const report = await new HealthRegistry().register(fileDescriptorCheck({ procDir: join(dir, 'no-proc') })).readiness();
    expect(report.status).toBe('pass');
  });
});

describe('readOpenFileLimit', () => {
  const limitsFile = (dir: string, line: string): string => {
    writeFileSync(join(dir, 'limits'), `Limit                     Soft Limit           Hard Limit           Units\n${line}\n`);
    return dir;
  };

  it('reads a number, unlimited, or nothing from a limits file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-limits-'));
    try {
      expect(await readOpenFileLimit(limitsFile(dir, 'Max open files            1024                 4096                 files'))).toBe(1024);
      expect(await readOpenFileLimit(limitsFile(dir, 'Max open files            unlimited            unlimited            files'))).toBe('unlimited');
      expect(await readOpenFileLimit(limitsFile(dir, 'Max processes             63704                63704                processes'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
