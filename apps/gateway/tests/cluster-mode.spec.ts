import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { GameBuddiesClient } from '@gamebuddies/client';
import { startGatewayProcess, startRedisServer, type GatewayProcess, type RedisServer } from '@gamebuddies/test-services';
import { nextState } from './players';

/**
 * The PIDs of a gateway primary's worker processes, read from /proc: its children that run the gateway (not
 * other helpers it may have, such as the TypeScript loader's esbuild service).
 */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const isChild = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        return isChild && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('main.ts');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** An HTTP status over a fresh connection (a keep-alive one may be pinned to a worker that died). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

/** Tier 1: one gateway process in Node cluster mode, workers sharing Redis, sticky sessions. */
describe('cluster mode', () => {
  let redis: RedisServer;
  let gateway: GatewayProcess;
  const clients: GameBuddiesClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    gateway = await startGatewayProcess({ CLUSTER_WORKERS: '2', REDIS_URL: redis.url, LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '3000' });
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    const since = Date.now();
    gateway?.child.kill('SIGTERM');
    if (gateway) expect((await gateway.exited(since)).code).toBe(0);
    await redis?.dispose();
  }, 30_000);

  it('runs the workers, plays a round across them with long-polling too, and replaces a worker that dies', async () => {
    const primary = gateway.child.pid!;
    let workers: number[] = [];
    for (let i = 0; i < 100 && workers.length < 2; i++) {
      workers = childrenOf(primary);
      await sleep(100);
    }
    expect(workers).toHaveLength(2);
    // Long-polling needs every request of a session to reach the same worker: sticky sessions provide that.
    const [ann, bob] = [['polling'], ['websocket']].map((transports) => {
      const client = new GameBuddiesClient({ url: gateway.url, transports: transports as ['polling'] });
      clients.push(client);
      return client;
    });
    await ann!.openSession('Ann');
    await bob!.openSession('Bob');
    const room = await ann!.createRoom('school-quiz', { questionCount: 1, revealSeconds: 0 });
    await bob!.joinRoom(room.code);
    await ann!.startGame();
    await Promise.all([ann!, bob!].map((c) => nextState(c, (s) => s.phase === 'playing', 10_000)));
    await ann!.act('answer', { choice: 0 });
    await bob!.act('answer', { choice: 1 });
    await Promise.all([ann!, bob!].map((c) => nextState(c, (s) => (s.view as { stage?: string } | null)?.stage === 'reveal', 10_000)));

    process.kill(workers[0]!, 'SIGKILL');
    let replaced: number[] = [];
    for (let i = 0; i < 100; i++) {
      replaced = childrenOf(primary);
      if (replaced.length === 2 && !replaced.includes(workers[0]!)) break;
      await sleep(100);
    }
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = await statusOf(`${gateway.url}/health/ready`);
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
  }, 60_000);
});
