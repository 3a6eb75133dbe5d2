import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import { defineGame } from '@gamebuddies/plugin-sdk';
import Redis from 'ioredis';
import type { Socket } from 'socket.io-client';
import type { Gateway } from '../src/gateway';
import { ask, Players } from './players';
import { startGateway } from './start-gateway';

/** The bench's workload in small: every answer adds to the actor's score; each player sees their own score. */
const scoreGame = defineGame({
  id: 'score',
  name: 'Score',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 10,
  lateJoin: 'player',
  setup: (_options, ctx) => ({ scores: Object.fromEntries(ctx.players.map((p) => [p.id, 0])) as Record<string, number>, answers: 0 }),
  actions: {
    answer: {
      handle: (state, _payload, ctx) => ({ scores: { ...state.scores, [ctx.actorId]: (state.scores[ctx.actorId] ?? 0) + 1 }, answers: state.answers + 1 }),
    },
  },
  view: (state, viewer) => ({ mine: state.scores[viewer.id] ?? 0, answers: state.answers }),
});

type Ok<T> = { ok: true; data: T };
interface Player {
  socket: Socket;
  id: string;
  /** Versions of the `room:view` pushes received, in order. */
  versions: number[];
}

/** A command a client sent to Redis, as MONITOR shows it (commands run inside scripts come from `lua`). */
interface SeenCommand {
  name: string;
  fromScript: boolean;
}

/**
 * What one action costs on Redis, counted with MONITOR on a real redis-server: the steady state is one
 * compare-and-set script (whose one PUBLISH carries every player's update), no per-player publish and no
 * read while this gateway's remembered state is current; and a room whose players span two gateways still
 * sees every change exactly once per player, in order of version.
 */
