import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@gamebuddies/core';
import { HealthRegistry, reportHttpStatus, type CheckOutcome, type HealthCheck } from './index';

const passing = (name: string, kind: HealthCheck['kind'] = 'readiness'): HealthCheck => ({
  name,
  kind,
  run: () => ({ status: 'pass' }),
});

function recordingLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('HealthRegistry', () => {
  it('passes with 200 when every check passes or warns, and fails with 503 when one fails', async () => {
    const registry = new HealthRegistry()
      .register(passing('a'))
      .register({ name: 'b', kind: 'readiness', run: () => ({ status: 'warn', message: 'getting full', figures: { used: 9 } }) });
    const ready = await registry.readiness();
    expect(ready.status).toBe('pass');
    expect(reportHttpStatus(ready)).toBe(200);
    expect(ready.checks['b']).toEqual({ status: 'warn', message: 'getting full', figures: { used: 9 }, durationMs: expect.any(Number) });

    registry.register({ name: 'c', kind: 'readiness', run: () => ({ status: 'fail', message: 'down' }) });
    const failing = await registry.readiness();
    expect(failing.status).toBe('fail');
    expect(reportHttpStatus(failing)).toBe(503);
    expect(failing.checks['c']).toMatchObject({ status: 'fail', message: 'down' });
  });

  it('runs liveness checks for liveness, and liveness plus readiness checks for readiness', async () => {
    const registry = new HealthRegistry().register(passing('loop', 'liveness')).register(passing('redis', 'readiness'));
    expect(Object.keys((await registry.liveness()).checks)).toEqual(['loop']);
    expect(Object.keys((await registry.readiness()).checks)).toEqual(['loop', 'redis', 'draining']);
  });

  it('fails a readiness probe when a liveness check fails', async () => {
    const registry = new HealthRegistry().register({ name: 'loop', kind: 'liveness', run: () => ({ status: 'fail' }) });
    expect((await registry.readiness()).status).toBe('fail');
  });

  it.each([
    ['throws', (): CheckOutcome => { throw new Error('boom'); }, 'boom'],
    ['rejects', () => Promise.reject(new Error('refused')), 'refused'],
    ['rejects with a non-error', () => Promise.reject('plain text'), 'plain text'],
    ['answers nonsense', () => ({ status: 'ok' }) as unknown as CheckOutcome, 'not { status'],
    ['answers nothing', () => undefined as unknown as CheckOutcome, 'returned undefined'],
  ])('reports a check that %s as fail with a message, and does not throw', async (_label, run, message) => {
    const report = await new HealthRegistry().register({ name: 'x', kind: 'liveness', run }).liveness();
    expect(report.status).toBe('fail');
    expect(report.checks['x']!.status).toBe('fail');
    expect(report.checks['x']!.message).toContain(message);
  });

  it('fails a check that never answers once its timeout passes, without hanging the probe', async () => {
    const registry = new HealthRegistry()
      .register({ name: 'hung', kind: 'readiness', timeoutMs: 100, run: () => new Promise<CheckOutcome>(() => undefined) })
      .register(passing('fine'));
    const started = Date.now();
    const report = await registry.readiness();
    expect(Date.now() - started).toBeLessThan(600);
    expect(report.status).toBe('fail');
    expect(report.checks['hung']).toMatchObject({ status: 'fail', message: 'no answer within 100 ms' });
    expect(report.checks['hung']!.durationMs).toBeGreaterThanOrEqual(95);
    expect(report.checks['fine']!.status).toBe('pass');
  });

  it('uses a one-second timeout when a check sets none', async () => {
    const registry = new HealthRegistry().register({ name: 'slow', kind: 'liveness', run: () => sleep(1100).then(() => ({ status: 'pass' as const })) });
    const report = await registry.liveness();
    expect(report.checks['slow']).toMatchObject({ status: 'fail', message: 'no answer within 1000 ms' });
  });

  it('runs checks concurrently', async () => {
    const slow = (name: string): HealthCheck => ({ name, kind: 'readiness', run: () => sleep(200).then(() => ({ status: 'pass' as const })) });
    const registry = new HealthRegistry().register(slow('a')).register(slow('b')).register(slow('c'));
    const started = Date.now();
    expect((await registry.readiness()).status).toBe('pass');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('lets probes that arrive during a run share it instead of calling the dependency again', async () => {
    let calls = 0;
    const registry = new HealthRegistry().register({
      name: 'redis',
      kind: 'readiness',
      run: async () => {
        calls += 1;
        await sleep(50);
        return { status: 'pass', figures: { call: calls } };
      },
    });
    const [first, second] = await Promise.all([registry.readiness(), registry.readiness()]);
    expect(calls).toBe(1);
    expect(second.checks['redis']).toEqual(first.checks['redis']);
    await registry.readiness();
    expect(calls).toBe(2);
  });

  it('fails readiness at once while draining, without running the checks, and leaves liveness alone', async () => {
    let readinessRuns = 0;
    const registry = new HealthRegistry()
      .register(passing('loop', 'liveness'))
      .register({ name: 'redis', kind: 'readiness', run: () => ((readinessRuns += 1), { status: 'pass' }) });
    expect(registry.isDraining).toBe(false);
    expect((await registry.readiness()).checks['draining']).toEqual({ status: 'pass', durationMs: 0 });

    registry.setDraining(true);
    expect(registry.isDraining).toBe(true);
    const draining = await registry.readiness();
    expect(reportHttpStatus(draining)).toBe(503);
    expect(draining.checks).toEqual({ draining: { status: 'fail', durationMs: 0, message: 'the process is shutting down' } });
    expect(readinessRuns).toBe(1);
    expect((await registry.liveness()).status).toBe('pass');

    registry.setDraining(false);
    expect((await registry.readiness()).status).toBe('pass');
  });

  it('stamps reports with the clock it was given', async () => {
    const registry = new HealthRegistry({ clock: { now: () => Date.UTC(2030, 0, 2, 3, 4, 5) } });
    expect(await registry.liveness()).toEqual({ status: 'pass', checks: {}, checkedAt: '2030-01-02T03:04:05.000Z' });
  });

  it('rejects a bad check with INVALID_ARGUMENT naming every problem', () => {
    const registry = new HealthRegistry();
    const bad = { name: '', kind: 'sometimes', timeoutMs: -1, run: 'no' } as unknown as HealthCheck;
    expect(() => registry.register(bad)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/name must be a non-empty string.*kind must be.*timeoutMs must be a positive number.*run must be a function/),
      }),
    );
  });

  it('rejects a name that is taken or reserved, and frees a name on unregister', () => {
    const registry = new HealthRegistry().register(passing('redis'));
    expect(() => registry.register(passing('redis'))).toThrow(/already registered/);
    expect(() => registry.register(passing('draining'))).toThrow(/reserved/);
    expect(registry.unregister('redis')).toBe(true);
    expect(registry.unregister('redis')).toBe(false);
    expect(() => registry.register(passing('redis'))).not.toThrow();
  });

  it('logs a check when its status changes, not on every probe', async () => {
    const logger = recordingLogger();
    let status: CheckOutcome['status'] = 'pass';
    const registry = new HealthRegistry({ logger }).register({ name: 'redis', kind: 'readiness', run: () => ({ status, message: status }) });
    await registry.readiness();
    status = 'fail';
    await registry.readiness();
    await registry.readiness();
    status = 'pass';
    await registry.readiness();
    registry.setDraining(true);
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'health check redis: fail'],
      ['info', 'health check redis passes again'],
      ['info', 'draining: readiness now fails'],
    ]);
    expect(logger.lines[0]!.fields).toMatchObject({ check: 'redis', status: 'fail', previous: 'pass' });
  });
});
