import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployFileExists, readDeployFile, readYaml, readYamlDocuments, WORKSPACE_ROOT } from './deploy-files';

/** The parts of a Kubernetes object these checks read. */
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds: number;
  failureThreshold: number;
}

interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
}

interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  strategy: { rollingUpdate: { maxSurge: number; maxUnavailable: number } };
  template: {
    metadata: { labels: Record<string, string> };
    spec: { terminationGracePeriodSeconds: number; securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Container[] };
  };
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  configMapGenerator?: { name: string; behavior?: 'create' | 'merge' | 'replace'; literals: string[] }[];
}

/** What a kustomization renders to, as far as these checks need: its objects, patches and generated settings. */
interface Rendered {
  objects: KubeObject[];
  patches: KubeObject[];
  configMaps: Map<string, Record<string, string>>;
  images: NonNullable<Kustomization['images']>;
  namespace: string | undefined;
}

/**
 * Reads a kustomization and the bases it lists, the way `kubectl kustomize` would (no kustomize binary here):
 * every listed file must exist and parse, and a `merge` ConfigMap generator must have a base to merge into.
 */
function render(dir: string): Rendered {
  const kustomization = readYaml<Kustomization>(`${dir}/kustomization.yaml`);
  const rendered: Rendered = { objects: [], patches: [], configMaps: new Map(), images: kustomization.images ?? [], namespace: kustomization.namespace };
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (deployFileExists(`${path}/kustomization.yaml`)) {
      const base = render(path);
      rendered.objects.push(...base.objects);
      for (const [name, data] of base.configMaps) rendered.configMaps.set(name, { ...data });
    } else {
      rendered.objects.push(...readYamlDocuments<KubeObject>(path));
    }
  }
  for (const patch of kustomization.patches ?? []) rendered.patches.push(readYaml<KubeObject>(join(dir, patch.path)));
  for (const generator of kustomization.configMapGenerator ?? []) {
    const notText = generator.literals.filter((literal) => typeof literal !== 'string' || !/^[A-Z_]+=/.test(literal));
    if (notText.length > 0) throw new Error(`${dir}: ConfigMap literals must be KEY=value strings: ${JSON.stringify(notText)}`);
    const data = Object.fromEntries(generator.literals.map((literal) => [literal.slice(0, literal.indexOf('=')), literal.slice(literal.indexOf('=') + 1)]));
    const existing = rendered.configMaps.get(generator.name);
    if (generator.behavior === 'merge' && !existing) throw new Error(`${dir}: nothing to merge ConfigMap ${generator.name} into`);
    rendered.configMaps.set(generator.name, generator.behavior === 'merge' ? { ...existing, ...data } : data);
  }
  return rendered;
}

const find = <T = Record<string, unknown>>(objects: KubeObject[], kind: string, name?: string): T & KubeObject => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found as T & KubeObject;
};

const isSubset = (labels: Record<string, string>, of: Record<string, string>): boolean => Object.entries(labels).every(([k, v]) => of[k] === v);

const KUSTOMIZATIONS = ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/production'];
const OVERLAYS = ['k8s/overlays/dev', 'k8s/overlays/production'];

describe('deploy/k8s base', () => {
  const base = render('k8s/base');
  const deployment = find<{ spec: DeploymentSpec }>(base.objects, 'Deployment', 'gamebuddies-gateway');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0]!;

  it('renders a Deployment, Services, a PodDisruptionBudget and an autoscaler, each with its API version and name', () => {
    expect(base.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'apps/v1 Deployment gamebuddies-gateway',
      'autoscaling/v2 HorizontalPodAutoscaler gamebuddies-gateway',
      'policy/v1 PodDisruptionBudget gamebuddies-gateway',
      'v1 Service gamebuddies-gateway',
      'v1 Service gamebuddies-gateway-pods',
    ]);
  });

  it('selects the same pods everywhere: the Deployment, both Services, the budget and the autoscaler', () => {
    expect(isSubset(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    for (const service of base.objects.filter((o) => o.kind === 'Service')) {
      expect(isSubset(service.spec!['selector'] as Record<string, string>, pod.metadata.labels)).toBe(true);
      for (const port of service.spec!['ports'] as { targetPort: string }[]) expect(container.ports.map((p) => p.name)).toContain(port.targetPort);
    }
    const pdb = find<{ spec: { selector: { matchLabels: Record<string, string> } } }>(base.objects, 'PodDisruptionBudget');
    expect(isSubset(pdb.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    const hpa = find<{ spec: { scaleTargetRef: { kind: string; name: string } } }>(base.objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
  });

  it('probes readiness on /health/ready and liveness and startup on /health/live, on the port the gateway listens on', () => {
    const config = base.configMaps.get('gamebuddies-gateway-config')!;
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(config['PORT']), protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
  });

  it('takes its settings from the generated ConfigMap, and secrets from an optional Secret that overrides them', () => {
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'gamebuddies-gateway-config' } },
      { secretRef: { name: 'gamebuddies-gateway-secrets', optional: true } },
    ]);
    expect([...base.configMaps.keys()]).toEqual(['gamebuddies-gateway-config']);
  });

  it("runs as the image's non-root user with a read-only root filesystem", () => {
    const user = /^USER (\d+)/m.exec(readDeployFile('docker/Dockerfile'))![1];
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user) });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it('never drops capacity in a rollout or an eviction', () => {
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(find<{ spec: { maxUnavailable: number } }>(base.objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });
});

