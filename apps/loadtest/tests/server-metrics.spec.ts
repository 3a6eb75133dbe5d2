import { compareSnapshots, parsePrometheusText, toMetricsSnapshot } from '../src/stats/server-metrics';

const exposition = (cpu: number, gcSum: number, buckets: [string, number][]): string => `# HELP gamebuddies_process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE gamebuddies_process_cpu_seconds_total counter
gamebuddies_process_cpu_seconds_total ${cpu}
gamebuddies_process_resident_memory_bytes 104857600
${buckets.map(([le, n]) => `gamebuddies_nodejs_gc_duration_seconds_bucket{le="${le}",kind="minor"} ${n}`).join('\n')}
gamebuddies_nodejs_gc_duration_seconds_sum{kind="minor"} ${gcSum}
other_metric{path="/a \\"b\\""} 7
`;

describe('server metrics', () => {
  it('parses the Prometheus text format, labels and escapes included', () => {
    const samples = parsePrometheusText(exposition(1, 0.1, [['0.001', 1], ['+Inf', 2]]));
    expect(samples.find((s) => s.name === 'other_metric')).toEqual({ name: 'other_metric', labels: { path: '/a "b"' }, value: 7 });
    expect(samples.find((s) => s.labels['le'] === '+Inf')?.value).toBe(2);
  });

  it('turns two scrapes into CPU cores, RSS, GC seconds per second and the longest pause bucket, whatever the prefix', () => {
    const start = toMetricsSnapshot(parsePrometheusText(exposition(10, 0.5, [['0.001', 10], ['0.01', 12], ['0.1', 12], ['+Inf', 12]])), 0);
    const end = toMetricsSnapshot(parsePrometheusText(exposition(15, 0.7, [['0.001', 20], ['0.01', 25], ['0.1', 26], ['+Inf', 26]])), 10_000);
    const sample = compareSnapshots(start, end);
    expect(sample.cpu).toBeCloseTo(0.5);
    expect(sample.rssBytes).toBe(104857600);
    expect(sample.gcSecondsPerSecond).toBeCloseTo(0.02);
    expect(sample.gcMaxSeconds).toBe(0.1);
    expect(compareSnapshots(start, start).gcMaxSeconds).toBe(0);
    expect(compareSnapshots(null, end)).toEqual({ cpu: null, rssBytes: 104857600, gcSecondsPerSecond: null, gcMaxSeconds: null });
  });
});
