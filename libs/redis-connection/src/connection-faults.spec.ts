import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@gamebuddies/core';
import {
  redisCli,
  startRedisCluster,
  startRedisServer,
  startTcpProxy,
  waitUntil,
  type RedisServer,
  type TcpProxy,
} from '@gamebuddies/test-services';
import { Cluster, Redis } from 'ioredis';
import {
  connectRedis,
  connectRedisCluster,
  duplicateConnection,
  openConnection,
  RedisScript,
  runStoreOperation,
  storeClusterOptions,
  storeRedisOptions,
  watchStoreClient,
  type RedisClient,
} from './index';

/** A logger that keeps every line. */
function recordingLogger(): Logger & { lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> } {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

function failure(call: () => Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown>; message: string }> {
  return call().then(
    () => Promise.reject(new Error('expected the call to fail')),
    (error: unknown) => error as { code?: string; details?: Record<string, unknown>; message: string },
  );
}

const waitReady = (client: RedisClient): Promise<true> =>
  waitUntil(() => client.status === 'ready', { timeoutMs: 5000, description: 'the client to be ready again' });

describe('a connection through a faulty network (real redis-server behind a TCP proxy)', () => {
  let server: RedisServer;
  let proxy: TcpProxy;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.dispose();
  });
  beforeEach(async () => {
    await redisCli(server.port, ['FLUSHALL']);
    proxy = await startTcpProxy({ targetPort: server.port });
    client = await connectRedis(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: 5000 });
  });
  afterEach(async () => {
    client.disconnect();
    await proxy.close();
  });

  it('sets autoResendUnfulfilledCommands: false and no offline queue, for single nodes and Cluster nodes alike', () => {
    expect(storeRedisOptions()).toMatchObject({ enableOfflineQueue: false, autoResendUnfulfilledCommands: false });
    expect(storeClusterOptions()).toMatchObject({
      enableOfflineQueue: false,
      redisOptions: { enableOfflineQueue: false, autoResendUnfulfilledCommands: false },
    });
  });

  it('fails a command whose reply was lost with STORE_UNAVAILABLE (unknown) at once, and never sends it again', async () => {
    const cut = proxy.cutAfterNextCommand((chunk) => /incr/i.test(chunk.toString()));
    const started = Date.now();
    const error = await failure(() => runStoreOperation('probe', () => client.incr('counter')));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'probe', outcome: 'unknown' } });
    expect(Date.now() - started).toBeLessThan(1000); // well before the 5 s command timeout
    await cut;
    await waitReady(client);
    await sleep(300);
    expect(await client.get('counter')).toBe('1'); // applied once, by the command whose reply was lost
  });

  it('does the same for a script run by SHA', async () => {
    const script = new RedisScript('test.incr', `return redis.call('INCR', KEYS[1])`);
    expect(await script.run(client, ['counter'], [])).toBe(1);
    const cut = proxy.cutAfterNextCommand((chunk) => /evalsha/i.test(chunk.toString()));
    const error = await failure(() => runStoreOperation('script', () => script.run(client, ['counter'], [])));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { outcome: 'unknown' } });
    await cut;
    await waitReady(client);
    await sleep(300);
    expect(await client.get('counter')).toBe('2');
  });

  it('shows the fault is real: a client with ioredis defaults applies the same command twice', async () => {
    const plain = new Redis(proxy.port, '127.0.0.1', { retryStrategy: () => 50 });
    plain.on('error', () => undefined);
    try {
      expect(await plain.ping()).toBe('PONG');
      const cut = proxy.cutAfterNextCommand((chunk) => /incr/i.test(chunk.toString()));
      const reply = await plain.incr('counter'); // re-sent after the reconnect, answered the second time
      await cut;
      expect(reply).toBe(2);
      expect(await plain.get('counter')).toBe('2');
    } finally {
      plain.disconnect();
    }
  });

  it('fails a command sent while the connection is down with STORE_UNAVAILABLE (not-applied), and never sends it later', async () => {
    const closed = once(client, 'close');
    proxy.dropAll();
    await closed;
    const error = await failure(() => runStoreOperation('probe', () => client.set('never', 'sent')));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'probe', outcome: 'not-applied' } });
    await waitReady(client);
    await sleep(300);
    expect(await client.get('never')).toBeNull();
  });
});

