import { runBinary, waitUntil } from './index';

describe('runBinary', () => {
  it('returns what a command printed and its exit code', async () => {
    const result = await runBinary('redis-cli', ['--version']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^redis-cli \d+\.\d+/);
  });

  it('kills a command that runs past its timeout, by PID', async () => {
    const startedAt = Date.now();
    const result = await runBinary('node', ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 300 });
    expect(result.code).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(3000);
  });
});

describe('waitUntil', () => {
  it('returns the first value the probe gives that is not undefined or false', async () => {
    let calls = 0;
    expect(await waitUntil(() => (++calls >= 3 ? `after ${calls}` : false), { intervalMs: 1 })).toBe('after 3');
  });

  it('gives up after its timeout, naming what it waited for and the last error', async () => {
    const probe = (): Promise<boolean> => Promise.reject(new Error('not yet'));
    await expect(waitUntil(probe, { timeoutMs: 50, intervalMs: 10, description: 'the moon' })).rejects.toThrow(
      /timed out after 50 ms waiting for the moon \(last error: not yet\)/,
    );
  });
});
