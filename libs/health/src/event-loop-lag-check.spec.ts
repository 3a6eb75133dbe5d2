import { setTimeout as sleep } from 'node:timers/promises';
import { eventLoopLagCheck, HealthRegistry, type CheckOutcome, type DisposableHealthCheck } from './index';

/** Keeps the thread busy, as a long synchronous computation would. */
function blockLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

describe('eventLoopLagCheck', () => {
  let check: DisposableHealthCheck;

  afterEach(() => check.dispose());

  it('passes on an idle loop and reports its lag percentiles from real samples', async () => {
    check = eventLoopLagCheck({ resolutionMs: 10 });
    await sleep(200);
    const outcome = (await check.run()) as CheckOutcome;
    expect(outcome.status).toBe('pass');
    expect(outcome.figures).toEqual({
      p50LagMs: expect.any(Number),
      p99LagMs: expect.any(Number),
      maxLagMs: expect.any(Number),
      samples: expect.any(Number),
      limitMs: 200,
    });
    const figures = outcome.figures as Record<string, number>;
    expect(figures['samples']).toBeGreaterThanOrEqual(5);
    expect(figures['p99LagMs']).toBeLessThan(200);
    expect(figures['p50LagMs']).toBeLessThanOrEqual(figures['p99LagMs']!);
    expect(figures['p99LagMs']).toBeLessThanOrEqual(figures['maxLagMs']!);
  });

  it('fails readiness when the loop was just blocked for 300 ms, and passes again afterwards', async () => {
    check = eventLoopLagCheck();
    const registry = new HealthRegistry().register(check);
    await sleep(100);
    expect((await registry.readiness()).status).toBe('pass');

    blockLoop(300);
    const blocked = await registry.readiness();
    expect(blocked.status).toBe('fail');
    expect(blocked.checks['eventLoopLag']!.message).toMatch(/^event-loop lag p99 is \d+(\.\d+)? ms, over the 200 ms limit$/);
    expect(blocked.checks['eventLoopLag']!.figures!['maxLagMs']).toBeGreaterThanOrEqual(250);

    await sleep(100);
    expect((await registry.readiness()).status).toBe('pass');
  });

  it('compares the statistic it is told to', async () => {
    check = eventLoopLagCheck({ statistic: 'p50', maxLagMs: 50, resolutionMs: 10 });
    await sleep(150);
    blockLoop(120);
    // One late sample among a dozen on time: the median stays low, the max does not.
    const outcome = (await check.run()) as CheckOutcome;
    expect(outcome.status).toBe('pass');
    expect((outcome.figures as Record<string, number>)['maxLagMs']).toBeGreaterThan(50);
  });

  it('reports fail once disposed', async () => {
    check = eventLoopLagCheck();
    check.dispose();
    expect(await check.run()).toEqual({ status: 'fail', message: 'the event-loop lag check was disposed' });
  });

  it('rejects bad options with INVALID_ARGUMENT naming each one', () => {
    expect(() => eventLoopLagCheck({ maxLagMs: 0, resolutionMs: Number.NaN, statistic: 'p42' as 'p99' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/maxLagMs must be a positive number, got 0; resolutionMs must be a positive number, got NaN; statistic must be/),
      }),
    );
    check = eventLoopLagCheck(); // for afterEach
  });
});
