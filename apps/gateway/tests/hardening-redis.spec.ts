import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import type { RoomClosed } from '@gamebuddies/protocol';
import type { Gateway } from '../src/gateway';
import { ask, Players, storedMembers } from './players';
import { startGateway } from './start-gateway';

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; details?: Record<string, unknown> } };

/** Two gateways in this process on one real redis-server that the tests flush, kill and restart empty. */
describe('gateways on Redis when the data goes away or two tabs race', () => {
  let redis: RedisServer;
  let gateways: Gateway[];
  let urls: string[];
  let players: Players[];

  beforeAll(async () => {
    redis = await startRedisServer();
    const started = await Promise.all(
      [1, 2].map((n) => startGateway({ REDIS_URL: redis.url, NODE_ID: `gw${n}`, ROOM_CHECK_INTERVAL_MS: '300', EVENTS_PER_SECOND: '200', EVENT_BURST: '1000' })),
    );
    gateways = started.map((s) => s.gateway);
    urls = started.map((s) => s.url);
  });
  beforeEach(() => {
    players = urls.map((url) => new Players(url));
  });
  afterEach(() => {
    for (const p of players) p.closeAll();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.shutdown(2000)));
    await redis.dispose();
  });

  it('seats a player in one room only when two tabs on two gateways race create and join', async () => {
    const owner = await players[0]!.join('Owner');
    const room = await owner.createRoom('school-quiz');
    const tabA = await players[0]!.raw();
    const opened = (await ask(tabA, 'session:open', { name: 'Twin' })) as { ok: true; data: { token: string; playerId: string } };
    const tabB = await players[1]!.raw({ auth: { token: opened.data.token } });
    await ask(tabB, 'session:open', {});
    for (let round = 0; round < 8; round++) {
      const answers = (await Promise.all([ask(tabA, 'room:create', { gameId: 'school-quiz' }), ask(tabB, 'room:join', { code: room.code })])) as Answer[];
      const seated = answers.filter((a) => a.ok).length;
      expect(seated).toBeLessThanOrEqual(1);
      const page = await gateways[0]!.stores.roomStore.list({ limit: 1000 });
      expect(page.rooms.filter((r) => storedMembers(r).some((m) => m.id === opened.data.playerId))).toHaveLength(seated);
      expect(((await ask(tabB, 'room:leave', {})) as Answer).ok).toBe(seated === 1);
    }
  });

  it('drains only its own players: the players of the other gateways are neither told nor disconnected', async () => {
    const { gateway: third, url } = await startGateway({ REDIS_URL: redis.url, NODE_ID: 'gw3', DRAIN_DELAY_MS: '0' });
    const leaving = new Players(url);
    try {
      const stayer = await players[0]!.raw();
      await ask(stayer, 'session:open', { name: 'Stayer' });
      const mover = await leaving.raw();
      await ask(mover, 'session:open', { name: 'Mover' });
      let stayerTold = false;
      stayer.on('server:draining', () => (stayerTold = true));
      const moverTold = new Promise((resolve) => mover.once('server:draining', resolve));
      await third.shutdown(3000);
      await moverTold;
      await sleep(300);
      expect(stayerTold).toBe(false);
      expect(stayer.connected).toBe(true);
      expect(((await ask(stayer, 'games:list', {})) as Answer).ok).toBe(true);
    } finally {
      leaving.closeAll();
    }
  });

  it('tells a member who is only watching that the room was lost when Redis restarts empty, and refuses the dead token', async () => {
    const host = await players[0]!.join('Host');
    const room = await host.createRoom('school-quiz');
    const watcher = await players[1]!.join('Watcher');
    await watcher.joinRoom(room.code);
    const watcherSocket = await players[1]!.raw({ auth: { token: watcher.session!.token } });
    await ask(watcherSocket, 'session:open', {});
    const closed = new Promise<RoomClosed>((resolve) => watcherSocket.on('room:closed', resolve));

    await redis.restart();
    expect(await Promise.race([closed, sleep(8000).then(() => null)])).toEqual({ code: room.code, reason: 'lost' });

    // The session went with the data: a request that needs it says so and changes nothing.
    await waitFor(async () => ((await ask(watcherSocket, 'room:create', { gameId: 'school-quiz' })) as Answer).ok === false);
    const refused = (await ask(watcherSocket, 'room:create', { gameId: 'school-quiz' })) as Answer;
    expect(refused).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED' } });
    expect(await gateways[0]!.stores.roomStore.count()).toBe(0);
    // Opening the session again is a new session: the old token is unknown now.
    expect(await ask(watcherSocket, 'session:open', {})).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const fresh = (await ask(watcherSocket, 'session:open', { name: 'Watcher' })) as Answer;
    expect(fresh.ok && fresh.data['token']).not.toBe(watcher.session!.token);
  });
});

async function waitFor(test: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}
