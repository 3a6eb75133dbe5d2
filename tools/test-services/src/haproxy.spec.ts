import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkHaproxyConfig,
  DEPLOY_HAPROXY_CONFIG,
  httpRequest,
  openWebSocketTunnel,
  renderHaproxyConfig,
  startHaproxy,
  startHttpBackends,
  type Haproxy,
  type HttpBackend,
} from './index';

/** The backend that answered, and the SERVERID cookie HAProxy set (if any). */
async function get(haproxy: Haproxy, cookie?: string): Promise<{ backend: string; setCookie: string | undefined }> {
  const response = await httpRequest(`${haproxy.url}/socket.io/?EIO=4&transport=polling`, { headers: cookie ? { cookie } : {} });
  expect(response.status).toBe(200);
  const setCookie = response.headers['set-cookie']?.find((c) => c.startsWith('SERVERID='));
  return { backend: response.body, setCookie: setCookie?.split(';')[0] };
}

async function backendsOf(haproxy: Haproxy, count: number, cookie?: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push((await get(haproxy, cookie)).backend);
  return seen;
}

describe('startHaproxy with deploy/haproxy/haproxy.cfg in front of two gateways', () => {
  let gw1: HttpBackend;
  let gw2: HttpBackend;
  let haproxy: Haproxy;

  beforeAll(async () => {
    [gw1, gw2] = (await startHttpBackends('gw1', 'gw2')) as [HttpBackend, HttpBackend];
    // Checks every 100 ms: a gateway is out after 2 failed checks, in about a fifth of a second.
    haproxy = await startHaproxy({ backends: [gw1, gw2], extraEnv: { GB_CHECK_INTER: '100ms' } });
  });

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all([gw1, gw2].map((backend) => backend?.close()));
  });

  it('spreads new players over both gateways and pins each one to its gateway with the SERVERID cookie', async () => {
    const first = await get(haproxy);
    expect(first.setCookie).toBe(`SERVERID=${first.backend}`);
    expect(new Set(await backendsOf(haproxy, 8))).toEqual(new Set(['gw1', 'gw2']));
    for (const name of ['gw1', 'gw2']) {
      expect(await backendsOf(haproxy, 5, `SERVERID=${name}`)).toEqual(Array(5).fill(name));
    }
  });

  it('upgrades a request to WebSocket and carries bytes both ways through the tunnel', async () => {
    const tunnel = await openWebSocketTunnel(`${haproxy.url}/socket.io/?EIO=4&transport=websocket`, { cookie: 'SERVERID=gw2' });
    try {
      expect(tunnel.headers['x-backend']).toBe('gw2');
      expect(await tunnel.echo('hello through haproxy')).toBe('hello through haproxy');
    } finally {
      tunnel.close();
    }
  });

  it('takes a gateway whose readiness fails out of rotation and sends its pinned players to another', async () => {
    gw1.setReady(false);
    await haproxy.waitForStatus('gw1', 'DOWN');
    const moved = await get(haproxy, 'SERVERID=gw1');
    expect(moved).toEqual({ backend: 'gw2', setCookie: 'SERVERID=gw2' });
    expect(await backendsOf(haproxy, 4)).toEqual(Array(4).fill('gw2'));

    gw1.setReady(true);
    await haproxy.waitForStatus('gw1', 'UP');
    expect((await get(haproxy, 'SERVERID=gw1')).backend).toBe('gw1');
  });

  it('drains a gateway through the runtime API: no new players go to it, players pinned to it stay', async () => {
    await haproxy.drain('gw2');
    expect(await haproxy.serverStatus('gw2')).toBe('DRAIN');
    expect(await backendsOf(haproxy, 4)).toEqual(Array(4).fill('gw1'));
    expect(await backendsOf(haproxy, 3, 'SERVERID=gw2')).toEqual(Array(3).fill('gw2'));

    await haproxy.ready('gw2');
    expect(await haproxy.serverStatus('gw2')).toBe('UP');
    await expect(haproxy.drain('gw9')).rejects.toThrow(/refused.*gw9/);
  });

  it('retries on another gateway a request pinned to a crashed one before its health checks notice', async () => {
    const [doomed] = await startHttpBackends('gw3');
    const slowChecks = await startHaproxy({ backends: [doomed!, gw1], extraEnv: { GB_CHECK_INTER: '1h' } });
    try {
      await doomed!.close();
      // Still in rotation: 'UP', or 'UP 1/2' once one check (of the two that mark it down) has failed.
      expect(await slowChecks.serverStatus('gw3')).toMatch(/^UP/);
      expect(await get(slowChecks, 'SERVERID=gw3')).toEqual({ backend: 'gw1', setCookie: 'SERVERID=gw1' });
    } finally {
      await slowChecks.stop();
    }
  });

  it("answers 404 for the gateways' /metrics and serves its stats page and its own metrics on the stats port", async () => {
    expect((await httpRequest(`${haproxy.url}/metrics`)).status).toBe(404);
    const stats = await httpRequest(`http://127.0.0.1:${haproxy.statsPort}/`);
    expect(stats.status).toBe(200);
    expect(stats.body).toContain('be_gateways');
    const metrics = await httpRequest(`http://127.0.0.1:${haproxy.statsPort}/metrics`);
    expect(metrics.body).toMatch(/^haproxy_server_status\{proxy="be_gateways",server="gw1",state="UP"\} 1$/m);
  });
});

describe('checkHaproxyConfig and renderHaproxyConfig', () => {
  it('renders one server line per backend from the first one, with its cookie', () => {
    const rendered = renderHaproxyConfig(readFileSync(DEPLOY_HAPROXY_CONFIG, 'utf8'), [
      { name: 'a', port: 4001 },
      { name: 'b', port: 4002, host: '127.0.0.2' },
    ]);
    expect(rendered.match(/^\s*server .*$/gm)).toEqual(['    server a 127.0.0.1:4001 cookie a', '    server b 127.0.0.2:4002 cookie b']);
    expect(() => renderHaproxyConfig('global\n', [])).toThrow(/no "backend be_gateways" section/);
  });

  it('reports a broken configuration as invalid, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-haproxy-broken-'));
    try {
      const path = join(dir, 'haproxy.cfg');
      writeFileSync(path, 'defaults\n    mode http\n    timeout clinet 60s\n');
      const check = await checkHaproxyConfig(path);
      expect(check.isValid).toBe(false);
      expect(check.output).toMatch(/haproxy\.cfg:3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
