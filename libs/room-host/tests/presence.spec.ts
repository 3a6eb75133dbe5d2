import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { MemoryNodePresence, PresenceKeeper, RedisNodePresence, type NodePresence } from '../src';

const entry = { code: 'ABCDEF', playerId: 'p1' };

/** The same behaviour from both presence stores: in memory, and on a real redis-server. */
describe.each([
  ['memory', async () => ({ presence: new MemoryNodePresence() as NodePresence, close: async () => undefined })],
  [
    'redis',
    async () => {
      const server: RedisServer = await startRedisServer();
      const client: Redis = await connectRedis(server.url);
      return {
        presence: new RedisNodePresence(client, 'test:') as NodePresence,
        close: async () => {
          client.disconnect();
          await server.dispose();
        },
      };
    },
  ],
] as const)('%s node presence', (_name, open) => {
  let presence: NodePresence;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ presence, close } = await open());
  });
  afterEach(() => close());

  it('sees a player present only while their node is alive and holds them', async () => {
    expect(await presence.heartbeat('a', 5000)).toBe(false);
    expect(await presence.heartbeat('a', 5000)).toBe(true);
    await presence.add('a', entry);
    expect(await presence.isPresent(entry)).toBe(true);
    expect(await presence.isPresent({ ...entry, code: 'OTHER1' })).toBe(false);
    await presence.remove('a', entry);
    expect(await presence.isPresent(entry)).toBe(false);
  });

  it('hands a dead node to exactly one claimer, with its entries, and forgets it', async () => {
    await presence.heartbeat('dead', 30);
    await presence.add('dead', entry);
    await presence.heartbeat('alive', 60_000);
    await sleep(60);
    expect(await presence.isPresent(entry)).toBe(false);
    const claims = await Promise.all([presence.claimDead(), presence.claimDead(), presence.claimDead()]);
    expect(claims.flat()).toEqual([{ nodeId: 'dead', entries: [entry] }]);
    expect(await presence.claimDead()).toEqual([]);
    // A node that comes back after being claimed finds itself unknown.
    expect(await presence.heartbeat('dead', 5000)).toBe(false);
  });

  it('marks the players of a dead node disconnected, unless they are back on a live one', async () => {
    await presence.heartbeat('dead', 30);
    await presence.add('dead', entry);
    await presence.add('dead', { code: 'ABCDEF', playerId: 'p2' });
    const marked: string[] = [];
    const keeper = new PresenceKeeper({ presence, nodeId: 'survivor', ttlMs: 60_000, markDisconnected: async (code, playerId) => marked.push(`${code}/${playerId}`) });
    await keeper.start();
    keeper.track({ code: 'ABCDEF', playerId: 'p2' });
    await sleep(60);
    await keeper.tick();
    await keeper.tick();
    expect(marked).toEqual(['ABCDEF/p1']);
    await keeper.stop(0);
  });
});
