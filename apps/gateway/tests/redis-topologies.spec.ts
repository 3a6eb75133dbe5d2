import { setTimeout as sleep } from 'node:timers/promises';
import { GameBuddiesClient } from '@gamebuddies/client';
import { GatewayCluster, startRedisCluster, startRedisSentinel, type RedisCluster, type RedisSentinelSetup } from '@gamebuddies/test-services';
import { nextState } from './players';

interface QuizView {
  round: number;
  stage: 'question' | 'reveal';
  reveal: { results: Record<string, { choice: number | null }> } | null;
}
const viewOf = (client: GameBuddiesClient): QuizView | null => (client.state?.view ?? null) as unknown as QuizView | null;

/** Retries a request while the store is failing over. */
async function retrying<T>(request: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (Date.now() > deadline || !['STORE_UNAVAILABLE', 'INTERNAL_ERROR', 'REQUEST_TIMEOUT', 'NOT_CONNECTED'].includes(code ?? '')) throw error;
      await sleep(200);
    }
  }
}

/** Two players on two different gateways play a one-question quiz to its end (they stay in `clients`). */
async function playOneRound(gateways: GatewayCluster, clients: GameBuddiesClient[]): Promise<void> {
  const [ann, bob] = [0, 1].map((i) => {
    const client = new GameBuddiesClient({ url: `http://127.0.0.1:${gateways.nodes[i]!.port}`, transports: ['websocket'] });
    clients.push(client);
    return client;
  });
  await ann!.openSession('Ann');
  await bob!.openSession('Bob');
  const room = await ann!.createRoom('school-quiz', { questionCount: 1, revealSeconds: 0, roundSeconds: 60 });
  await bob!.joinRoom(room.code);
  await ann!.startGame();
  await Promise.all([ann!, bob!].map((c) => nextState(c, () => viewOf(c)?.stage === 'question', 10_000)));
  await ann!.act('answer', { choice: 1 });
  await bob!.act('answer', { choice: 2 });
  const [seenByAnn, seenByBob] = await Promise.all([ann!, bob!].map((c) => nextState(c, () => viewOf(c)?.stage === 'reveal', 10_000)));
  expect(seenByAnn!.view).toEqual(seenByBob!.view === null ? null : expect.objectContaining({ reveal: (seenByBob!.view as unknown as QuizView).reveal }));
  await ann!.act('next');
  await Promise.all([ann!, bob!].map((c) => nextState(c, (s) => s.phase === 'ended', 10_000)));
}

describe('the same game over Redis Cluster (sharded adapter)', () => {
  let cluster: RedisCluster;
  let gateways: GatewayCluster;
  const clients: GameBuddiesClient[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    gateways = await GatewayCluster.start(2, { REDIS_CLUSTER_NODES: cluster.nodeList, LOG_LEVEL: 'warn' });
  }, 90_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await gateways?.stopAll();
    await cluster?.stop();
  }, 60_000);

  it('plays a quiz with its two players on two gateways', async () => {
    await playOneRound(gateways, clients);
  }, 60_000);
});

describe('the same game over Redis Sentinel, through a master failover', () => {
  let sentinel: RedisSentinelSetup;
  let gateways: GatewayCluster;
  const clients: GameBuddiesClient[] = [];

  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    gateways = await GatewayCluster.start(2, { REDIS_SENTINELS: sentinel.sentinelList, REDIS_SENTINEL_NAME: sentinel.masterName, LOG_LEVEL: 'warn' });
  }, 90_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await gateways?.stopAll();
    await sentinel?.stop();
  }, 60_000);

  it('plays a quiz, loses the master mid-round, and carries on on the promoted replica', async () => {
    await playOneRound(gateways, clients);
    const [ann, bob] = clients;
    await ann!.leaveRoom();
    await bob!.leaveRoom();
    const room = await ann!.createRoom('school-quiz', { questionCount: 1, revealSeconds: 0, roundSeconds: 60 });
    await bob!.joinRoom(room.code);
    await ann!.startGame();
    await Promise.all([ann!, bob!].map((c) => nextState(c, () => viewOf(c)?.stage === 'question' && c.state?.code === room.code, 10_000)));
    await ann!.act('answer', { choice: 1 });
    await sleep(500); // let the replica copy the acknowledged answer (replication is asynchronous)
    const before = await sentinel.masterAddress();
    await sentinel.killMaster();
    const after = await sentinel.waitForFailover(before, 30_000);
    process.stdout.write(`sentinel failover: ${before.port} -> ${after.port}\n`);
    await retrying(() => bob!.act('answer', { choice: 2 }));
    const revealed = await nextState(bob!, () => viewOf(bob!)?.stage === 'reveal', 20_000);
    const results = (revealed.view as unknown as QuizView).reveal!.results;
    expect(results[ann!.session!.playerId]?.choice).toBe(1);
    expect(results[bob!.session!.playerId]?.choice).toBe(2);
  }, 90_000);
});
