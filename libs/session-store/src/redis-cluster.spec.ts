import { connectRedisCluster } from '@gamebuddies/redis-connection';
import { startRedisCluster, type RedisCluster } from '@gamebuddies/test-services';
import type { Cluster } from 'ioredis';
import { RedisSessionStore } from './redis';
import { generateSessionToken, hashSessionToken } from './session-tokens';
import { failureOf, retryUntil, sleep } from './testing/expectations';

/**
 * The Redis store on a real three-master Redis Cluster: every script names a session and its bucket's index,
 * which share a hash tag, so none may fail with CROSSSLOT, and count() and the sweep reach every bucket.
 */
describe('RedisSessionStore on a real Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = await connectRedisCluster(cluster.nodes);
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  }, 30_000);

  it('creates, reads, writes, binds by compare-and-set, counts and destroys sessions spread over every bucket', async () => {
    const store = new RedisSessionStore({ client, keyPrefix: 'cluster:', sweepIntervalMs: 0 });
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) => store.create({ displayName: `Player ${i}`, token: generateSessionToken() })));
    expect(new Set(created.map(({ token }) => hashSessionToken(token)[0])).size).toBe(16);
    const slots = new Set(await Promise.all(created.slice(0, 50).map(({ token }) => client.cluster('KEYSLOT', store.sessionKey(hashSessionToken(token))))));
    expect(slots.size).toBeGreaterThan(1);
    expect(await store.count()).toBe(200);
    for (const { token, session } of created.slice(0, 20)) {
      expect(await store.get(token)).toEqual(session);
      expect((await store.update(token, { data: { seen: true } })).data).toEqual({ seen: true });
      expect((await store.bindRoom(token, 'ROOM-A', { ifRoomIs: null })).roomCode).toBe('ROOM-A');
      expect((await failureOf(() => store.bindRoom(token, 'ROOM-B', { ifRoomIs: null }))).code).toBe('ROOM_BINDING_CONFLICT');
      expect((await store.unbindRoom(token, { ifRoomIs: 'ROOM-A' })).roomCode).toBeNull();
    }
    const again = created[0]!;
    expect((await store.create({ displayName: 'Player 0', token: again.token })).session.sessionId).toBe(again.session.sessionId);
    await Promise.all(created.slice(0, 100).map(({ token }) => store.destroy(token)));
    expect(await store.count()).toBe(100);
    await store.close();
  }, 30_000);

  it('sweeps expired entries out of the indexes of every bucket on every node', async () => {
    const store = new RedisSessionStore({ client, keyPrefix: 'sweep:', sweepIntervalMs: 100 });
    const created = await Promise.all(Array.from({ length: 100 }, (_, i) => store.create({ displayName: `Brief ${i}`, ttlMs: 100 })));
    await sleep(150);
    expect(await store.count()).toBe(0);
    await retryUntil(async () => {
      const left = await Promise.all(created.map(({ token }) => client.zscore(store.indexKey(hashSessionToken(token)), hashSessionToken(token))));
      if (left.some((score) => score !== null)) throw new Error('index entries remain');
    }, 5000);
    await store.close();
  }, 30_000);

  it('moves a schema-1 session from its old slot into its bucket', async () => {
    const store = new RedisSessionStore({ client, keyPrefix: 'old:', sweepIntervalMs: 0 });
    const token = generateSessionToken();
    const tokenHash = hashSessionToken(token);
    const expiresAt = Date.now() + 60_000;
    await client.hset(store.legacySessionKey(tokenHash), {
      schema: '1', sessionId: 'old-session', playerId: 'old-player', displayName: 'Old', roomCode: 'OLD1', data: '{}',
      ttlMs: '60000', createdAt: String(Date.now() - 1000), lastSeenAt: String(Date.now()), expiresAt: String(expiresAt),
    });
    await client.pexpireat(store.legacySessionKey(tokenHash), expiresAt);
    expect(await store.get(token)).toMatchObject({ sessionId: 'old-session', roomCode: 'OLD1', roomBoundAt: expect.any(Number) });
    expect(await client.exists(store.legacySessionKey(tokenHash))).toBe(0);
    expect(await store.destroy(token)).toBe(true);
    await store.close();
  });
});
