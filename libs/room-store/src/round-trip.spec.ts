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
    stores = [new MemoryRoomStore({ sweepIntervalMs: 0 }), new RedisRoomStore({ client, sweepIntervalMs: 0 })];
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

  it('accepts any string JSON can carry, lone surrogates and escape-like text included, through every later write', async () => {
    // Every write re-checks the stored record (on Redis inside the script, with cjson): what JSON.stringify wrote
    // and JSON.parse reads back must never be taken for damage.
    const unit = fc.oneof(fc.constantFrom('\ud83d', '\ude00', '\udbff', '\\', 'u', 'd', '8', '"', '\u0000'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3, stringUnit: unit }), async (state) => {
        const expected = JSON.parse(JSON.stringify(state)) as JsonValue;
        for (const store of stores) {
          const room = await store.create({ gameId: 'g', state: state as JsonValue, options: { name: expected } });
          await store.update(room.code, {}, { expectedVersion: 1 });
          await store.touch(room.code);
          expect(await store.get(room.code)).toMatchObject({ version: 2, state: expected, options: { name: expected } });
          expect(await store.delete(room.code)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
