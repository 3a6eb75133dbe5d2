import { setTimeout as sleep } from 'node:timers/promises';
import { GameBuddiesClient } from '@gamebuddies/client';
import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisRoomStore } from '@gamebuddies/room-store';
import { startGatewayProcess, startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import { nextState } from './players';

/** Graceful shutdown of a real gateway process, with its rooms on a real redis-server. */
describe('graceful shutdown', () => {
  let redis: RedisServer;
  const clients: GameBuddiesClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await redis.dispose();
  });

  it('turns readiness off at once, refuses new rooms, tells players to reconnect, exits in time, and keeps every acknowledged change', async () => {
    const gateway = await startGatewayProcess({ REDIS_URL: redis.url, DRAIN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '6000' });
    const [ann, bob] = [0, 1].map(() => new GameBuddiesClient({ url: gateway.url, transports: ['websocket'] }));
    clients.push(ann!, bob!);
    await ann!.openSession('Ann');
    await bob!.openSession('Bob');
    const room = await ann!.createRoom('school-quiz', { questionCount: 3, roundSeconds: 60 });
    await bob!.joinRoom(room.code);
    await ann!.startGame();
    await nextState(bob!, (s) => s.phase === 'playing');
    await ann!.act('answer', { choice: 0 });
    const { version } = await bob!.act('answer', { choice: 1 });
    const told = new Promise((resolve) => ann!.onDraining(resolve));

    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    let ready = 200;
    for (let i = 0; i < 50 && ready === 200; i++) {
      ready = (await fetch(`${gateway.url}/health/ready`)).status;
      if (ready === 200) await sleep(20);
    }
    expect(ready).toBe(503);
    expect(Date.now() - signalledAt).toBeLessThan(1000);
    await expect(bob!.createRoom('school-quiz')).rejects.toMatchObject({ code: 'SERVER_DRAINING' });
    await told;
    const exit = await gateway.exited(signalledAt);
    expect(exit.code).toBe(0);
    expect(exit.afterMs).toBeLessThan(7000);
    expect(gateway.output()).toContain('"msg":"stopped"');

    const client = await connectRedis(redis.url);
    try {
      const stored = await new RedisRoomStore({ client }).get(room.code);
      expect(stored?.version).toBe(version);
      const game = (stored?.state as { game: { answers: Record<string, unknown> } }).game;
      expect(Object.keys(game.answers)).toHaveLength(2);
    } finally {
      client.disconnect();
    }
  }, 60_000);

  it('exits at once on a second signal', async () => {
    const gateway = await startGatewayProcess({ DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '8000' });
    const first = Date.now();
    gateway.child.kill('SIGTERM');
    await sleep(300);
    const second = Date.now();
    gateway.child.kill('SIGTERM');
    const exit = await gateway.exited(second);
    expect(exit.code).toBe(1);
    expect(exit.afterMs).toBeLessThan(1500);
    expect(second - first).toBeLessThan(5000);
    expect(gateway.output()).toContain('second signal');
  }, 60_000);
});
