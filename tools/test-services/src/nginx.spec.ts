import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkNginxConfig,
  DEPLOY_NGINX_CONFIG,
  httpRequest,
  openWebSocketTunnel,
  renderNginxConfig,
  startHttpBackends,
  startNginx,
  type HttpBackend,
  type Nginx,
} from './index';

/** The gateway that answered a player holding affinity cookie `key` (or none). */
async function backendFor(nginx: Nginx, key?: string): Promise<string> {
  const response = await httpRequest(`${nginx.url}/socket.io/?EIO=4&transport=polling`, { headers: key ? { cookie: `gb_affinity=${key}` } : {} });
  expect(response.status).toBe(200);
  return response.body;
}

const PLAYERS = Array.from({ length: 16 }, (_, i) => `player-${i}`);

describe('startNginx with deploy/nginx/nginx.conf in front of two gateways', () => {
  let gw1: HttpBackend;
  let gw2: HttpBackend;
  let nginx: Nginx;

  beforeAll(async () => {
    [gw1, gw2] = (await startHttpBackends('gw1', 'gw2')) as [HttpBackend, HttpBackend];
    nginx = await startNginx({ backends: [gw1, gw2] });
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([gw1, gw2].map((backend) => backend?.close()));
  });

  it('gives a new player an affinity cookie and sends every later request with it to the same gateway', async () => {
    const first = await httpRequest(`${nginx.url}/socket.io/?EIO=4&transport=polling`);
    const cookie = first.headers['set-cookie']?.find((c) => c.startsWith('gb_affinity='));
    expect(cookie).toMatch(/^gb_affinity=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const key = cookie!.split(';')[0]!.slice('gb_affinity='.length);
    const answers = await Promise.all(Array.from({ length: 6 }, () => backendFor(nginx, key)));
    expect(answers).toEqual(Array(6).fill(first.body));
  });

  it('spreads different players over both gateways', async () => {
    const answers = await Promise.all(PLAYERS.map((key) => backendFor(nginx, key)));
    expect(new Set(answers)).toEqual(new Set(['gw1', 'gw2']));
  });

  it('upgrades a request to WebSocket and carries bytes both ways through the tunnel', async () => {
    const tunnel = await openWebSocketTunnel(`${nginx.url}/socket.io/?EIO=4&transport=websocket`);
    try {
      expect(['gw1', 'gw2']).toContain(tunnel.headers['x-backend']);
      expect(await tunnel.echo('hello through nginx')).toBe('hello through nginx');
    } finally {
      tunnel.close();
    }
  });

  it("answers its own /lb-health and 404 for the gateways' /metrics", async () => {
    expect(await httpRequest(`${nginx.url}/lb-health`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await httpRequest(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('sends every player to the other gateway when one is marked down (a drain by configuration)', async () => {
    const drained = await startNginx({ backends: [{ name: 'gw1', port: gw1.port, isDown: true }, { name: 'gw2', port: gw2.port }] });
    try {
      expect(await Promise.all(PLAYERS.map((key) => backendFor(drained, key)))).toEqual(PLAYERS.map(() => 'gw2'));
    } finally {
      await drained.stop();
    }
  });

  it('moves the players of a gateway that stops answering to another one (passive health check)', async () => {
    const answers = await Promise.all(PLAYERS.map((key) => backendFor(nginx, key)));
    const pinnedToGw1 = PLAYERS.filter((_, i) => answers[i] === 'gw1');
    await gw1.close();
    for (const key of pinnedToGw1) expect(await backendFor(nginx, key)).toBe('gw2');
  });
});

describe('checkNginxConfig and renderNginxConfig', () => {
  it('moves the pid file and temporary folders into the given folder and renders the upstream from its first server', () => {
    const rendered = renderNginxConfig(readFileSync(DEPLOY_NGINX_CONFIG, 'utf8'), {
      dir: '/tmp/x',
      port: 4000,
      backends: [{ name: 'a', port: 4001 }, { name: 'b', port: 4002, isDown: true }],
    });
    expect(rendered).toMatch(/^pid \/tmp\/x\/nginx\.pid;$/m);
    expect(rendered.match(/_temp_path \S+;/g)).toEqual(['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `_temp_path /tmp/x/${n};`));
    expect(rendered.match(/^\s*listen .*$/gm)).toEqual(['        listen 127.0.0.1:4000;']);
    expect(rendered.match(/^\s*server 127.*$/gm)).toEqual([
      '        server 127.0.0.1:4001 max_fails=2 fail_timeout=10s;',
      '        server 127.0.0.1:4002 max_fails=2 fail_timeout=10s down;',
    ]);
  });

  it('reports a broken configuration as invalid, naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-nginx-broken-'));
    try {
      const path = join(dir, 'nginx.conf');
      writeFileSync(path, 'events {}\nhttp {\n    server {\n        listen 8080;\n        proxy_read_timeout sixty;\n    }\n}\n');
      const check = await checkNginxConfig(path);
      expect(check.isValid).toBe(false);
      expect(check.output).toMatch(/"proxy_read_timeout" directive invalid value/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
