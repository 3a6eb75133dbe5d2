import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayMetrics, Registry, renderMetrics } from '@gamebuddies/metrics';
import { parseMetricsText } from '@gamebuddies/metrics/testing';
import { runBinary } from '@gamebuddies/test-services';
import { DEPLOY_DIR, readDeployFile, readYaml } from './deploy-files';

const MONITORING_DIR = join(DEPLOY_DIR, 'monitoring');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Panel {
  id: number;
  title: string;
  datasource: { uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { expr: string; datasource: { uid: string } }[];
}

const rules = readYaml<{ groups: { name: string; rules: Rule[] }[] }>('monitoring/alerts.yml').groups.flatMap((g) => g.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const dashboard = JSON.parse(readDeployFile('monitoring/grafana-dashboard.json')) as { uid: string; panels: Panel[]; __inputs: { name: string }[] };
const dashboardExprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));

/** Runs promtool in deploy/monitoring and returns its verdict with everything it printed. */
async function promtool(args: string[]): Promise<{ code: number | null; output: string }> {
  const result = await runBinary('promtool', args, { cwd: MONITORING_DIR, timeoutMs: 20_000 });
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

/** The metric names a real gateway's /metrics serves: its registry rendered, histograms with their series. */
async function exportedMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  createGatewayMetrics({ registry });
  const families = parseMetricsText((await renderMetrics(registry)).body);
  const names = new Set<string>();
  for (const [name, family] of families) {
    names.add(name);
    if (family.type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  registry.clear();
  return names;
}

describe('deploy/monitoring for Prometheus', () => {
  it('passes `promtool check config`, which also checks the rule files it loads', async () => {
    const result = await promtool(['check', 'config', 'prometheus.yml']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('passes `promtool check rules` and every alert fires as its unit test expects (`promtool test rules`)', async () => {
    expect(await promtool(['check', 'rules', 'alerts.yml'])).toMatchObject({ code: 0 });
    const tests = await promtool(['test', 'rules', 'alerts.test.yml']);
    expect(tests.output).toMatch(/SUCCESS/);
    expect(tests.code).toBe(0);
  });

  it('unit-tests every critical alert', () => {
    const tested = readDeployFile('monitoring/alerts.test.yml');
    const critical = alerts.filter((a) => a.labels?.['severity'] === 'critical').map((a) => a.alert!);
    expect(critical.length).toBeGreaterThanOrEqual(3);
    expect(critical.filter((name) => !tested.includes(`alertname: ${name}`))).toEqual([]);
  });

  it('gives every alert a unique name, a severity, a summary and a `for` so a single bad scrape never pages', () => {
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
    for (const alert of alerts) {
      expect([alert.alert, alert.labels?.['severity']]).toEqual([alert.alert, expect.stringMatching(/^(critical|warning)$/)]);
      expect(alert.annotations?.['summary']).toBeTruthy();
      expect(alert.for).toMatch(/^\d+m$/);
    }
  });

  it('watches the gateway jobs the scrape config defines, and not HAProxy', () => {
    const jobs = readYaml<{ scrape_configs: { job_name: string }[] }>('monitoring/prometheus.yml').scrape_configs.map((s) => s.job_name);
    const jobPattern = /up\{job=~"([^"]+)"\}/.exec(alerts.find((a) => a.alert === 'GamebuddiesGatewayDown')!.expr)![1]!;
    expect(jobs.filter((job) => new RegExp(`^(?:${jobPattern})$`).test(job))).toEqual(['gamebuddies-gateway', 'gamebuddies-gateway-k8s']);
  });

  it('queries only metrics a gateway really exports, in the rules and on the dashboard', async () => {
    const exported = await exportedMetricNames();
    const queried = new Set([...rules.map((r) => r.expr), ...dashboardExprs].flatMap((expr) => expr.match(/\bgamebuddies_[a-z0-9_]+/g) ?? []));
    expect(queried.size).toBeGreaterThanOrEqual(12);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    for (const required of ['gamebuddies_active_connections', 'gamebuddies_active_rooms', 'gamebuddies_errors_total', 'gamebuddies_event_duration_seconds_bucket', 'gamebuddies_store_operation_duration_seconds_bucket', 'gamebuddies_rate_limited_events_total', 'gamebuddies_rejected_events_total', 'gamebuddies_reconnections_total', 'gamebuddies_nodejs_eventloop_lag_seconds']) {
      expect([required, queried.has(required)]).toEqual([required, true]);
    }
  });
});

describe('deploy/monitoring/grafana-dashboard.json', () => {
  it('has every panel on the imported Prometheus data source, with unique ids and no overlapping tiles', () => {
    expect(dashboard.__inputs.map((input) => input.name)).toEqual(['DS_PROMETHEUS']);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    const cells = new Map<string, string>();
    const overlaps: string[] = [];
    for (const panel of dashboard.panels) {
      expect([panel.title, panel.datasource.uid, ...panel.targets.map((t) => t.datasource.uid)]).toEqual([panel.title, ...Array(panel.targets.length + 1).fill('${DS_PROMETHEUS}')]);
      const { x, y, w, h } = panel.gridPos;
      expect([panel.title, x + w <= 24]).toEqual([panel.title, true]);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const other = cells.get(`${i},${j}`);
          if (other) overlaps.push(`${panel.title} / ${other}`);
          cells.set(`${i},${j}`, panel.title);
        }
      }
    }
    expect([...new Set(overlaps)]).toEqual([]);
  });

  it('has only queries Prometheus parses (checked by promtool as recording rules, Grafana variables filled in)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-dashboard-'));
    try {
      const asRules = dashboardExprs.map(
        (expr, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(expr.replaceAll('$__rate_interval', '5m').replaceAll('$instance', '.*'))}`,
      );
      const path = join(dir, 'dashboard-queries.yml');
      writeFileSync(path, `groups:\n  - name: dashboard\n    rules:\n${asRules.join('\n')}\n`);
      const result = await runBinary('promtool', ['check', 'rules', path], { timeoutMs: 20_000 });
      expect([result.code, result.stdout + result.stderr]).toEqual([0, expect.stringContaining(`SUCCESS: ${dashboardExprs.length} rules found`)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
