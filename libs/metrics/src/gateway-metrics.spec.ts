import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { register as globalRegistry } from 'prom-client';
import { metricValue, parseMetricsText, type MetricFamily } from './testing';
import { createGatewayMetrics, Registry, renderMetrics, type GatewayMetrics } from './index';

/** The documented contract: name, type and labels of every gateway metric, as the README lists them. */
const DOCUMENTED: [name: string, type: MetricFamily['type'], labels: string[]][] = [
  ['gamebuddies_active_connections', 'gauge', []],
  ['gamebuddies_connections_opened_total', 'counter', []],
  ['gamebuddies_active_rooms', 'gauge', []],
  ['gamebuddies_rooms_created_total', 'counter', ['gameId']],
  ['gamebuddies_rooms_closed_total', 'counter', ['gameId', 'reason']],
  ['gamebuddies_players_per_room', 'histogram', []],
  ['gamebuddies_event_duration_seconds', 'histogram', ['event']],
  ['gamebuddies_store_operation_duration_seconds', 'histogram', ['operation', 'backend']],
  ['gamebuddies_errors_total', 'counter', ['code']],
  ['gamebuddies_rate_limited_events_total', 'counter', ['event']],
  ['gamebuddies_rejected_events_total', 'counter', ['reason']],
  ['gamebuddies_reconnections_total', 'counter', []],
];

/** Records one value in every instrument, so each has a sample with its labels. */
async function recordOneOfEach(metrics: GatewayMetrics): Promise<void> {
  metrics.connections.inc();
  metrics.connectionsOpened.inc();
  metrics.rooms.set(2);
  metrics.roomsCreated.inc({ gameId: 'school-quiz' });
  metrics.roomsClosed.inc({ gameId: 'school-quiz', reason: 'finished' });
  metrics.playersPerRoom.observe(4);
  metrics.timeEvent('room:create')();
  await metrics.timeStoreOperation('update', 'memory', async () => 'ok');
  metrics.errors.inc({ code: 'VERSION_CONFLICT' });
  metrics.rateLimited.inc({ event: 'game:act' });
  metrics.rejectedEvents.inc({ reason: 'invalid_payload' });
  metrics.reconnections.inc();
}

async function scrape(registry: Registry): Promise<Map<string, MetricFamily>> {
  return parseMetricsText(await registry.metrics());
}

