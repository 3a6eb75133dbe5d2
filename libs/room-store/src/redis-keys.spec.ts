import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisRoomStore } from './redis';
import { contentSum, ROOM_SCHEMA_VERSION } from './room-fields';
import type { CorruptedRoomInfo } from './store-options';
import { eventually, rejectionOf } from './testing/expectations';

/** What only a Redis store has: its keys, the index behind count() and list(), server-side faults. */
describe('RedisRoomStore on a real redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let store: RedisRoomStore;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, { commandTimeoutMs: 500 });
    store = new RedisRoomStore({ client, sweepIntervalMs: 0 });
  });

  afterAll(async () => {
    await store.close();
    client.disconnect();
    await server.dispose();
  });

  /** The room keys under a prefix (SCAN, as an operator would look). */
  const roomKeys = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}room:*`, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  };

  it('keeps a room in one hash under gb:room:{CODE} with a TTL, indexed at its exact expiry in the same step', async () => {
    const room = await store.create({ gameId: 'school-quiz', state: { q: 1 }, requestId: 'req-layout' });
    const key = `gb:room:{${room.code}}`;
    expect(await client.type(key)).toBe('hash');
    expect(await client.hget(key, 'schema')).toBe(String(ROOM_SCHEMA_VERSION));
    expect(await client.hget(key, 'requestId')).toBe('req-layout');
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(59 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBe(String(room.expiresAt));
    expect(await client.zscore('gb:{rooms}:codes', room.code)).toBe('0');
    expect(await client.get('gb:{rooms}:request:req-layout')).toBe(room.code);
    expect(await client.pexpiretime('gb:{rooms}:request:req-layout')).toBe(room.expiresAt);
    const written = await store.update(room.code, { state: 2 }, { expectedVersion: 1, ttlMs: 5000 });
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBe(String(written.expiresAt));
  });

  it('reads and updates a room a version-1 store wrote, dropping its players list on the update', async () => {
    const key = 'gb:room:{AGED23}';
    const now = Date.now();
    const [options, state] = ['{"rounds":2}', '{"members":[{"id":"p-ann","name":"Ann"}]}'];
    const players = '[{"id":"p-ann","name":"Ann","seat":0,"isConnected":true}]';
    // Exactly the hash the version-1 create script wrote, and its index entries.
    await client.hset(key, {
      schema: '1', code: 'AGED23', gameId: 'school-quiz', options, state, players, version: '1', createdAt: String(now),
      updatedAt: String(now), expiresAt: String(now + 60_000), fence: '0', leaseNode: '', leaseExpiresAt: '0', requestId: 'req-v1',
      optionsSum: contentSum(options), stateSum: contentSum(state), playersSum: contentSum(players),
    });
    await client.pexpireat(key, now + 60_000);
    await client.zadd('gb:{rooms}:expiry', now + 60_000, 'AGED23');
    await client.zadd('gb:{rooms}:codes', 0, 'AGED23');
    const old = {
      code: 'AGED23', gameId: 'school-quiz', options: { rounds: 2 }, state: JSON.parse(state), version: 1, lease: null, fencingToken: 0,
      createdAt: now, updatedAt: now, expiresAt: now + 60_000,
    };
    expect(await store.get('AGED23')).toEqual(old);
    expect((await store.list()).rooms).toContainEqual(old);
    const written = await store.update('AGED23', { state: { members: [] } }, { expectedVersion: 1 });
    expect(await store.get('AGED23')).toEqual({ ...old, state: { members: [] }, version: 2, updatedAt: written.updatedAt, expiresAt: written.expiresAt });
    expect(await client.hget(key, 'schema')).toBe(String(ROOM_SCHEMA_VERSION));
    expect(await client.hmget(key, 'players', 'playersSum')).toEqual([null, null]);
    expect(await client.hget(key, 'optionsSum')).toBe(contentSum(options));
    expect(await store.delete('AGED23')).toBe(true);
  });

  it('issues fencing tokens from the server clock in µs, above every token before', async () => {
    const room = await store.create({ gameId: 'g' });
    const [seconds, micros] = await client.time();
    const result = await store.acquireLease(room.code, 'node-a', 60_000);
    if (!result.isAcquired) throw new Error('the lease should be free');
    const serverMicros = Number(seconds) * 1_000_000 + Number(micros);
    expect(result.lease.token).toBeGreaterThanOrEqual(serverMicros);
    expect(result.lease.token).toBeLessThan(serverMicros + 5_000_000);
    expect(Number.isSafeInteger(result.lease.token)).toBe(true);
    // A stored token ahead of the clock (a clock that stepped back) still only grows.
    await store.releaseLease(room.code, result.lease);
    await client.hset(`gb:room:{${room.code}}`, 'fence', String(result.lease.token + 10_000_000_000));
    const next = await store.acquireLease(room.code, 'node-b', 60_000);
    expect(next).toMatchObject({ isAcquired: true, lease: { token: result.lease.token + 10_000_000_001 } });
  });

  it('drops expired rooms from the index in one sweep, without count() or list()', async () => {
    const room = await store.create({ gameId: 'g', ttlMs: 100 });
    expect(await eventually(async () => (await client.exists(`gb:room:{${room.code}}`)) === 0)).toBe(true);
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).not.toBeNull();
    expect((await store.sweepExpired()).removed).toBeGreaterThanOrEqual(1);
    expect(await client.zscore('gb:{rooms}:expiry', room.code)).toBeNull();
    expect(await client.zscore('gb:{rooms}:codes', room.code)).toBeNull();
  });

  it('empties an index of 100,000 expired rooms in one sweep of bounded steps, on its own timer', async () => {
    const prefix = 'sweep100k:';
    const live = new RedisRoomStore({ client, keyPrefix: prefix, sweepIntervalMs: 0 });
    const kept = await live.create({ gameId: 'g' });
    const past = Date.now() - 60_000;
    for (let chunk = 0; chunk < 100; chunk++) {
      const codes = Array.from({ length: 1000 }, (_, i) => `R${String(chunk * 1000 + i).padStart(6, '0')}`);
      await client.zadd(`${prefix}{rooms}:expiry`, ...codes.flatMap((code) => [past, code]));
      await client.zadd(`${prefix}{rooms}:codes`, ...codes.flatMap((code) => [0, code]));
    }
    const started = performance.now();
    const sweep = await live.sweepExpired();
    const elapsedMs = performance.now() - started;
    expect(sweep).toEqual({ removed: 100_000, steps: 101 });
    expect(await client.zcard(`${prefix}{rooms}:expiry`)).toBe(1);
    expect(await client.zcard(`${prefix}{rooms}:codes`)).toBe(1);
    expect(await live.count()).toBe(1);
    expect((await live.list()).rooms.map((r) => r.code)).toEqual([kept.code]);
    expect(elapsedMs).toBeLessThan(10_000);
    await live.close();

    // The timer does the same with nobody calling anything.
    await client.zadd(`${prefix}{rooms}:expiry`, ...Array.from({ length: 5000 }, (_, i) => [past, `T${i}`]).flat());
    const timed = new RedisRoomStore({ client, keyPrefix: prefix, sweepIntervalMs: 50 });
    try {
      expect(await eventually(async () => (await client.zcard(`${prefix}{rooms}:expiry`)) === 1, 5000)).toBe(true);
    } finally {
      await timed.close();
    }
  }, 60_000);

  it('reads a room key of the wrong Redis type as STORE_CORRUPTED, for reads, writes and list pages alike', async () => {
    const prefix = 'wrongroom:';
    const typed = new RedisRoomStore({ client, keyPrefix: prefix, sweepIntervalMs: 0 });
    const room = await typed.create({ gameId: 'g', code: 'WRNG7' });
    await client.del(`${prefix}room:{WRNG7}`);
    await client.set(`${prefix}room:{WRNG7}`, 'not a hash');
    for (const call of [
      () => typed.get('WRNG7'),
      () => typed.update('WRNG7', { state: 1 }, { expectedVersion: 1 }),
      () => typed.delete('WRNG7'),
      () => typed.touch('WRNG7'),
      () => typed.acquireLease('WRNG7', 'node', 1000),
    ]) {
      const error = await rejectionOf(call);
      expect(error.code).toBe('STORE_CORRUPTED');
      expect(error.details).toMatchObject({ key: `${prefix}room:{WRNG7}`, field: 'type' });
    }
    expect(await client.get(`${prefix}room:{WRNG7}`)).toBe('not a hash');
    const page = await typed.list();
    expect(page.rooms).toEqual([]);
    expect(page.damaged).toEqual([{ code: room.code, key: `${prefix}room:{WRNG7}`, field: 'type', reason: expect.any(String) }]);
    expect(await typed.count()).toBe(1);
    await typed.close();
  });

  it.each([
    ['expiry', (prefix: string) => client.set(`${prefix}{rooms}:expiry`, 'x')],
    ['codes', (prefix: string) => client.hset(`${prefix}{rooms}:codes`, 'a', 'b')],
    ['request', (prefix: string) => client.zadd(`${prefix}{rooms}:request:req-fixed`, 1, 'x')],
  ])('reports an index key (%s) of the wrong type by its name, and creates nothing', async (which, spoil) => {
    const prefix = `wrongindex-${which}:`;
    const heard: CorruptedRoomInfo[] = [];
    const typed = new RedisRoomStore({ client, keyPrefix: prefix, sweepIntervalMs: 0, onCorrupted: (info) => heard.push(info) });
    await spoil(prefix);
    const key = which === 'request' ? `${prefix}{rooms}:request:req-fixed` : `${prefix}{rooms}:${which}`;
    const error = await rejectionOf(() => typed.create({ gameId: 'g', requestId: 'req-fixed' }));
    expect(error.code).toBe('STORE_CORRUPTED');
    expect(error.details).toMatchObject({ key, field: 'type' });
    expect(heard).toEqual([expect.objectContaining({ key, field: 'type', operation: 'create' })]);
    expect(await roomKeys(prefix)).toEqual([]);
    await typed.close();
  });

  it('refuses writes while an index key has the wrong type, leaving the room as it was, and says so in count, list and sweep', async () => {
    const prefix = 'wrongindex-writes:';
    const typed = new RedisRoomStore({ client, keyPrefix: prefix, sweepIntervalMs: 0 });
    const room = await typed.create({ gameId: 'g', state: 'as it was' });
    await client.del(`${prefix}{rooms}:codes`);
    await client.set(`${prefix}{rooms}:codes`, 'x');
    const key = `${prefix}{rooms}:codes`;
    for (const call of [
      () => typed.update(room.code, { state: 'over it' }, { expectedVersion: 1 }),
      () => typed.delete(room.code),
      () => typed.touch(room.code),
      () => typed.count(),
      () => typed.list(),
      () => typed.sweepExpired(),
    ]) {
      expect((await rejectionOf(call)).details).toMatchObject({ key, field: 'type' });
    }
    expect(await typed.get(room.code)).toEqual(room);
    await typed.close();
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
    expect(() => new RedisRoomStore({ client, roomTtlMs: 0, codeLength: 3, sweepBatchSize: 0 })).toThrow(/roomTtlMs.*codeLength.*sweepBatchSize/);
  });
});
