import fc from 'fast-check';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import type { JsonValue } from '@gamebuddies/core';
import { MemoryRoomStore } from './memory';
import { RedisRoomStore } from './redis';
import type { RoomStore } from './room-store';

/** Any JSON a game keeps must read back exactly as JSON would carry it, from both stores alike. */
describe('state round trip (property)', () => {
  let server: RedisServer;
  let client: Redis;
  let stores: RoomStore[];

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url);
    stores = [new MemoryRoomStore(), new RedisRoomStore({ client })];
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    client.disconnect();
    await server.dispose();
  });

  it('stores any JSON state and options and reads them back equal, in memory and on Redis', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), async (state, options) => {
        const expectedState = JSON.parse(JSON.stringify(state)) as JsonValue;
        const expectedOptions = JSON.parse(JSON.stringify(options)) as JsonValue;
        for (const store of stores) {
          const room = await store.create({ gameId: 'g', state: state as JsonValue, options: options as Record<string, JsonValue> });
          const read = await store.get(room.code);
          expect(read?.state).toEqual(expectedState);
          expect(read?.options).toEqual(expectedOptions);
          await store.update(room.code, { state: state as JsonValue }, { expectedVersion: 1 });
          expect((await store.get(room.code))?.state).toEqual(expectedState);
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