describe.each(KUSTOMIZATIONS)('%s', (dir) => {
  const rendered = render(dir);
  const deployment = find<{ spec: DeploymentSpec }>(rendered.objects, 'Deployment', 'gamebuddies-gateway');
  const container = deployment.spec.template.spec.containers[0]!;
  const config = rendered.configMaps.get('gamebuddies-gateway-config')!;
  const ms = (name: string): number => Number(config[name]);

  it('drains within the grace period: preStop + SHUTDOWN_TIMEOUT_MS + 1 s fits terminationGracePeriodSeconds', () => {
    const [sleep, seconds] = container.lifecycle.preStop.exec.command;
    expect(sleep).toBe('sleep');
    const preStopMs = Number(seconds) * 1000;
    expect(preStopMs + ms('SHUTDOWN_TIMEOUT_MS') + 1000).toBeLessThanOrEqual(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000);
  });

  it('keeps serving after SIGTERM until readiness has failed (DRAIN_DELAY_MS), and drains before the deadline', () => {
    const readiness = container.readinessProbe;
    expect(ms('DRAIN_DELAY_MS')).toBeGreaterThan(readiness.periodSeconds * readiness.failureThreshold * 1000);
    expect(ms('DRAIN_DELAY_MS')).toBeLessThan(ms('SHUTDOWN_TIMEOUT_MS'));
  });

  it('sets only settings the gateway documents, with heartbeats the load balancers allow for', () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, 'apps/gateway/README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\|([^|]+)\|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1])));
    expect(Object.keys(config).filter((name) => !documented.has(name))).toEqual([]);
    expect(ms('PING_INTERVAL_MS') + ms('PING_TIMEOUT_MS')).toBeLessThan(60_000);
  });
});

describe.each(OVERLAYS)('%s', (dir) => {
  const rendered = render(dir);
  const deployment = find<{ spec: DeploymentSpec }>(rendered.objects, 'Deployment', 'gamebuddies-gateway');

  it('lives in its own namespace and patches only objects the base has', () => {
    expect(rendered.namespace).toMatch(/^gamebuddies/);
    expect(rendered.patches.length).toBeGreaterThan(0);
    for (const patch of rendered.patches) {
      expect(rendered.objects.some((o) => o.kind === patch.kind && o.apiVersion === patch.apiVersion && o.metadata.name === patch.metadata.name)).toBe(true);
    }
  });

  it('sets the image of the gateway container', () => {
    const image = deployment.spec.template.spec.containers[0]!.image;
    expect(rendered.images.map((i) => i.name)).toContain(image.split(':')[0]);
  });

  it('keeps at least two gateways, so the disruption budget can evict one', () => {
    const hpaPatch = rendered.patches.find((p) => p.kind === 'HorizontalPodAutoscaler')?.spec;
    const deploymentPatch = rendered.patches.find((p) => p.kind === 'Deployment')?.spec;
    const hpa = find<{ spec: { minReplicas: number; maxReplicas: number } }>(rendered.objects, 'HorizontalPodAutoscaler').spec;
    const minReplicas = Number(hpaPatch?.['minReplicas'] ?? hpa.minReplicas);
    expect(minReplicas).toBeGreaterThanOrEqual(2);
    expect(Number(hpaPatch?.['maxReplicas'] ?? hpa.maxReplicas)).toBeGreaterThanOrEqual(minReplicas);
    expect(Number(deploymentPatch?.['replicas'] ?? deployment.spec.replicas)).toBeGreaterThanOrEqual(minReplicas);
  });
});

describe('the production Ingress and the PodMonitor', () => {
  const production = render('k8s/overlays/production');

  it('sticks players to a pod by cookie and waits longer than the Socket.IO heartbeat', () => {
    const ingress = find(production.objects, 'Ingress');
    const annotations = ingress.metadata.annotations!;
    expect(annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    const config = production.configMaps.get('gamebuddies-gateway-config')!;
    const heartbeatSeconds = (Number(config['PING_INTERVAL_MS']) + Number(config['PING_TIMEOUT_MS'])) / 1000;
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(heartbeatSeconds);
    expect(JSON.stringify(ingress.spec)).toContain('"service":{"name":"gamebuddies-gateway","port":{"name":"http"}}');
  });

  it('has the PodMonitor select the gateway pods by their label and scrape the named port', () => {
    const monitor = readYaml<{ spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: { port: string; path: string }[] } }>('monitoring/podmonitor.yaml');
    const pod = find<{ spec: DeploymentSpec }>(production.objects, 'Deployment').spec.template;
    expect(isSubset(monitor.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
  });
});
