import fc from 'fast-check';
import type { JsonObject } from '@gamebuddies/core';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { MemorySessionStore } from './memory';
import { RedisSessionStore } from './redis';
import type { SessionStore } from './session-store';
import { failureCode } from './testing/expectations';

/** Any text, with extra weight on what breaks names: whitespace, controls, bidi overrides, lone surrogates. */
const displayNames = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '\t', '\n', '\u0000', '\u202E', '\uD800', '\uDFFF'), maxLength: 36 }),
);

/** Display names and data come straight from clients: any of them is stored exactly or refused, typed. */
describe('client input round trip (property)', () => {
  let server: RedisServer;
  let client: Redis;
  let stores: SessionStore[];

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url);
    stores = [new MemorySessionStore({ maxDataBytes: 64 * 1024 }), new RedisSessionStore({ client, maxDataBytes: 64 * 1024 })];
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    client.disconnect();
    await server.dispose();
  });

  it('stores any JSON object as data and reads it back as JSON carries it, in memory and on Redis', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), async (data) => {
        const expected = JSON.parse(JSON.stringify(data)) as JsonObject;
        for (const store of stores) {
          const { token } = await store.create({ displayName: 'Prop', data: data as JsonObject });
          expect((await store.get(token))?.data).toEqual(expected);
          expect((await store.update(token, { data: data as JsonObject })).data).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  }, 30_000);

  it('accepts any display name as its trimmed self or refuses it with INVALID_ARGUMENT, alike in both stores', async () => {
    await fc.assert(
      fc.asyncProperty(displayNames, async (displayName) => {
        const outcomes = await Promise.all(
          stores.map(async (store) => {
            const code = await failureCode(async () => {
              const { token, session } = await store.create({ displayName });
              expect(session.displayName).toBe(displayName.trim());
              expect((await store.get(token))?.displayName).toBe(displayName.trim());
            });
            expect(['RESOLVED', 'INVALID_ARGUMENT']).toContain(code);
            return code;
          }),
        );
        expect(outcomes[0]).toBe(outcomes[1]);
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});
