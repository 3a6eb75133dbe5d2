import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisSessionStore } from './redis';
import { generateSessionToken, hashSessionToken } from './session-tokens';
import { failureCode, failureOf, retryUntil } from './testing/expectations';
import { dumpRedisText } from './testing/redis-dump';

/** A session as version 1 of this library stored it: schema 1, no roomBoundAt, at `<prefix>session:{<sha256>}`. */
async function writeLegacySession(client: Redis, prefix: string, token: string, fields: { roomCode?: string; expiresInMs?: number } = {}): Promise<Record<string, string>> {
  const tokenHash = hashSessionToken(token);
  const now = Number((await client.time())[0]) * 1000;
  const expiresAt = now + (fields.expiresInMs ?? 60_000);
  const record = {
    schema: '1', sessionId: 'legacy-session', playerId: 'legacy-player', displayName: 'Old Timer', roomCode: fields.roomCode ?? '',
    data: '{"seat":4}', ttlMs: '60000', createdAt: String(now - 5000), lastSeenAt: String(now), expiresAt: String(expiresAt),
  };
  const key = `${prefix}session:{${tokenHash}}`;
  await client.hset(key, record);
  await client.pexpireat(key, expiresAt);
  await client.zadd(`${prefix}{sessions}:expiry`, expiresAt, tokenHash);
  return record;
}

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

  it('keeps a session in one hash under gb:session:{sessions:<b>}:<SHA-256 of the token>, with the TTL on the key and an entry in its bucket index', async () => {
    const { token, session } = await store.create({ displayName: 'Alice' });
    const sha256 = createHash('sha256').update(token).digest('hex');
    expect(hashSessionToken(token)).toBe(sha256);
    const key = `gb:session:{sessions:${sha256[0]}}:${sha256}`;
    expect(store.sessionKey(sha256)).toBe(key);
    expect(store.indexKey(sha256)).toBe(`gb:{sessions:${sha256[0]}}:expiry`);
    expect(await client.type(key)).toBe('hash');
    expect(await client.hget(key, 'schema')).toBe('2');
    expect(await client.hget(key, 'sessionId')).toBe(session.sessionId);
    expect(await client.hget(key, 'roomBoundAt')).toBe('');
    expect(await client.hget(key, 'createRequest')).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(await client.pexpiretime(key))).toBe(session.expiresAt);
    expect(await client.zscore(store.indexKey(sha256), sha256)).toBe(String(session.expiresAt));
  });

  it('holds no token in any key or value of the whole database', async () => {
    await client.flushdb();
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create({ displayName: `Player ${i}`, data: { i } })));
    await Promise.all(created.map(({ token }, i) => (i % 2 === 0 ? store.bindRoom(token, `ROOM${i}`) : store.touch(token))));
    const dump = await dumpRedisText(client, '*');
    const buckets = new Set(created.map(({ token }) => hashSessionToken(token)[0]));
    expect(await client.dbsize()).toBe(20 + buckets.size);
    const everything = dump.join('\n');
    for (const { token, session } of created) {
      expect(everything).toContain(session.sessionId);
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
    }
  });

  it('writes a session and its index entry in one script: a destroy takes both, a write moves both', async () => {
    const { token } = await store.create({ displayName: 'Paired', ttlMs: 60_000 });
    const tokenHash = hashSessionToken(token);
    const touched = await store.touch(token, 90_000);
    expect(await client.zscore(store.indexKey(tokenHash), tokenHash)).toBe(String(touched.expiresAt));
    expect(Number(await client.pexpiretime(store.sessionKey(tokenHash)))).toBe(touched.expiresAt);
    await store.destroy(token);
    expect(await client.exists(store.sessionKey(tokenHash))).toBe(0);
    expect(await client.zscore(store.indexKey(tokenHash), tokenHash)).toBeNull();
  });

  it('drops expired sessions from the index on a timer of its own, in bounded steps, and stops when closed', async () => {
    await client.flushdb();
    const sweeping = new RedisSessionStore({ client, keyPrefix: 'sweep:', sweepIntervalMs: 100, sweepBatchSize: 5 });
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => sweeping.create({ displayName: `Brief ${i}`, ttlMs: 100 })));
    const indexed = async (): Promise<number> => {
      const keys = [...new Set(created.map(({ token }) => sweeping.indexKey(hashSessionToken(token))))];
      const sizes = await Promise.all(keys.map((key) => client.zcard(key)));
      return sizes.reduce((sum, size) => sum + size, 0);
    };
    expect(await indexed()).toBe(40);
    await retryUntil(async () => {
      if ((await indexed()) > 0) throw new Error('index entries remain');
    }, 5000);
    await sweeping.close();
    const later = await Promise.all(Array.from({ length: 5 }, (_, i) => sweeping.create({ displayName: `Later ${i}`, ttlMs: 200 })));
    await sleep(500);
    // Closed: no timer sweeps any more; an explicit sweep still works.
    const remaining = await Promise.all(later.map(({ token }) => client.zscore(sweeping.indexKey(hashSessionToken(token)), hashSessionToken(token))));
    expect(remaining.filter((score) => score !== null)).toHaveLength(5);
    expect(await sweeping.sweepExpiredSessions()).toBe(5);
  });

  it('reads a session stored by version 1 (schema 1, old key) and moves it into its bucket on first use', async () => {
    const prefix = 'legacy:';
    const legacy = new RedisSessionStore({ client, keyPrefix: prefix, sweepIntervalMs: 0 });
    const token = generateSessionToken();
    const tokenHash = hashSessionToken(token);
    const record = await writeLegacySession(client, prefix, token, { roomCode: 'OLD42' });
    expect(await legacy.count()).toBe(1);
    const session = await legacy.get(token);
    expect(session).toEqual({
      sessionId: 'legacy-session', playerId: 'legacy-player', displayName: 'Old Timer', roomCode: 'OLD42',
      roomBoundAt: Number(record.createdAt), data: { seat: 4 }, ttlMs: 60_000,
      createdAt: Number(record.createdAt), lastSeenAt: Number(record.lastSeenAt), expiresAt: Number(record.expiresAt),
    });
    expect(await client.exists(legacy.legacySessionKey(tokenHash))).toBe(0);
    expect(await client.zscore(legacy.legacyIndexKey, tokenHash)).toBeNull();
    expect(await client.hget(legacy.sessionKey(tokenHash), 'schema')).toBe('2');
    expect(await legacy.count()).toBe(1);
    const conflict = await failureOf(() => legacy.bindRoom(token, 'NEW42', { ifRoomIs: null }));
    expect(conflict.details).toEqual({ actual: 'OLD42', boundAt: Number(record.createdAt) });
    expect((await legacy.bindRoom(token, 'NEW42', { ifRoomIs: 'OLD42' })).roomCode).toBe('NEW42');

    // A write finds an old session too; a destroy ends one; a damaged one is refused, naming its old key.
    const written = generateSessionToken();
    await writeLegacySession(client, prefix, written);
    expect((await legacy.touch(written)).roomBoundAt).toBeNull();
    const destroyed = generateSessionToken();
    await writeLegacySession(client, prefix, destroyed);
    expect(await legacy.destroy(destroyed)).toBe(true);
    expect(await legacy.get(destroyed)).toBeNull();
    const damaged = generateSessionToken();
    await writeLegacySession(client, prefix, damaged);
    await client.hset(legacy.legacySessionKey(hashSessionToken(damaged)), 'data', '{oops');
    const error = await failureOf(() => legacy.get(damaged));
    expect(error).toMatchObject({ code: 'STORE_CORRUPTED', details: { key: legacy.legacySessionKey(hashSessionToken(damaged)), field: 'data' } });
    // With readLegacyKeys off, old keys are not looked at.
    const strict = new RedisSessionStore({ client, keyPrefix: prefix, readLegacyKeys: false, sweepIntervalMs: 0 });
    const unseen = generateSessionToken();
    await writeLegacySession(client, prefix, unseen);
    expect(await strict.get(unseen)).toBeNull();
    expect(await legacy.get(unseen)).not.toBeNull();
  });

  it('reads a key of the wrong Redis type as STORE_CORRUPTED naming it, for reads and writes alike, and leaves it alone', async () => {
    const token = generateSessionToken();
    const key = store.sessionKey(hashSessionToken(token));
    await client.set(key, 'not a hash');
    for (const call of [() => store.get(token), () => store.touch(token), () => store.bindRoom(token, 'ABCDEF', { ifRoomIs: null })]) {
      expect(await failureOf(call)).toMatchObject({ code: 'STORE_CORRUPTED', details: { key } });
    }
    expect(await failureCode(() => store.create({ displayName: 'Clash', token }))).toBe('STORE_CORRUPTED');
    expect(await client.get(key)).toBe('not a hash');
    const other = new RedisSessionStore({ client, keyPrefix: 'wrongtype:', sweepIntervalMs: 0 });
    await client.set('wrongtype:{sessions:0}:expiry', 'not a sorted set');
    const error = await failureOf(() => other.count());
    expect(error).toMatchObject({ code: 'STORE_CORRUPTED', details: { key: 'wrongtype:{sessions:0}:expiry' } });
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

  it('refuses a bad key prefix, connection or option, naming every bad setting in one error', () => {
    expect(() => new RedisSessionStore({ client, keyPrefix: 'a{b}:' })).toThrow(/braces/);
    expect(() => new RedisSessionStore({ client: {} as never, keyPrefix: '', sessionTtlMs: 0, maxDataBytes: 1.5, readLegacyKeys: 'yes' as never })).toThrow(
      /sessionTtlMs.*maxDataBytes.*client.*keyPrefix.*readLegacyKeys/,
    );
  });
});
