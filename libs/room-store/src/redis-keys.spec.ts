import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisRoomStore } from './redis';
import { eventually, rejectionOf } from './testing/expectations';

describe('RedisRoomStore on a real redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let store: RedisRoomStore;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, { commandTimeoutMs: 500 });
    store = new RedisRoomStore({ client });
  });

  afterAll(async () => {
    await store.close();
    client.disconnect();
    await server.dispose();
  });

  it('keeps a room in one hash under gb:room:{CODE}, with the hash tag on the code and a TTL set', async () => {
    const room = await store.create({ gameId: 'school-quiz', state: { q: 1 } });
    const key = `gb:room:{${room.code}}`;
    expect(await client.type(key)).toBe('hash');
    expect(await client.hget(key, 'schema')).toBe('1');
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(59 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBe(String(room.expiresAt));
  });

  it('drops expired rooms from the index when counting', async () => {
    const room = await store.create({ gameId: 'g', ttlMs: 100 });
    expect(await eventually(async () => (await client.exists(`gb:room:{${room.code}}`)) === 0)).toBe(true);
    await store.count();
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBeNull();
    expect(await client.zscore('gb:{rooms}:codes', room.code)).toBeNull();
  });

  it('reads a key of the wrong Redis type as STORE_CORRUPTED, for reads and writes alike', async () => {
    await client.set('gb:room:{WRNG7}', 'not a hash');
    expect((await rejectionOf(() => store.get('WRNG7'))).code).toBe('STORE_CORRUPTED');
    expect((await rejectionOf(() => store.update('WRNG7', { state: 1 }, { expectedVersion: 1 }))).code).toBe('STORE_CORRUPTED');
    expect(await client.get('gb:room:{WRNG7}')).toBe('not a hash');
  });

  it('fails with STORE_UNAVAILABLE (outcome unknown) within the command timeout when Redis hangs, then recovers', async () => {
    const room = await store.create({ gameId: 'g' });
    server.pause();
    try {
      const started = Date.now();
      const error = await rejectionOf(() => store.get(room.code));
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.details).toMatchObject({ outcome: 'unknown' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      server.resume();
    }
    expect(await eventually(async () => (await store.get(room.code))?.code === room.code, 5000)).toBe(true);
  });

  it('refuses a key prefix with braces or spaces, and bad settings all named at once', () => {
    expect(() => new RedisRoomStore({ client, keyPrefix: 'a{b}:' })).toThrow(/braces/);
    expect(() => new RedisRoomStore({ client, keyPrefix: '' })).toThrow(/1 to 64/);
    expect(() => new RedisRoomStore({ client, roomTtlMs: 0, codeLength: 3 })).toThrow(/roomTtlMs.*codeLength/);
  });
});
