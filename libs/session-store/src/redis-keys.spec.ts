import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisSessionStore } from './redis';
import { generateSessionToken, hashSessionToken } from './session-tokens';
import { failureCode, failureOf, retryUntil } from './testing/expectations';
import { dumpRedisText } from './testing/redis-dump';

describe('RedisSessionStore on a real redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let store: RedisSessionStore;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, { commandTimeoutMs: 500 });
    store = new RedisSessionStore({ client });
  });

  afterAll(async () => {
    await store.close();
    client.disconnect();
    await server.dispose();
  });

  it('keeps a session in one hash under gb:session:{<SHA-256 of the token>}, with the TTL on the key and an index entry', async () => {
    const { token, session } = await store.create({ displayName: 'Alice' });
    const sha256 = createHash('sha256').update(token).digest('hex');
    expect(hashSessionToken(token)).toBe(sha256);
    const key = `gb:session:{${sha256}}`;
    expect(store.sessionKey(sha256)).toBe(key);
    expect(await client.type(key)).toBe('hash');
    expect(await client.hget(key, 'schema')).toBe('1');
    expect(await client.hget(key, 'sessionId')).toBe(session.sessionId);
    expect(Number(await client.pexpiretime(key))).toBe(session.expiresAt);
    expect(await client.zscore('gb:{sessions}:expiry', sha256)).toBe(String(session.expiresAt));
  });

  it('holds no token in any key or value of the whole database', async () => {
    await client.flushdb();
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create({ displayName: `Player ${i}`, data: { i } })));
    await Promise.all(created.map(({ token }, i) => (i % 2 === 0 ? store.bindRoom(token, `ROOM${i}`) : store.touch(token))));
    const dump = await dumpRedisText(client, '*');
    const keys = dump.filter((text) => text.startsWith('gb:'));
    expect(keys).toHaveLength(21);
    expect(await client.dbsize()).toBe(21);
    const everything = dump.join('\n');
    for (const { token, session } of created) {
      expect(everything).toContain(session.sessionId);
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
    }
  });

  it('drops expired sessions from the index when counting', async () => {
    const { token } = await store.create({ displayName: 'Brief', ttlMs: 100 });
    const tokenHash = hashSessionToken(token);
    await sleep(150);
    expect(await client.exists(store.sessionKey(tokenHash))).toBe(0);
    expect(await client.zscore('gb:{sessions}:expiry', tokenHash)).not.toBeNull();
    await store.count();
    expect(await client.zscore('gb:{sessions}:expiry', tokenHash)).toBeNull();
  });

  it('reads a key of the wrong Redis type as STORE_CORRUPTED, for reads and writes alike', async () => {
    const token = generateSessionToken();
    const key = store.sessionKey(hashSessionToken(token));
    await client.set(key, 'not a hash');
    expect(await failureCode(() => store.get(token))).toBe('STORE_CORRUPTED');
    expect(await failureCode(() => store.touch(token))).toBe('STORE_CORRUPTED');
    expect(await failureCode(() => store.bindRoom(token, 'ABCDEF'))).toBe('STORE_CORRUPTED');
    expect(await client.get(key)).toBe('not a hash');
    const other = new RedisSessionStore({ client, keyPrefix: 'wrongtype:' });
    await client.set('wrongtype:{sessions}:expiry', 'not a sorted set');
    const error = await failureOf(() => other.count());
    expect(error).toMatchObject({ code: 'STORE_CORRUPTED', details: { key: 'wrongtype:{sessions}:expiry' } });
  });

  it('fails with STORE_UNAVAILABLE (outcome unknown) within the command timeout when Redis hangs, then recovers', async () => {
    const { token, session } = await store.create({ displayName: 'Patient' });
    server.pause();
    try {
      const started = Date.now();
      const error = await failureOf(() => store.get(token));
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.details).toMatchObject({ outcome: 'unknown' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      server.resume();
    }
    expect(await retryUntil(() => store.get(token), 5000)).toEqual(session);
  });

  it('refuses a bad key prefix or connection, naming every bad setting in one error', () => {
    expect(() => new RedisSessionStore({ client, keyPrefix: 'a{b}:' })).toThrow(/braces/);
    expect(() => new RedisSessionStore({ client: {} as never, keyPrefix: '', sessionTtlMs: 0, maxDataBytes: 1.5 })).toThrow(
      /sessionTtlMs.*maxDataBytes.*client.*keyPrefix/,
    );
  });
});
