import { setTimeout as sleep } from 'node:timers/promises';
import type { GameBuddiesClient } from '@gamebuddies/client';
import type { Gateway } from '../src/gateway';
import { ask, metric, nextState, Players } from './players';
import { startGateway } from './start-gateway';
import { throwingGame } from './throwing-game';

interface QuizView {
  round: number;
  stage: 'question' | 'reveal';
  question: { choices: string[] } | null;
  yourAnswer: number | null;
  answeredBy: string[];
  reveal: { answer: number } | null;
  scoreboard: { playerId: string; score: number; correct: number }[];
}
const quizView = (client: GameBuddiesClient): QuizView => client.state?.view as unknown as QuizView;

describe('the gateway over real sockets', () => {
  let gateway: Gateway;
  let url: string;
  let players: Players;

  beforeAll(async () => {
    ({ gateway, url } = await startGateway({ EVENTS_PER_SECOND: '200', EVENT_BURST: '2000' }, [throwingGame]));
  });
  beforeEach(() => {
    players = new Players(url);
  });
  afterEach(() => players.closeAll());
  afterAll(async () => {
    await gateway.shutdown(2000);
  });

  async function quizRoom(count: number): Promise<GameBuddiesClient[]> {
    const [host, ...others] = await Promise.all(Array.from({ length: count }, (_, i) => players.join(`Player ${i + 1}`)));
    const room = await host!.createRoom('school-quiz', { questionCount: 2, revealSeconds: 0, roundSeconds: 30 });
    for (const other of others) await other.joinRoom(room.code);
    return [host!, ...others];
  }

  it('plays a full quiz with three players, each seeing only their own answers until the reveal', async () => {
    const clients = await quizRoom(3);
    const [host] = clients;
    await host!.startGame();
    for (let round = 1; round <= 2; round++) {
      await Promise.all(clients.map((c) => nextState(c, (s) => s.phase === 'playing' && quizView(c)?.round === round && quizView(c).stage === 'question')));
      for (const [i, client] of clients.entries()) {
        await client.act('answer', { choice: i % 2 });
        const mine = await nextState(client, () => quizView(client).yourAnswer === i % 2 || quizView(client).stage === 'reveal');
        const view = mine.view as unknown as QuizView;
        if (view.stage === 'question') {
          expect(view.reveal).toBeNull();
          expect(JSON.stringify(view)).not.toContain('"answer"');
        }
      }
      await Promise.all(clients.map((c) => nextState(c, () => quizView(c).stage === 'reveal' && quizView(c).round === round)));
      await host!.act('next');
    }
    const finals = await Promise.all(clients.map((c) => nextState(c, (s) => s.phase === 'ended')));
    const boards = finals.map((s) => JSON.stringify((s.view as unknown as QuizView).scoreboard));
    expect(new Set(boards).size).toBe(1);
    expect(finals[0]!.result).not.toBeNull();
    const stored = await gateway.stores.roomStore.get(finals[0]!.code);
    expect(stored?.version).toBe(Math.max(...finals.map((s) => s.version)));
  });

  it('brings a dropped player back to the same seat and score with their token, mid-round', async () => {
    const [host, bob, cat] = await quizRoom(3);
    await host!.startGame();
    await nextState(bob!, (s) => s.phase === 'playing');
    await bob!.act('answer', { choice: 1 });
    const token = bob!.session!.token;
    const seatBefore = bob!.state!.members.findIndex((m) => m.id === bob!.session!.playerId);
    const dropped = new Promise((resolve) => host!.onMember((c) => c.kind === 'disconnected' && resolve(c)));
    bob!.close();
    await dropped;
    const back = new Promise((resolve) => host!.onMember((c) => c.kind === 'reconnected' && resolve(c)));
    const bob2 = await players.resume(token);
    expect(bob2.session?.playerId).toBe(bob!.session?.playerId);
    await back;
    const snapshot = await bob2.sync();
    expect(snapshot.members.findIndex((m) => m.id === bob2.session!.playerId)).toBe(seatBefore);
    expect((snapshot.view as unknown as QuizView).yourAnswer).toBe(1);
    await host!.act('answer', { choice: 0 });
    await cat!.act('answer', { choice: 0 });
    const revealed = await nextState(bob2, (s) => (s.view as unknown as QuizView | null)?.stage === 'reveal');
    expect((revealed.view as unknown as QuizView).scoreboard.some((l) => l.playerId === bob2.session!.playerId)).toBe(true);
  });

  it('answers every bad input with its code while another room keeps playing undisturbed', async () => {
    const [ann, ben] = await Promise.all([players.join('Ann'), players.join('Ben')]);
    const other = await ann.createRoom('buggy');
    await ben.joinRoom(other.code);
    await ann.startGame();
    let stop = false;
    let played = 0;
    const errors: unknown[] = [];
    const background = (async () => {
      while (!stop) {
        try {
          await ann.act('ok');
          await ben.act('ok');
          played += 2;
        } catch (error) {
          errors.push(error);
        }
        await sleep(5);
      }
    })();

    try {
      const extra = await sendBadInputs(other.code);
      played += extra;
      // The other room played on all along; let it play a little more after the abuse too.
      const target = played + 20;
      while (played < target && errors.length === 0) await sleep(10);
    } finally {
      stop = true;
      await background;
    }
    expect(errors).toEqual([]);
    expect(played).toBeGreaterThan(20);
    const { view } = await ann.sync();
    expect(view).toEqual({ count: played });
  });

  /** Every bad input of the gateway's list, each with the code it must get; returns the good acts it made. */
  async function sendBadInputs(otherRoom: string): Promise<number> {
    const raw = await players.raw();
    expect(await ask(raw, 'game:act', { action: 'x' })).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED' } });
    expect(await ask(raw, 'session:open', {})).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await ask(raw, 'session:open', { name: 'Mallory' })).toMatchObject({ ok: true });
    for (const [event, payload] of [
      ['room:join', { code: 42 }],
      ['room:join', 'ABCDEF'],
      ['room:create', { gameId: 'buggy', extra: 1 }],
      ['game:act', { action: '' }],
      ['session:open', { name: 'x'.repeat(100) }],
    ] as const) {
      expect(await ask(raw, event, payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', details: { issues: expect.any(Array) } } });
    }
    expect(await ask(raw, 'room:create', { gameId: 'chess' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_GAME' } });
    expect(await ask(raw, 'room:create', { gameId: 'school-quiz', options: { questionCount: 'many' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_OPTIONS' },
    });
    expect(await ask(raw, 'game:act', { action: 'ok' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const unknownBefore = await metric(url, 'gamebuddies_rejected_events_total', { reason: 'unknown_event' });
    raw.emit('admin:shutdown', { now: true });
    expect(await ask(raw, 'games:list', {})).toMatchObject({ ok: true });
    expect(await metric(url, 'gamebuddies_rejected_events_total', { reason: 'unknown_event' })).toBe(unknownBefore + 1);

    // A buggy plugin: the player gets an error, the room stays as it was, the connection stays up.
    expect(await ask(raw, 'room:join', { code: otherRoom.toLowerCase() })).toMatchObject({ ok: true });
    expect(await ask(raw, 'game:act', { action: 'crash' })).toMatchObject({ ok: false, error: { code: 'ACTION_FAILED' } });
    expect(await ask(raw, 'game:act', { action: 'corrupt' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await ask(raw, 'game:act', { action: 'nope' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    expect(await ask(raw, 'game:act', { action: 'ok' })).toMatchObject({ ok: true });
    expect(await ask(raw, 'room:leave', {})).toMatchObject({ ok: true });

    // Guessing codes is cut off.
    const guesser = await players.raw();
    await ask(guesser, 'session:open', { name: 'Guesser' });
    const answers: unknown[] = [];
    for (let i = 0; i < 12; i++) answers.push(await ask(guesser, 'room:join', { code: `ZZZZ${'ABCDEFGHJKMN'[i]}` }));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'ROOM_NOT_FOUND' }) })));
    expect(answers[10]).toMatchObject({ ok: false, error: { code: 'TOO_MANY_WRONG_CODES', details: { retryAfterMs: expect.any(Number) } } });
    expect(await ask(guesser, 'room:join', { code: otherRoom })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_WRONG_CODES' } });

    // An oversized payload closes only the connection that sent it.
    const big = await players.raw();
    const closed = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit('session:open', { name: 'x'.repeat(100 * 1024) });
    await closed;

    // A page from another site may not connect.
    await expect(players.raw({ extraHeaders: { Origin: 'https://evil.example' } })).rejects.toThrow();
    return 1;
  }

  it('moves its health and metrics figures as players connect and rooms are created', async () => {
    const connections = await metric(url, 'gamebuddies_active_connections');
    const created = await metric(url, 'gamebuddies_rooms_created_total', { gameId: 'school-quiz' });
    const p = await players.join('Metrics');
    expect(await metric(url, 'gamebuddies_active_connections')).toBe(connections + 1);
    await p.createRoom('school-quiz');
    expect(await metric(url, 'gamebuddies_rooms_created_total', { gameId: 'school-quiz' })).toBe(created + 1);
    expect(await metric(url, 'gamebuddies_event_duration_seconds_count', { event: 'room:create' })).toBeGreaterThan(0);
    expect(await metric(url, 'gamebuddies_store_operation_duration_seconds_count', { operation: 'room.create', backend: 'memory' })).toBeGreaterThan(0);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'pass', checks: { eventLoopLag: { status: 'pass' }, heap: { status: 'pass' }, fileDescriptors: { status: 'pass' } } });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });
});

describe('a gateway with tight limits', () => {
  let gateway: Gateway;
  let url: string;
  let players: Players;

  beforeAll(async () => {
    ({ gateway, url } = await startGateway({ EVENTS_PER_SECOND: '5', EVENT_BURST: '10', ABUSE_STRIKES: '5', MAX_CONNECTIONS: '3' }));
    players = new Players(url);
  });
  afterAll(async () => {
    players.closeAll();
    await gateway.shutdown(2000);
  });

  it('rate-limits a flooding connection, then cuts it off, and refuses connections over the cap', async () => {
    const calm = await players.raw();
    const flood = await players.raw();
    const cut = new Promise((resolve) => flood.once('disconnect', resolve));
    const answers = await Promise.all(Array.from({ length: 30 }, () => ask(flood, 'games:list', {})));
    expect(answers).toContainEqual({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } }) });
    await cut;
    expect(await ask(calm, 'games:list', {})).toMatchObject({ ok: true });
    await players.raw();
    await players.raw();
    await expect(players.raw()).rejects.toThrow();
  });
});