describe('a Redis Cluster whose node connections run through TCP proxies', () => {
  let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
  let proxies: TcpProxy[];
  /** Every node's address as the cluster announces it, mapped to its proxy. */
  let natMap: Record<string, { host: string; port: number }>;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    proxies = await Promise.all(cluster.servers.map((server) => startTcpProxy({ targetPort: server.port })));
    natMap = Object.fromEntries(cluster.servers.map((server, i) => [`127.0.0.1:${server.port}`, { host: '127.0.0.1', port: proxies[i]!.port }]));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await cluster.stop();
  }, 30_000);

  const connectThroughProxies = async (isWatched: boolean): Promise<Cluster> => {
    const client = new Cluster(proxies.map((proxy) => ({ host: proxy.host, port: proxy.port })), { ...storeClusterOptions(), natMap });
    if (isWatched) watchStoreClient(client);
    else client.on('error', () => undefined);
    await openConnection(client, 10_000);
    return client;
  };

  /** Arms a cut on the proxy of the node that serves `key`; resolves once the command ran and its reply was lost. */
  const cutNextIncrOn = async (client: Cluster, key: string): Promise<{ cut: Promise<void> }> => {
    const slot = Number(await client.cluster('KEYSLOT', key));
    const ranges = await client.cluster('SLOTS');
    const owner = ranges.find(([from, to]) => slot >= from && slot <= to)!;
    const proxy = proxies[cluster.servers.findIndex((server) => server.port === owner[2]![1])]!;
    return { cut: proxy.cutAfterNextCommand((chunk) => /incr/i.test(chunk.toString())) };
  };

  it('fails a command whose node connection closed before the reply with unknown, and never sends it again', async () => {
    const client = await connectThroughProxies(true);
    try {
      await client.set('{a}lost', '0');
      const { cut } = await cutNextIncrOn(client, '{a}lost');
      const error = await failure(() => runStoreOperation('probe', () => client.incr('{a}lost')));
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { outcome: 'unknown' } });
      await cut;
      await sleep(500); // a Cluster retries "Connection is closed." after 100 ms; nothing may be retried here
      expect(await redisCli(cluster.servers[0]!.port, ['GET', '{a}lost'], { isClusterMode: true })).toBe('1');
    } finally {
      client.disconnect();
    }
  }, 30_000);

  it('shows the fault is real: without watchStoreClient the Cluster sends the same command twice', async () => {
    const client = await connectThroughProxies(false);
    try {
      await client.set('{a}twice', '0');
      const { cut } = await cutNextIncrOn(client, '{a}twice');
      const reply = await client.incr('{a}twice').catch((error: unknown) => error);
      await cut;
      await sleep(500);
      expect({ reply, stored: await redisCli(cluster.servers[0]!.port, ['GET', '{a}twice'], { isClusterMode: true }) }).toEqual({ reply: 2, stored: '2' });
    } finally {
      client.disconnect();
    }
  }, 30_000);
});

describe('connection error logging', () => {
  let unhandled: jest.SpyInstance;

  beforeEach(() => {
    unhandled = jest.spyOn(console, 'error');
  });
  afterEach(() => {
    unhandled.mockRestore();
  });

  it('logs a killed server through the logger, at most one line per interval per client, and never prints unhandled errors', async () => {
    const server = await startRedisServer();
    const logger = recordingLogger();
    const client = await connectRedis(server.url, { logger, errorLogIntervalMs: 500, maxReconnectDelayMs: 100 });
    const copy = await duplicateConnection(client);
    try {
      await server.kill();
      await sleep(2000);
      const errorLines = logger.lines.filter((line) => line.message.includes('error'));
      // Two clients, retrying every 100 ms for 2 s: about 40 errors, at most 5 lines each.
      expect(errorLines.length).toBeGreaterThanOrEqual(2);
      expect(errorLines.length).toBeLessThanOrEqual(10);
      expect(errorLines.reduce((sum, line) => sum + 1 + Number(line.fields['suppressedErrors']), 0)).toBeGreaterThan(errorLines.length);
      expect(errorLines[0]).toMatchObject({ level: 'warn', fields: { redis: `127.0.0.1:${server.port}`, error: expect.stringMatching(/ECONNREFUSED|closed/) } });
      await server.restart();
      await Promise.all([waitReady(client), waitReady(copy)]);
      expect(await client.ping()).toBe('PONG');
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      copy.disconnect();
      client.disconnect();
      await server.dispose();
    }
  }, 20_000);

  it('is silent by default and still never prints unhandled errors', async () => {
    const server = await startRedisServer();
    const client = await connectRedis(server.url, { maxReconnectDelayMs: 100 });
    try {
      await server.kill();
      await sleep(500);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      client.disconnect();
      await server.dispose();
    }
  });

  it('logs the errors of a Cluster whose nodes are all killed, rate-limited, with no unhandled error', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    const logger = recordingLogger();
    const client = await connectRedisCluster(cluster.nodes, { logger, errorLogIntervalMs: 500, maxReconnectDelayMs: 100 });
    try {
      await client.set('{a}k', 'v');
      await Promise.all(cluster.servers.map((server) => server.kill()));
      const until = Date.now() + 2000;
      let failures = 0;
      while (Date.now() < until) {
        await client.set('{a}k', 'v').catch(() => failures++);
        await sleep(20);
      }
      expect(failures).toBeGreaterThan(10);
      const error = await failure(() => runStoreOperation('probe', () => client.set('{a}k', 'v')));
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'probe' } });
      // 2 s at most one line per 500 ms: 5 error lines (and no ready line while down).
      expect(logger.lines.length).toBeGreaterThanOrEqual(1);
      expect(logger.lines.length).toBeLessThanOrEqual(5);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  }, 60_000);
});
