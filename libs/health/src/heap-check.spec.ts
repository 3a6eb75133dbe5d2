import { getHeapStatistics } from 'node:v8';
import { heapCheck, HealthRegistry, type CheckOutcome } from './index';

describe('heapCheck', () => {
  it('reports the heap in use against the V8 heap limit, and passes below the bound', async () => {
    const outcome = (await heapCheck().run()) as CheckOutcome;
    const figures = outcome.figures as Record<string, number>;
    expect(outcome.status).toBe('pass');
    expect(figures['limitBytes']).toBe(getHeapStatistics().heap_size_limit);
    expect(figures['usedBytes']).toBeGreaterThan(1_000_000);
    expect(figures['usedBytes']).toBeLessThan(figures['limitBytes']!);
    expect(figures['fraction']).toBeCloseTo(figures['usedBytes']! / figures['limitBytes']!, 3);
    expect(figures['maxFraction']).toBe(0.9);
  });

  it('fails readiness when the heap is over a tiny fraction of its limit', async () => {
    const report = await new HealthRegistry().register(heapCheck({ maxFraction: 0.0001 })).readiness();
    expect(report.status).toBe('fail');
    expect(report.checks['heap']!.message).toMatch(/^the heap uses [\d.]+% of its limit, over the 0\.01% allowed$/);
  });

  it('rejects a fraction outside (0, 1] with INVALID_ARGUMENT', () => {
    for (const maxFraction of [0, 1.5, Number.NaN]) {
      expect(() => heapCheck({ maxFraction })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