describe('createGatewayMetrics', () => {
  let registry: Registry;
  let metrics: GatewayMetrics;

  beforeEach(() => {
    registry = new Registry();
    metrics = createGatewayMetrics({ registry });
  });

  afterEach(() => registry.clear());

  it.each(DOCUMENTED)('exposes %s as a %s with labels %j', async (name, type, labels) => {
    await recordOneOfEach(metrics);
    const family = (await scrape(registry)).get(name);
    expect(family?.type).toBe(type);
    expect(family!.help.length).toBeGreaterThan(10);
    expect(family!.samples.length).toBeGreaterThan(0);
    for (const sample of family!.samples) {
      expect(Object.keys(sample.labels).filter((l) => l !== 'le').sort()).toEqual([...labels].sort());
    }
  });

  it('lists every metric in the README table with the same type and labels', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const [name, type, labels] of DOCUMENTED) {
      const labelCell = labels.length === 0 ? '—' : labels.map((l) => `\`${l}\``).join(', ');
      expect(readme).toContain(`| \`${name}\` | ${type} | ${labelCell} |`);
    }
  });

  it('registers nothing on the global default registry', () => {
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });

  it('collects the default process metrics under the same prefix', async () => {
    const families = await scrape(registry);
    expect(families.get('gamebuddies_nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(metricValue(families, 'gamebuddies_nodejs_heap_size_used_bytes')).toBeGreaterThan(1_000_000);
    expect(families.get('gamebuddies_nodejs_gc_duration_seconds')?.type).toBe('histogram');
    expect(families.get('gamebuddies_nodejs_eventloop_lag_p99_seconds')?.type).toBe('gauge');
    expect(families.get('gamebuddies_process_cpu_seconds_total')?.type).toBe('counter');
    expect(metricValue(families, 'gamebuddies_process_open_fds')).toBeGreaterThan(2);
  });

  it('leaves the default metrics out when collectDefault is false, and uses the prefix it is given', async () => {
    const other = new Registry();
    createGatewayMetrics({ registry: other, prefix: 'party_', collectDefault: false });
    const names = [...(await scrape(other)).keys()];
    expect(names.filter((n) => n.includes('nodejs_') || n.includes('process_'))).toEqual([]);
    expect(names).toContain('party_active_connections');
    expect(names.every((n) => n.startsWith('party_'))).toBe(true);
  });

  it('starts every known rejection reason at zero', async () => {
    const families = await scrape(registry);
    for (const reason of ['unknown_event', 'invalid_payload', 'too_large', 'origin', 'server_full', 'address_full', 'no_session', 'cut_off']) {
      expect(metricValue(families, 'gamebuddies_rejected_events_total', { reason })).toBe(0);
    }
  });

  it('puts the default labels on every sample', async () => {
    const labelled = new Registry();
    createGatewayMetrics({ registry: labelled, defaultLabels: { node: 'gateway-7' } });
    const samples = [...(await scrape(labelled)).values()].flatMap((f) => f.samples);
    expect(samples.length).toBeGreaterThan(50);
    expect(samples.every((s) => s.labels['node'] === 'gateway-7')).toBe(true);
  });

  it('times an event from start to end, in seconds', async () => {
    const end = metrics.timeEvent('room:join');
    await sleep(20);
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0.019);
    const families = await scrape(registry);
    expect(metricValue(families, 'gamebuddies_event_duration_seconds_count', { event: 'room:join' })).toBe(1);
    expect(metricValue(families, 'gamebuddies_event_duration_seconds_sum', { event: 'room:join' })).toBeCloseTo(seconds, 6);
    expect(metricValue(families, 'gamebuddies_event_duration_seconds_bucket', { event: 'room:join', le: '0.01' })).toBe(0);
    expect(metricValue(families, 'gamebuddies_event_duration_seconds_bucket', { event: 'room:join', le: '2' })).toBe(1);
  });

  it('times store operations that resolve, reject or throw, and passes their outcome through', async () => {
    expect(await metrics.timeStoreOperation('get', 'redis', () => sleep(10).then(() => 'room'))).toBe('room');
    const rejected = metrics.timeStoreOperation('update', 'redis', async () => {
      await sleep(10);
      throw new Error('VERSION_CONFLICT');
    });
    await expect(rejected).rejects.toThrow('VERSION_CONFLICT');
    await expect(
      metrics.timeStoreOperation('update', 'redis', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await metrics.timeStoreOperation('count', 'memory', Promise.resolve(3))).toBe(3);

    const families = await scrape(registry);
    const count = (operation: string, backend: string) =>
      metricValue(families, 'gamebuddies_store_operation_duration_seconds_count', { operation, backend });
    expect(count('get', 'redis')).toBe(1);
    expect(count('update', 'redis')).toBe(2);
    expect(count('count', 'memory')).toBe(1);
    expect(metricValue(families, 'gamebuddies_store_operation_duration_seconds_sum', { operation: 'update', backend: 'redis' })).toBeGreaterThanOrEqual(0.009);
  });

  it('keeps two registries in one process apart', async () => {
    const second = new Registry();
    const other = createGatewayMetrics({ registry: second });
    metrics.connections.inc(3);
    other.connections.inc(1);
    other.roomsCreated.inc({ gameId: 'crazy-eights' });
    const [a, b] = [await scrape(registry), await scrape(second)];
    expect(metricValue(a, 'gamebuddies_active_connections')).toBe(3);
    expect(metricValue(b, 'gamebuddies_active_connections')).toBe(1);
    expect(metricValue(a, 'gamebuddies_rooms_created_total', { gameId: 'crazy-eights' })).toBeUndefined();
    expect(metricValue(b, 'gamebuddies_rooms_created_total', { gameId: 'crazy-eights' })).toBe(1);
    expect(a.has('gamebuddies_nodejs_heap_size_used_bytes') && b.has('gamebuddies_nodejs_heap_size_used_bytes')).toBe(true);
    second.clear();
  });

  it('refuses to register the gateway metrics twice on one registry', () => {
    expect(() => createGatewayMetrics({ registry })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/already has the gateway metrics/) }),
    );
  });

  it('names every bad option in one INVALID_ARGUMENT error', () => {
    const bad = { registry: {} as Registry, prefix: '9lives-', defaultLabels: { __node: 'x', ok: 7 as unknown as string } };
    const problems = [
      'registry must be a prom-client Registry',
      'prefix must match [a-zA-Z_:][a-zA-Z0-9_:]*, got "9lives-"',
      'default label name "__node" is not a Prometheus label name',
      'default label ok must be a string, got number',
    ];
    expect(() => createGatewayMetrics(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { problems } }));
  });
});

describe('renderMetrics', () => {
  it('gives the content type and the text a /metrics handler sends', async () => {
    const registry = new Registry();
    const metrics = createGatewayMetrics({ registry, collectDefault: false });
    metrics.reconnections.inc();
    const { contentType, body } = await renderMetrics(registry);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metricValue(body, 'gamebuddies_reconnections_total')).toBe(1);
  });
});
