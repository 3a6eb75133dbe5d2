import { setTimeout as sleep } from 'node:timers/promises';
import { GameBuddiesClient } from '@gamebuddies/client';
import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisRoomStore, type RoomLease, type RoomRecord } from '@gamebuddies/room-store';
import { GatewayCluster, startHaproxy, startRedisServer, waitUntil, type RedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { metric, nextState, storedMembers } from './players';

interface QuizView {
  round: number;
  stage: 'question' | 'reveal';
  yourAnswer: number | null;
  reveal: { answer: number; results: Record<string, { choice: number | null }> } | null;
  scoreboard: { playerId: string; score: number }[];
}
const viewOf = (client: GameBuddiesClient): QuizView | null => (client.state?.view ?? null) as unknown as QuizView | null;

/**
 * Three real gateway processes behind a real HAProxy, sharing a real redis-server: the platform's Tier 2.
 * Loopback only; every process is started and stopped by this file.
 */
describe('three gateways behind HAProxy on Redis', () => {
  let redis: RedisServer;
  let gateways: GatewayCluster;
  let haproxy: Awaited<ReturnType<typeof startHaproxy>>;
  let client: Redis;
  let rooms: RedisRoomStore;
  const players: GameBuddiesClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    gateways = await GatewayCluster.start(3, {
      REDIS_URL: redis.url,
      LEASE_TTL_MS: '1500',
      DRAIN_DELAY_MS: '300',
      SHUTDOWN_TIMEOUT_MS: '5000',
      RECONNECT_AFTER_MS: '200',
      DISCONNECT_GRACE_MS: '30000',
      WRONG_CODES_PER_ADDRESS_PER_MINUTE: '8',
      LOG_LEVEL: 'warn',
    });
    haproxy = await startHaproxy({ backends: gateways.nodes.map(({ name, port }) => ({ name, port })) });
    client = await connectRedis(redis.url);
    rooms = new RedisRoomStore({ client });
  }, 90_000);

  afterEach(() => {
    for (const player of players.splice(0)) player.close();
  });

  afterAll(async () => {
    await rooms?.close();
    client?.disconnect();
    await haproxy?.stop();
    await gateways?.stopAll();
    await redis?.dispose();
  }, 60_000);

  async function join(name: string): Promise<GameBuddiesClient> {
    const player = new GameBuddiesClient({
      url: haproxy.url,
      transports: ['websocket'],
      socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 500 },
    });
    players.push(player);
    await player.openSession(name);
    return player;
  }

  async function quizRoom(options: Record<string, number>): Promise<{ host: GameBuddiesClient; all: GameBuddiesClient[]; code: string }> {
    const all = await Promise.all(['Ann', 'Bob', 'Cat'].map((name) => join(name)));
    const host = all[0]!;
    const room = await host.createRoom('school-quiz', options);
    for (const other of all.slice(1)) await other.joinRoom(room.code);
    return { host, all, code: room.code };
  }

  async function stored(code: string): Promise<RoomRecord> {
    const room = await rooms.get(code);
    if (room === null) throw new Error(`room ${code} is gone`);
    return room;
  }

  /** Polls the store until the room's lease passes `test`, and returns it. */
  function leaseWhere(code: string, test: (lease: RoomLease) => boolean, timeoutMs: number): Promise<RoomLease> {
    return waitUntil(
      async () => {
        const lease = (await stored(code)).lease;
        return lease !== null && test(lease) ? lease : undefined;
      },
      { timeoutMs, intervalMs: 50, description: `the lease of room ${code}` },
    );
  }

  it('spreads the players of one room over the gateways and plays a full quiz, everyone seeing the same board', async () => {
    const { host, all } = await quizRoom({ questionCount: 2, revealSeconds: 0, roundSeconds: 30 });
    const spread = await Promise.all(gateways.nodes.map((n) => metric(`http://127.0.0.1:${n.port}`, 'gamebuddies_active_connections')));
    expect(spread.filter((connections) => connections > 0).length).toBeGreaterThanOrEqual(2);
    await host.startGame();
    for (let round = 1; round <= 2; round++) {
      await Promise.all(all.map((c) => nextState(c, () => viewOf(c)?.round === round && viewOf(c)?.stage === 'question', 10_000)));
      await Promise.all(all.map((c, i) => c.act('answer', { choice: i % 4 })));
      await Promise.all(all.map((c) => nextState(c, () => viewOf(c)?.round === round && viewOf(c)?.stage === 'reveal', 10_000)));
      await host.act('next');
    }
    const finals = await Promise.all(all.map((c) => nextState(c, (s) => s.phase === 'ended', 10_000)));
    expect(new Set(finals.map((s) => JSON.stringify((s.view as unknown as QuizView).scoreboard))).size).toBe(1);
  }, 60_000);

  it('survives kill -9 of the room owner mid-round: the round timer fires once, every acknowledged answer counts, seats stay', async () => {
    const { host, all, code } = await quizRoom({ questionCount: 2, revealSeconds: 0, roundSeconds: 5 });
    const revealed: number[] = [0, 0, 0];
    all.forEach((c, i) => c.onEvent((e) => e.name === 'revealed' && revealed[i]!++));
    await host.startGame();
    await Promise.all(all.map((c) => nextState(c, (s) => s.phase === 'playing', 10_000)));
    const seats = all.map((c) => c.state!.members.findIndex((m) => m.id === c.session!.playerId));
    const owner: RoomLease | null = await leaseWhere(code, () => true, 2500);
    expect(owner).not.toBeNull();
    await all[0]!.act('answer', { choice: 1 });
    await all[1]!.act('answer', { choice: 2 });
    const killedAt = Date.now();
    await gateways.kill(owner!.nodeId);
    const takeover = await leaseWhere(code, (lease) => lease.nodeId !== owner!.nodeId, 15_000);
    const takeoverMs = Date.now() - killedAt;
    process.stdout.write(`takeover after kill -9 of ${owner!.nodeId}: ${takeoverMs} ms (lease ${owner!.token} -> ${takeover.token} on ${takeover.nodeId})\n`);
    expect(takeover.nodeId).not.toBe(owner!.nodeId);
    expect(takeover.token).toBeGreaterThan(owner!.token);
    const reveals = await Promise.all(all.map((c) => nextState(c, () => viewOf(c)?.stage === 'reveal', 20_000)));
    const results = (reveals[0]!.view as unknown as QuizView).reveal!.results;
    expect(results[all[0]!.session!.playerId]?.choice).toBe(1);
    expect(results[all[1]!.session!.playerId]?.choice).toBe(2);
    expect(results[all[2]!.session!.playerId]?.choice ?? null).toBeNull();
    await sleep(500);
    expect(revealed).toEqual([1, 1, 1]);
    all.forEach((c, i) => expect(c.state!.members.findIndex((m) => m.id === c.session!.playerId)).toBe(seats[i]));
    await gateways.startNode(owner!.nodeId);
  }, 90_000);

  it('fences out an owner frozen past its lease: its late timer write is refused and the room stays consistent', async () => {
    const { host, all, code } = await quizRoom({ questionCount: 2, revealSeconds: 0, roundSeconds: 5 });
    await host.startGame();
    await Promise.all(all.map((c) => nextState(c, (s) => s.phase === 'playing', 10_000)));
    const owner: RoomLease | null = await leaseWhere(code, () => true, 2500);
    const revealed: number[] = [0, 0, 0];
    all.forEach((c, i) => c.onEvent((e) => e.name === 'revealed' && revealed[i]!++));
    gateways.pause(owner!.nodeId);
    try {
      const frozenAt = Date.now();
      const lease = await leaseWhere(code, (current) => current.nodeId !== owner!.nodeId, 15_000);
      expect(lease.token).toBeGreaterThan(owner!.token);
      // The new owner fires the round timer while the old one is frozen with the same deadline armed. (Players
      // connected to the frozen gateway hear of it only once it thaws.)
      const stage = await waitUntil(
        async () => {
          const current = ((await stored(code)).state as { game: { stage: string } }).game.stage;
          return current === 'reveal' ? current : undefined;
        },
        { timeoutMs: Math.max(1000, 20_000 - (Date.now() - frozenAt)), description: 'the reveal in the store' },
      );
      expect(stage).toBe('reveal');
    } finally {
      gateways.resume(owner!.nodeId);
    }
    await Promise.all(all.map((c) => nextState(c, () => viewOf(c)?.stage === 'reveal', 20_000)));
    await sleep(1500); // the thawed owner's timer goes off now, with its old token
    const room = await stored(code);
    expect(room.lease?.token).toBeGreaterThan(owner!.token);
    expect(revealed).toEqual([1, 1, 1]);
    const game = (room.state as { game: { stage: string; roundIndex: number } }).game;
    expect(game).toMatchObject({ stage: 'reveal', roundIndex: 0 });
    expect(gateways.isAlive(owner!.nodeId)).toBe(true);
  }, 90_000);

  it('keeps two rooms playing through a rolling restart of every gateway: both finish, nothing lost', async () => {
    const rounds = 30; // the whole built-in pack
    const first = await quizRoom({ questionCount: rounds, revealSeconds: 0, roundSeconds: 60 });
    const second = await quizRoom({ questionCount: rounds, revealSeconds: 0, roundSeconds: 60 });
    await first.host.startGame();
    await second.host.startGame();
    await Promise.all([...first.all, ...second.all].map((c) => nextState(c, (st) => st.phase === 'playing', 10_000)));
    const failures: unknown[] = [];
    // Requests caught in a drain fail with these and are simply tried again, as a real client would.
    const tolerated = new Set(['NOT_CONNECTED', 'CONNECTION_LOST', 'SERVER_DRAINING', 'REQUEST_TIMEOUT', 'STORE_UNAVAILABLE']);
    const endedAt: number[] = [];
    const play = async (room: { host: GameBuddiesClient; all: GameBuddiesClient[] }): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (room.host.state?.phase !== 'ended' && Date.now() < deadline) {
        try {
          const view = viewOf(room.host);
          if (view?.stage === 'question') {
            await Promise.all(
              room.all.map((c) =>
                viewOf(c)?.stage === 'question' && viewOf(c)?.yourAnswer === null
                  ? c.act('answer', { choice: 0 }).catch((error: { details?: { reason?: string } }) => {
                      // An answer whose acknowledgement was lost in a drain may have landed, and may have been the
                      // last one of its round (which then closed): sent again from a view not yet resynced, it is
                      // refused as answered or as late. Not a failure: the final scores below show nothing was lost.
                      if (!['ALREADY_ANSWERED', 'ROUND_CLOSED'].includes(error.details?.reason ?? '')) throw error;
                    })
                  : undefined,
              ),
            );
            await nextState(room.host, (st) => st.phase === 'ended' || viewOf(room.host)?.stage === 'reveal', 2000).catch(() => undefined);
          } else if (view?.stage === 'reveal') {
            const round = view.round;
            await room.host.act('next');
            await nextState(room.host, (st) => st.phase === 'ended' || (viewOf(room.host)?.round ?? 0) > round, 2000).catch(() => undefined);
            await sleep(400);
          } else {
            await sleep(50);
          }
        } catch (error) {
          if (!tolerated.has((error as { code?: string }).code ?? '')) failures.push(error);
          await sleep(100);
        }
      }
      endedAt.push(Date.now());
    };
    const games = [play(first), play(second)];
    await sleep(500);
    let lastRestartAt = 0;
    for (const node of gateways.nodes) {
      lastRestartAt = Date.now();
      expect(await gateways.stop(node.name)).toBe(0);
      await gateways.startNode(node.name);
    }
    await Promise.all(games);
    expect(failures).toEqual([]);
    // Both games were still being played when the last gateway went down.
    expect(Math.min(...endedAt)).toBeGreaterThan(lastRestartAt);
    for (const room of [first, second]) {
      const final = await stored(room.code);
      const game = (final.state as { phase: string; game: { roundIndex: number; scores: Record<string, unknown> } });
      expect(game.phase).toBe('ended');
      expect(game.game.roundIndex).toBe(rounds - 1);
      expect(Object.keys(game.game.scores)).toHaveLength(3);
      expect(storedMembers(final).map((m) => m.id).sort()).toEqual(room.all.map((c) => c.session!.playerId).sort());
    }
  }, 150_000);

  it('rides out a Redis that stops answering for a few seconds: typed errors, no process exits, play resumes', async () => {
    const { host, all } = await quizRoom({ questionCount: 3, revealSeconds: 0, roundSeconds: 60 });
    await host.startGame();
    await Promise.all(all.map((c) => nextState(c, (s) => s.phase === 'playing', 10_000)));
    redis.pause();
    let error: unknown;
    try {
      await all[0]!.act('answer', { choice: 1 });
    } catch (e) {
      error = e;
    } finally {
      await sleep(3000);
      redis.resume();
    }
    expect(['STORE_UNAVAILABLE', 'REQUEST_TIMEOUT', 'INTERNAL_ERROR']).toContain((error as { code?: string }).code);
    for (const node of gateways.nodes) expect(gateways.isAlive(node.name)).toBe(true);
    let answered = false;
    for (let i = 0; i < 20 && !answered; i++) {
      try {
        await all[0]!.act('answer', { choice: 1 });
        answered = true;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ACTION_FAILED') answered = true; // it had been applied before the outage was noticed
        else await sleep(250);
      }
    }
    expect(answered).toBe(true);
    await Promise.all(all.slice(1).map((c) => c.act('answer', { choice: 0 })));
    const reveal = await nextState(host, () => viewOf(host)?.stage === 'reveal', 10_000);
    expect((reveal.view as unknown as QuizView).reveal?.results[all[0]!.session!.playerId]?.choice).toBe(1);
  }, 60_000);
  // Last in this file: it uses up the guard for 127.0.0.1, the address every test player comes from.
  it('shares the room-code guard between gateways: guessing on another one does not reset the count', async () => {
    const guessers = await Promise.all([0, 1].map(async (i) => {
      const guesser = new GameBuddiesClient({ url: `http://127.0.0.1:${gateways.nodes[i]!.port}`, transports: ['websocket'] });
      players.push(guesser);
      await guesser.openSession(`Guesser ${i}`);
      return guesser;
    }));
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await guessers[0]!.joinRoom(`QQQQ${'ABCDE'[i]}`).then(() => 'OK', (e: { code: string }) => e.code));
    for (let i = 0; i < 4; i++) codes.push(await guessers[1]!.joinRoom(`WWWW${'ABCDE'[i]}`).then(() => 'OK', (e: { code: string }) => e.code));
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('ROOM_NOT_FOUND'));
    expect(codes[8]).toBe('TOO_MANY_WRONG_CODES');
  }, 30_000);
});
