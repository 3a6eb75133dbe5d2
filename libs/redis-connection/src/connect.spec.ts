import { findFreePort, startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import { isGameBuddiesError } from '@gamebuddies/core';
import { connectRedis, RedisScript, runStoreOperation, toStoreError, validateKeyPrefix } from './index';

describe('connectRedis', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(async () => {
    await server.dispose();
  });

  it('resolves once the connection is ready', async () => {
    const client = await connectRedis(server.url);
    try {
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('fails with STORE_UNAVAILABLE within the connect timeout when nothing listens', async () => {
    const port = await findFreePort();
    const started = Date.now();
    const error = await connectRedis(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(isGameBuddiesError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails calls at once, not-applied, while Redis is down, and works again when it is back', async () => {
    const client = await connectRedis(server.url);
    try {
      await server.kill();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const error = await runStoreOperation('probe', () => client.set('k', 'v')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'probe', outcome: 'not-applied' } });
      expect(Date.now() - started).toBeLessThan(500);
      await server.restart();
      const deadline = Date.now() + 5000;
      while (client.status !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await client.set('k', 'v')).toBe('OK');
    } finally {
      client.disconnect();
    }
  });

  it('runs a script by SHA, and sends it again in full after the server forgot it', async () => {
    const client = await connectRedis(server.url);
    const script = new RedisScript('test.echo', `return {ARGV[1], KEYS[1]}`);
    try {
      expect(await script.run(client, ['key'], ['hello'])).toEqual(['hello', 'key']);
      await client.script('FLUSH');
      expect(await script.run(client, ['key'], ['again'])).toEqual(['again', 'key']);
      expect(await script.run(client, ['key'], ['cached'])).toEqual(['cached', 'key']);
    } finally {
      client.disconnect();
    }
  });
});

describe('toStoreError', () => {
  it('passes errors that are not about availability through unchanged', () => {
    const bug = new Error('ERR user_script:1: Script attempted to access nonexistent global variable');
    expect(toStoreError(bug, 'op')).toBe(bug);
    expect(toStoreError('text', 'op')).toBe('text');
  });

  it.each([
    ["Stream isn't writeable and enableOfflineQueue options is false", 'not-applied'],
    ["Cluster isn't ready and enableOfflineQueue options is false", 'not-applied'],
    ['None of startup nodes is available', 'not-applied'],
    ['READONLY You can\'t write against a read only replica.', 'not-applied'],
    ['LOADING Redis is loading the dataset in memory', 'not-applied'],
    ['Command timed out', 'unknown'],
    ['Connection is closed.', 'unknown'],
  ])('maps "%s" to STORE_UNAVAILABLE (%s)', (message, outcome) => {
    expect(toStoreError(new Error(message), 'op')).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'op', outcome } });
  });
});

describe('validateKeyPrefix', () => {
  it('accepts ordinary prefixes and refuses braces, spaces and bad lengths', () => {
    expect(validateKeyPrefix('gb:')).toBe('gb:');
    expect(validateKeyPrefix('tenant-42:gb:')).toBe('tenant-42:gb:');
    for (const bad of ['', 'a{b', 'a}b', 'a b', 'x'.repeat(65)]) {
      expect(() => validateKeyPrefix(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