describe('the hot path on Redis', () => {
  let redis: RedisServer;
  let gateways: Gateway[];
  let urls: string[];
  let players: Players[];
  let client: Redis;
  let monitor: Redis;
  let seen: SeenCommand[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, EVENTS_PER_SECOND: '1000', EVENT_BURST: '1000', GAMES: 'school-quiz' };
    const started = await Promise.all([1, 2].map((n) => startGateway({ ...env, NODE_ID: `hot${n}` }, [scoreGame])));
    gateways = started.map((s) => s.gateway);
    urls = started.map((s) => s.url);
    // monitor() opens a second connection in monitor mode: both are closed after the tests.
    client = new Redis(redis.url);
    monitor = await client.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      seen.push({ name: String(args[0]).toLowerCase(), fromScript: source === 'lua' });
    });
  });
  beforeEach(() => {
    players = urls.map((url) => new Players(url));
  });
  afterEach(() => {
    for (const p of players) p.closeAll();
  });
  afterAll(async () => {
    monitor.disconnect();
    client.disconnect();
    await Promise.all(gateways.map((g) => g.shutdown(2000)));
    await redis.dispose();
  });

  /** A connected player with a session on gateway `on`, recording the versions of their view updates. */
  async function player(on: number, name: string): Promise<Player> {
    const socket = await players[on]!.raw();
    const opened = (await ask(socket, 'session:open', { name })) as Ok<{ playerId: string }>;
    const versions: number[] = [];
    socket.on('room:view', (update: { version: number }) => versions.push(update.version));
    return { socket, id: opened.data.playerId, versions };
  }

  /** A started room of `count` players, spread over the gateways as `placement` says (index of the gateway). */
  async function startedRoom(placement: number[]): Promise<Player[]> {
    const all = await Promise.all(placement.map((on, i) => player(on, `P${i}`)));
    const created = (await ask(all[0]!.socket, 'room:create', { gameId: 'score' })) as Ok<{ code: string }>;
    for (const p of all.slice(1)) expect(((await ask(p.socket, 'room:join', { code: created.data.code })) as Ok<unknown>).ok).toBe(true);
    expect(((await ask(all[0]!.socket, 'room:start', {})) as Ok<unknown>).ok).toBe(true);
    return all;
  }

  /** Every command clients sent to Redis while `work` ran, settled. */
  async function commandsDuring(work: () => Promise<void>): Promise<SeenCommand[]> {
    await new Promise((resolve) => setTimeout(resolve, 100)); // what came before has passed through the monitor
    seen = [];
    await work();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return seen;
  }

  it('costs one script per action (its one PUBLISH carries the updates) and never publishes per player', async () => {
    const room = await startedRoom([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const actions = 40;
    const commands = await commandsDuring(async () => {
      for (let i = 0; i < actions; i++) {
        const answer = (await ask(room[i % room.length]!.socket, 'game:act', { action: 'answer' })) as Ok<{ version: number }>;
        expect(answer.ok).toBe(true);
      }
    });
    const sent = commands.filter((c) => !c.fromScript);
    const publishes = commands.filter((c) => c.name === 'publish');
    // Presence heartbeats and the like may fall in the window: a little slack, far below a command per player.
    expect(sent.length).toBeLessThanOrEqual(actions * 3);
    expect(sent.filter((c) => c.name === 'evalsha' || c.name === 'eval').length).toBe(actions);
    expect(sent.filter((c) => c.name === 'publish')).toHaveLength(0);
    expect(publishes.length).toBe(actions);
    expect(sent.filter((c) => c.name === 'get' || c.name === 'hgetall' || c.name === 'hmget').length).toBeLessThanOrEqual(2);
    // Every player saw every change once, in order.
    for (const p of room) expect(p.versions.slice(-actions)).toEqual(Array.from({ length: actions }, (_, i) => p.versions.at(-actions)! + i));
  });

  it('gives a player with a tab on each gateway every change on both tabs', async () => {
    const room = await startedRoom([0, 0]);
    const token = ((await ask(room[1]!.socket, 'session:open', {})) as Ok<{ token: string }>).data.token;
    const otherTab = await players[1]!.raw({ auth: { token } });
    expect(((await ask(otherTab, 'session:open', {})) as Ok<{ playerId: string }>).data.playerId).toBe(room[1]!.id);
    const otherTabVersions: number[] = [];
    otherTab.on('room:view', (update: { version: number }) => otherTabVersions.push(update.version));
    const acked: number[] = [];
    for (let i = 0; i < 6; i++) {
      // Changes made on either gateway, by the player on each tab and by the other player.
      const from = [room[0]!.socket, room[1]!.socket, otherTab][i % 3]!;
      acked.push(((await ask(from, 'game:act', { action: 'answer' })) as Ok<{ version: number }>).data.version);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(room[1]!.versions.filter((v) => v >= acked[0]!)).toEqual(acked);
    expect(otherTabVersions.filter((v) => v >= acked[0]!)).toEqual(acked);
  });

  it('gives every player of a room split over two gateways every change exactly once, in order of version', async () => {
    const room = await startedRoom([0, 1, 0, 1, 0, 1]);
    const acked: number[] = [];
    const commands = await commandsDuring(async () => {
      // Players on both gateways answer at once, so the gateways' writes interleave and conflict.
      await Promise.all(
        room.map(async (p) => {
          for (let i = 0; i < 10; i++) {
            const answer = (await ask(p.socket, 'game:act', { action: 'answer' })) as Ok<{ version: number }>;
            expect(answer.ok).toBe(true);
            acked.push(answer.data.version);
          }
        }),
      );
    });
    const first = Math.min(...acked);
    const expected = Array.from({ length: acked.length }, (_, i) => first + i);
    expect([...acked].sort((a, b) => a - b)).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const p of room) expect(p.versions.filter((v) => v >= first)).toEqual(expected);
    // Reads come back when the other gateway wrote, but a change still crosses Redis once, not once per player.
    expect(commands.filter((c) => c.name === 'publish').length).toBeLessThanOrEqual(acked.length);
    expect(commands.filter((c) => !c.fromScript && c.name === 'publish')).toHaveLength(0);
  });
});
