import { GameBuddiesClient } from '@gamebuddies/client';
import type { MemberChange } from '@gamebuddies/protocol';
import { startGatewayProcess, startRedisServer, stopChild, type GatewayProcess, type RedisServer } from '@gamebuddies/test-services';

/** A gateway killed with -9 says no goodbye: the survivors must mark its players disconnected themselves. */
describe('a gateway that dies without a goodbye', () => {
  let redis: RedisServer;
  const gateways: GatewayProcess[] = [];
  const clients: GameBuddiesClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((g) => stopChild(g.child)));
    await redis.dispose();
  });

  it('has its players marked disconnected by a survivor, who then keeps their seat for the grace period', async () => {
    const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: '1200', DISCONNECT_GRACE_MS: '60000', LEASE_TTL_MS: '1000' };
    gateways.push(await startGatewayProcess({ ...env, NODE_ID: 'doomed' }), await startGatewayProcess({ ...env, NODE_ID: 'survivor' }));
    const [doomed, survivor] = gateways;
    const ann = new GameBuddiesClient({ url: doomed!.url, transports: ['websocket'] });
    const bob = new GameBuddiesClient({ url: survivor!.url, transports: ['websocket'] });
    clients.push(ann, bob);
    await ann.openSession('Ann');
    await bob.openSession('Bob');
    const room = await ann.createRoom('school-quiz');
    await bob.joinRoom(room.code);
    const annDropped = new Promise<MemberChange>((resolve) => bob.onMember((change) => change.kind === 'disconnected' && change.member.name === 'Ann' && resolve(change)));

    const killedAt = Date.now();
    doomed!.child.kill('SIGKILL');
    const change = await annDropped;
    const tookMs = Date.now() - killedAt;
    expect(change.member.isConnected).toBe(false);
    expect(tookMs).toBeLessThan(6000);
    // Marked, not removed: Ann keeps her seat for the grace period.
    const sync = await bob.sync();
    expect(sync.members.map((m) => [m.name, m.isConnected])).toEqual([
      ['Ann', false],
      ['Bob', true],
    ]);
  });

  it('marks the players of a gateway frozen past its heartbeat disconnected, and connected again once it thaws', async () => {
    const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: '1200', DISCONNECT_GRACE_MS: '60000', LEASE_TTL_MS: '1000', PING_TIMEOUT_MS: '20000' };
    const frozen = await startGatewayProcess({ ...env, NODE_ID: 'frozen' });
    const awake = await startGatewayProcess({ ...env, NODE_ID: 'awake' });
    gateways.push(frozen, awake);
    const cat = new GameBuddiesClient({ url: frozen.url, transports: ['websocket'] });
    const dan = new GameBuddiesClient({ url: awake.url, transports: ['websocket'] });
    clients.push(cat, dan);
    await cat.openSession('Cat');
    await dan.openSession('Dan');
    const room = await dan.createRoom('school-quiz');
    await cat.joinRoom(room.code);
    const catDropped = new Promise<MemberChange>((resolve) => dan.onMember((c) => c.kind === 'disconnected' && c.member.name === 'Cat' && resolve(c)));
    const catBack = new Promise<MemberChange>((resolve) => dan.onMember((c) => c.kind === 'reconnected' && c.member.name === 'Cat' && resolve(c)));
    frozen.child.kill('SIGSTOP');
    try {
      await catDropped;
    } finally {
      frozen.child.kill('SIGCONT');
    }
    // Cat's connection to the thawed gateway never closed: it finds itself taken for dead and says so.
    await catBack;
    expect((await dan.sync()).members.map((m) => [m.name, m.isConnected])).toEqual([
      ['Dan', true],
      ['Cat', true],
    ]);
  }, 30_000);
});
