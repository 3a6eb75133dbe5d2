import { join } from 'node:path';
import { checkHaproxyConfig, checkNginxConfig } from '@gamebuddies/test-services';
import { DEPLOY_DIR, parseDurationMs, readDeployFile, readYaml } from './deploy-files';

/** Gateway settings as deployed (the Kubernetes base carries the gateway's defaults for the heartbeat). */
function deployedSetting(name: string): number {
  const kustomization = readYaml<{ configMapGenerator: { literals: string[] }[] }>('k8s/base/kustomization.yaml');
  const literal = kustomization.configMapGenerator[0]!.literals.find((l) => l.startsWith(`${name}=`));
  return Number(literal!.split('=')[1]);
}

/** The longest silence Socket.IO allows: a ping every PING_INTERVAL_MS, answered within PING_TIMEOUT_MS. */
const heartbeatMs = (): number => deployedSetting('PING_INTERVAL_MS') + deployedSetting('PING_TIMEOUT_MS');

/** `keyword value` directives of a configuration, comments removed. */
function directives(text: string, keyword: RegExp): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => keyword.test(line));
}

describe('deploy/haproxy/haproxy.cfg', () => {
  const config = readDeployFile('haproxy/haproxy.cfg');

  it('passes the real `haproxy -c` without a warning, with its defaults and with test settings', async () => {
    const path = join(DEPLOY_DIR, 'haproxy/haproxy.cfg');
    expect(await checkHaproxyConfig(path)).toMatchObject({ isValid: true });
    const env = { GB_LB_BIND: '127.0.0.1:18080', GB_GATEWAY_1: '10.0.0.1:3000', GB_CHECK_INTER: '500ms', GB_MAXCONN: '5000' };
    expect(await checkHaproxyConfig(path, env)).toMatchObject({ isValid: true });
  });

  it('rejects a bad setting passed through the environment', async () => {
    const check = await checkHaproxyConfig(join(DEPLOY_DIR, 'haproxy/haproxy.cfg'), { GB_LB_BIND: 'no-port-here' });
    expect(check.isValid).toBe(false);
    expect(check.output).toMatch(/missing port/);
  });

  it('keeps idle client, server and WebSocket connections open longer than the Socket.IO heartbeat', () => {
    for (const name of ['client', 'server', 'tunnel']) {
      const [line] = directives(config, new RegExp(`^timeout ${name}\\s`));
      expect(parseDurationMs(line!.split(/\s+/)[2]!)).toBeGreaterThan(heartbeatMs());
    }
  });

  it('takes a draining gateway out within DRAIN_DELAY_MS: check interval x fall is below it', () => {
    const interval = parseDurationMs(/presetenv GB_CHECK_INTER (\S+)/.exec(config)![1]!);
    const fall = Number(/default-server .*\bfall (\d+)/.exec(config)![1]);
    expect(interval * fall).toBeLessThan(deployedSetting('DRAIN_DELAY_MS'));
  });

  it('documents every environment variable it reads, with a default', () => {
    const withoutComments = config.replace(/#.*$/gm, '');
    const used = new Set([...withoutComments.matchAll(/"\$\{(\w+)\}"/g)].map((m) => m[1]));
    const defaulted = new Set([...config.matchAll(/^\s*presetenv (\w+) /gm)].map((m) => m[1]));
    const documented = new Set([...config.matchAll(/^#\s+(GB_\w+)/gm)].map((m) => m[1]));
    expect(used.size).toBeGreaterThanOrEqual(6);
    expect([...used].filter((v) => !defaulted.has(v))).toEqual([]);
    expect([...used].filter((v) => !documented.has(v!) && !/^GB_GATEWAY_\d$/.test(v!))).toEqual([]);
  });
});

describe('deploy/nginx/nginx.conf', () => {
  const config = readDeployFile('nginx/nginx.conf');

  it('passes the real `nginx -t`', async () => {
    expect(await checkNginxConfig(join(DEPLOY_DIR, 'nginx/nginx.conf'))).toMatchObject({ isValid: true });
  });

  it('waits longer than the Socket.IO heartbeat for a gateway, and upgrades to WebSocket over HTTP/1.1', () => {
    for (const name of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const [line] = directives(config, new RegExp(`^${name}\\s`));
      expect(parseDurationMs(line!.replace(/^\S+\s+|;$/g, ''))).toBeGreaterThan(heartbeatMs());
    }
    expect(directives(config, /^proxy_http_version /)).toEqual(['proxy_http_version 1.1;']);
    expect(directives(config, /^proxy_set_header (Upgrade|Connection) /)).toEqual([
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
    ]);
  });

  it('gives every upstream server a passive health check', () => {
    const servers = directives(config, /^server \d/);
    expect(servers.length).toBeGreaterThanOrEqual(2);
    for (const server of servers) expect(server).toMatch(/max_fails=\d+ fail_timeout=\d+s/);
  });
});
